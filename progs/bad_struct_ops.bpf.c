// Port of selftests progs/bad_struct_ops.c: the same program in two different kernel struct_ops types.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "bpf_testmod.h"

char _license[] SEC("license") = "GPL";

SEC("struct_ops/test_1")
int test_1(void)
{
	return 0;
}

SEC("struct_ops/test_2")
int test_2(void)
{
	return 0;
}

SEC(".struct_ops.link")
struct bpf_testmod_ops testmod_1 = {
	.test_1 = (void *)test_1,
	.test_2 = (void *)test_2,
};

SEC(".struct_ops.link")
struct bpf_testmod_ops2 testmod_2 = {
	.test_1 = (void *)test_1,
};

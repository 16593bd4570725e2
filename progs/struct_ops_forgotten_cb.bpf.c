// Port of selftests progs/struct_ops_forgotten_cb.c: the map's slot is left empty.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "bpf_testmod.h"

char _license[] SEC("license") = "GPL";

SEC("struct_ops/test_1")
int BPF_PROG(test_1_forgotten)
{
	return 0;
}

SEC(".struct_ops.link")
struct bpf_testmod_ops ops = {
	/* we forgot to reference test_1_forgotten above, oops */
};

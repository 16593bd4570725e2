// Port of selftests progs/struct_ops_autocreate2.c: two '?' programs, the map names 'bar'.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char _license[] SEC("license") = "GPL";

int test_1_result = 0;

SEC("?struct_ops/test_1")
int foo(void)
{
	test_1_result = 42;
	return 0;
}

SEC("?struct_ops/test_1")
int bar(void)
{
	test_1_result = 24;
	return 0;
}

struct bpf_testmod_ops {
	int (*test_1)(void);
};

SEC(".struct_ops.link")
struct bpf_testmod_ops testmod_1 = {
	.test_1 = (void *)bar,
};

// Port of selftests progs/bad_struct_ops2.c: a struct_ops program no map references.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char _license[] SEC("license") = "GPL";

/* This is an unused struct_ops program, it lacks corresponding
 * struct_ops map, which provides attachment information.
 */
SEC("struct_ops/foo")
void foo(void)
{
}

// Port of selftests progs/struct_ops_nulled_out_cb.c: a program that must never load (unbounded index),
// disabled by nulling its slot through the shadow.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "bpf_testmod.h"

char _license[] SEC("license") = "GPL";

int rand;
int arr[1];

SEC("struct_ops/test_1")
int BPF_PROG(test_1_turn_off)
{
	return arr[rand]; /* the verifier rejects this */
}

SEC(".struct_ops.link")
struct bpf_testmod_ops ops = {
	.test_1 = (void *)test_1_turn_off,
};

// Local struct_ops types with members the kernel's tcp_congestion_ops lacks: set (refused with
// -EOPNOTSUPP) and zero (skipped with an INFO line). Plain maps, so this runs on 6.1 as well.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("struct_ops/extra_ssthresh")
__u32 BPF_PROG(extra_ssthresh, struct sock *sk)
{
	return 2;
}

SEC("struct_ops/extra_cong_avoid")
void BPF_PROG(extra_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
}

SEC("struct_ops/extra_undo_cwnd")
__u32 BPF_PROG(extra_undo_cwnd, struct sock *sk)
{
	return 10;
}

SEC("struct_ops/extra_op")
void BPF_PROG(extra_op, struct sock *sk)
{
}

struct tcp_congestion_ops___extra {
	__u32 (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, __u32 ack, __u32 acked);
	__u32 (*undo_cwnd)(struct sock *sk);
	void (*does_not_exist)(struct sock *sk);
	int not_in_kernel;
	char name[16];
};

SEC(".struct_ops")
struct tcp_congestion_ops___extra ca_missing_prog = {
	.ssthresh = (void *)extra_ssthresh,
	.cong_avoid = (void *)extra_cong_avoid,
	.undo_cwnd = (void *)extra_undo_cwnd,
	.does_not_exist = (void *)extra_op,
	.name = "bpftests_miss",
};

SEC("?.struct_ops")
struct tcp_congestion_ops___extra ca_missing_zero = {
	.ssthresh = (void *)extra_ssthresh,
	.cong_avoid = (void *)extra_cong_avoid,
	.undo_cwnd = (void *)extra_undo_cwnd,
	.name = "bpftests_zero",
};

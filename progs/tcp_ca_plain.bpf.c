// Plain .struct_ops maps (registered by the map update, no BPF link): loadable on every kernel with
// struct_ops, including 6.1 where '?.struct_ops' needs the '?'→'_' DATASEC sanitization.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("struct_ops/plain_ssthresh")
__u32 BPF_PROG(plain_ssthresh, struct sock *sk)
{
	return 2;
}

SEC("struct_ops/plain_cong_avoid")
void BPF_PROG(plain_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
}

SEC("struct_ops/plain_undo_cwnd")
__u32 BPF_PROG(plain_undo_cwnd, struct sock *sk)
{
	return 10;
}

SEC(".struct_ops")
struct tcp_congestion_ops ca_plain = {
	.ssthresh = (void *)plain_ssthresh,
	.cong_avoid = (void *)plain_cong_avoid,
	.undo_cwnd = (void *)plain_undo_cwnd,
	.name = "bpftests_plain",
};

SEC("?.struct_ops")
struct tcp_congestion_ops ca_plain_opt = {
	.ssthresh = (void *)plain_ssthresh,
	.cong_avoid = (void *)plain_cong_avoid,
	.undo_cwnd = (void *)plain_undo_cwnd,
	.name = "bpftests_popt",
};

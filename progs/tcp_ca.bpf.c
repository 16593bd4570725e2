// struct_ops on the kernel's own tcp_congestion_ops: suffixed local types, programs shared by several maps,
// '?' maps with autocreate off, and a program only an optional map references.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

__u64 init_calls = 0;
__u64 alt_undo_calls = 0;

SEC("struct_ops/ca_ssthresh")
__u32 BPF_PROG(ca_ssthresh, struct sock *sk)
{
	return 2;
}

SEC("struct_ops/ca_cong_avoid")
void BPF_PROG(ca_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
}

SEC("struct_ops/ca_undo_cwnd")
__u32 BPF_PROG(ca_undo_cwnd, struct sock *sk)
{
	return 10;
}

/* Not in any map: starts with autoload off and is loaded only if put into a created map's slot. */
SEC("?struct_ops/ca_undo_cwnd_alt")
__u32 BPF_PROG(ca_undo_cwnd_alt, struct sock *sk)
{
	__sync_fetch_and_add(&alt_undo_calls, 1);
	return 12;
}

SEC("struct_ops/ca_init")
void BPF_PROG(ca_init, struct sock *sk)
{
	__sync_fetch_and_add(&init_calls, 1);
}

/* Referenced only by the optional map: loaded exactly when that map is created. */
SEC("struct_ops/ca_init_optional")
void BPF_PROG(ca_init_optional, struct sock *sk)
{
}

/* Local views of the kernel type; libbpf strips the ___suffix to find tcp_congestion_ops. */
struct tcp_congestion_ops___v1 {
	__u32 (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, __u32 ack, __u32 acked);
	__u32 (*undo_cwnd)(struct sock *sk);
	void (*init)(struct sock *sk);
	char name[16];
};

struct tcp_congestion_ops___v2 {
	char name[16];
	__u32 (*undo_cwnd)(struct sock *sk);
	__u32 (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, __u32 ack, __u32 acked);
};

SEC(".struct_ops.link")
struct tcp_congestion_ops___v1 ca_one = {
	.ssthresh = (void *)ca_ssthresh,
	.cong_avoid = (void *)ca_cong_avoid,
	.undo_cwnd = (void *)ca_undo_cwnd,
	.init = (void *)ca_init,
	.name = "bpftests_one",
};

SEC(".struct_ops.link")
struct tcp_congestion_ops___v2 ca_two = {
	.ssthresh = (void *)ca_ssthresh,
	.cong_avoid = (void *)ca_cong_avoid,
	.undo_cwnd = (void *)ca_undo_cwnd,
	.name = "bpftests_two",
};

SEC("?.struct_ops.link")
struct tcp_congestion_ops ca_optional = {
	.ssthresh = (void *)ca_ssthresh,
	.cong_avoid = (void *)ca_cong_avoid,
	.undo_cwnd = (void *)ca_undo_cwnd,
	.init = (void *)ca_init_optional,
	.name = "bpftests_opt",
};

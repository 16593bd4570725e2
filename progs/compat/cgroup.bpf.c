// Compat: cgroup programs (skb, sock_addr, sysctl, device, sock, sockops).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

char LICENSE[] SEC("license") = "GPL";

__u64 egress_bytes = 0, connects = 0, sysctl_reads = 0;

SEC("cgroup_skb/egress")
int cg_egress(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&egress_bytes, skb->len);
	return 1;
}

SEC("cgroup/connect4")
int cg_connect4(struct bpf_sock_addr *ctx)
{
	if (ctx->user_port == bpf_htons(9))
		return 0;	// refuse the discard port
	__sync_fetch_and_add(&connects, 1);
	return 1;
}

SEC("cgroup/sysctl")
int cg_sysctl(struct bpf_sysctl *ctx)
{
	char name[32];

	if (!ctx->write)
		__sync_fetch_and_add(&sysctl_reads, 1);
	bpf_sysctl_get_name(ctx, name, sizeof(name), 0);
	return 1;
}

SEC("cgroup/dev")
int cg_dev(struct bpf_cgroup_dev_ctx *ctx)
{
	return ctx->major != 1 || ctx->minor != 3 ? 1 : 1;
}

SEC("cgroup/sock_create")
int cg_sock_create(struct bpf_sock *sk)
{
	return sk->family == 10 && sk->type == 3 ? 0 : 1;	// no raw IPv6 sockets
}

SEC("sockops")
int cg_sockops(struct bpf_sock_ops *ops)
{
	if (ops->op == BPF_SOCK_OPS_TCP_CONNECT_CB)
		bpf_sock_ops_cb_flags_set(ops, BPF_SOCK_OPS_STATE_CB_FLAG);
	return 1;
}

// Compat: CO-RE reads of struct sock / sk_buff internals from tracing programs.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

char LICENSE[] SEC("license") = "GPL";

__u32 last_port = 0, last_family = 0;
__u64 bytes = 0;

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(sock_state, const struct sock *sk, int oldstate, int newstate)
{
	last_port = BPF_CORE_READ(sk, __sk_common.skc_num);
	last_family = BPF_CORE_READ(sk, __sk_common.skc_family);
	return 0;
}

SEC("kprobe/tcp_v4_connect")
int BPF_KPROBE(tcp_connect, struct sock *sk)
{
	last_port = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	return 0;
}

SEC("tp_btf/net_dev_queue")
int BPF_PROG(dev_queue, struct sk_buff *skb)
{
	bytes += BPF_CORE_READ(skb, len) + BPF_CORE_READ(skb, dev, mtu);
	return 0;
}

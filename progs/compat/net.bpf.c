// Compat: XDP, tc and socket filters parsing Ethernet/IPv4 headers with bounds checks.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

char LICENSE[] SEC("license") = "GPL";

#define ETH_P_IP 0x0800
#define TC_ACT_OK 0

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} proto_count SEC(".maps");

static __always_inline int count_ip(void *data, void *end)
{
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	__u32 key;
	__u64 *v;

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return 0;
	key = ip->protocol;
	v = bpf_map_lookup_elem(&proto_count, &key);
	if (v)
		(*v)++;
	return 1;
}

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	count_ip((void *)(long)ctx->data, (void *)(long)ctx->data_end);
	return XDP_PASS;
}

SEC("xdp")
int xdp_drop_icmp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct iphdr *ip = data + sizeof(struct ethhdr);

	if ((void *)(ip + 1) > end)
		return XDP_PASS;
	return ip->protocol == 1 ? XDP_DROP : XDP_PASS;
}

SEC("tc")
int tc_count(struct __sk_buff *skb)
{
	count_ip((void *)(long)skb->data, (void *)(long)skb->data_end);
	return TC_ACT_OK;
}

SEC("socket")
int sock_filter(struct __sk_buff *skb)
{
	return skb->len > 1500 ? 0 : skb->len;
}

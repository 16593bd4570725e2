// Parity: a BTF map definition with a member libbpf does not know (refused in strict mode).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
	__uint(parity_colour, 7);
} odd_map SEC(".maps");

SEC("xdp")
int odd_map_user(struct xdp_md *ctx)
{
	__u32 key = 0;

	return bpf_map_lookup_elem(&odd_map, &key) ? XDP_PASS : XDP_DROP;
}

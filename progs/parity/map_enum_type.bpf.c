// Parity: an enum-valued 'type' member (libbpf takes enum values for map_extra only).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	enum { parity_hash_type = BPF_MAP_TYPE_HASH } type;
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} enum_typed SEC(".maps");

SEC("xdp")
int enum_typed_user(struct xdp_md *ctx)
{
	__u32 key = 0;

	return bpf_map_lookup_elem(&enum_typed, &key) ? XDP_PASS : XDP_DROP;
}

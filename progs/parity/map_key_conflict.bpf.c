// Parity: key_size and a key type that disagree.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__uint(key_size, 8);
	__type(key, __u32);
	__type(value, __u32);
} map_key_conflict SEC(".maps");

SEC("xdp")
int map_key_conflict_user(struct xdp_md *ctx)
{
	__u32 key = 0;

	return bpf_map_lookup_elem(&map_key_conflict, &key) ? XDP_PASS : XDP_DROP;
}

// Parity: a values initializer spec on a map that is neither map-in-map nor program array.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u32); });
} map_values_not_mim SEC(".maps");

SEC("xdp")
int map_values_not_mim_user(struct xdp_md *ctx)
{
	__u32 key = 0;

	return bpf_map_lookup_elem(&map_values_not_mim, &key) ? XDP_PASS : XDP_DROP;
}

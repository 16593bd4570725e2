// Parity: an inner map that is itself a map-in-map (libbpf supports one level only).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct leaf {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
};

struct middle {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct leaf);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct middle);
} nested SEC(".maps");

SEC("xdp")
int nested_user(struct xdp_md *ctx)
{
	__u32 key = 0;

	return bpf_map_lookup_elem(&nested, &key) ? XDP_PASS : XDP_DROP;
}

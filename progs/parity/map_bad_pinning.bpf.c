// Parity: a pinning value libbpf does not know.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
	__uint(pinning, 7);
} map_bad_pinning SEC(".maps");

SEC("xdp")
int map_bad_pinning_user(struct xdp_md *ctx)
{
	__u32 key = 0;

	return bpf_map_lookup_elem(&map_bad_pinning, &key) ? XDP_PASS : XDP_DROP;
}

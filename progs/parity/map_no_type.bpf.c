// Parity: a BTF map definition without a type.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} map_no_type SEC(".maps");

SEC("xdp")
int map_no_type_user(struct xdp_md *ctx)
{
	__u32 key = 0;

	return bpf_map_lookup_elem(&map_no_type, &key) ? XDP_PASS : XDP_DROP;
}

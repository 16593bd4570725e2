// Compat: programs the verifier must refuse (both loaders must agree and report the reason).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} table SEC(".maps");

SEC("raw_tp/sys_enter")
int null_deref(void *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&table, &key);

	return *v;	// no NULL check: "invalid mem access 'map_value_or_null'"
}

SEC("xdp")
int unchecked_packet(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data;

	return data[20];	// no bounds check against data_end
}

SEC("raw_tp/sys_enter")
int fine_neighbour(void *ctx)
{
	return 0;
}

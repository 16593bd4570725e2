// SPDX-License-Identifier: GPL-2.0
// The sample's BPF program: an XDP filter that drops packets longer than a limit set before load
// (.rodata) and counts what it saw, in global variables (.bss) and in a hash map keyed by verdict.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 max_len = 1500;

__u64 packets = 0;
__u64 dropped_bytes = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);	/* XDP verdict */
	__type(value, __u64);	/* packets */
} verdicts SEC(".maps");

SEC("xdp")
int filter(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;
	__u32 verdict = len > max_len ? XDP_DROP : XDP_PASS;
	__u64 one = 1, *count;

	__sync_fetch_and_add(&packets, 1);
	if (verdict == XDP_DROP)
		__sync_fetch_and_add(&dropped_bytes, len);
	count = bpf_map_lookup_elem(&verdicts, &verdict);
	if (count)
		__sync_fetch_and_add(count, 1);
	else
		bpf_map_update_elem(&verdicts, &verdict, &one, BPF_NOEXIST);
	return verdict;
}

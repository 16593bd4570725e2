// Negative linker input: declares test_subskeleton_lib2's map2 extern with max_entries 32 instead of 16.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

extern struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 32);
} map2 SEC(".maps");

SEC("raw_tp/sys_enter")
int neg_map_mismatch(const void *ctx)
{
	__u32 key = 0;

	return bpf_map_lookup_elem(&map2, &key) != 0;
}

char LICENSE[] SEC("license") = "GPL";

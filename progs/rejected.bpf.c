// A program the verifier must reject: it dereferences a hash map lookup result without a NULL check
// (a hash map, because newer kernels know an array lookup with a constant in-range key cannot fail).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} values SEC(".maps");

SEC("tc")
int unchecked_lookup(struct __sk_buff *skb)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&values, &key);

	return *v;
}

SEC("tc")
int fine(struct __sk_buff *skb)
{
	return 0;
}

// autoload/autocreate: a '?' section starts with autoload off; a map can be left uncreated.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} optional_map SEC(".maps");

SEC("tc")
int always(struct __sk_buff *skb)
{
	return 1;
}

SEC("?tc")
int optional_prog(struct __sk_buff *skb)
{
	__u32 key = 0, *v = bpf_map_lookup_elem(&optional_map, &key);

	return v ? *v : 2;
}

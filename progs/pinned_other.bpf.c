// Same pinned map name as pinned.bpf.c but a different value size: reusing the pin must be refused.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} pinned_counts SEC(".maps");

SEC("syscall")
int touch(void *ctx)
{
	__u32 key = 1, *v = bpf_map_lookup_elem(&pinned_counts, &key);

	return v ? *v : 0;
}

// Compat: a SEC("syscall") program driving map updates, and a user ring buffer drain.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 4096);
} urb SEC(".maps");

struct args {
	__u32 key;
	__u64 value;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} store SEC(".maps");

__u64 drained = 0;

SEC("syscall")
int set_value(struct args *a)
{
	bpf_map_update_elem(&store, &a->key, &a->value, BPF_ANY);
	return 0;
}

static long drain_cb(struct bpf_dynptr *d, void *ctx)
{
	drained++;
	return 0;
}

SEC("syscall")
int drain_urb(void *ctx)
{
	bpf_user_ringbuf_drain(&urb, drain_cb, NULL, 0);
	return 0;
}

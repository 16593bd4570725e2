// Compat: per-CPU and LRU maps, map-in-map with an inner definition and initial slots.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 128);
	__type(key, __u32);
	__type(value, __u64);
} per_cpu_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 128);
	__type(key, __u64);
	__type(value, __u64);
} lru SEC(".maps");

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner);
} outer SEC(".maps") = {
	.values = { [0] = &inner_a, [1] = &inner_b },
};

SEC("raw_tp/sys_enter")
int percpu_count(void *ctx)
{
	__u32 key = bpf_get_smp_processor_id();
	__u64 one = 1, *v = bpf_map_lookup_elem(&per_cpu_hash, &key);

	if (v)
		*v += 1;
	else
		bpf_map_update_elem(&per_cpu_hash, &key, &one, BPF_NOEXIST);
	return 0;
}

SEC("raw_tp/sys_exit")
int lru_touch(void *ctx)
{
	__u64 key = bpf_get_current_pid_tgid(), now = bpf_ktime_get_ns();

	bpf_map_update_elem(&lru, &key, &now, BPF_ANY);
	return 0;
}

SEC("raw_tp/sys_enter")
int map_in_map(void *ctx)
{
	__u32 slot = bpf_get_smp_processor_id() & 1, idx = 0;
	void *inner = bpf_map_lookup_elem(&outer, &slot);
	__u64 *v;

	if (!inner)
		return 0;
	v = bpf_map_lookup_elem(inner, &idx);
	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}

// Compat: bpf-to-bpf calls (static and global), callbacks (bpf_loop, bpf_for_each_map_elem) and tail calls.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} values SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} jumps SEC(".maps");

__u64 total = 0;

static __noinline __u64 square(__u64 x)
{
	return x * x;
}

__noinline int global_add(int a, int b)
{
	return a + b;
}

static long loop_body(__u32 i, void *ctx)
{
	*(__u64 *)ctx += square(i);
	return 0;
}

static long sum_elem(struct bpf_map *map, __u32 *key, __u64 *val, void *ctx)
{
	*(__u64 *)ctx += *val;
	return 0;
}

SEC("raw_tp/sys_enter")
int static_calls(void *ctx)
{
	total += square(3) + global_add(1, 2);
	return 0;
}

SEC("raw_tp/sys_enter")
int loop_callback(void *ctx)
{
	__u64 acc = 0;

	bpf_loop(10, loop_body, &acc, 0);
	bpf_for_each_map_elem(&values, sum_elem, &acc, 0);
	total += acc;
	return 0;
}

SEC("raw_tp/sys_enter")
int tail_target(void *ctx)
{
	total++;
	return 0;
}

SEC("raw_tp/sys_enter")
int tail_caller(void *ctx)
{
	bpf_tail_call(ctx, &jumps, 0);
	return 0;
}

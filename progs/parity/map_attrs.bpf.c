// Parity: every BTF map-attribute form libbpf accepts: __uint as an array dimension, enum-valued
// map_extra (ENUM64 the way arena maps write it, and ENUM), numa_node, pinning, inner maps and
// values initializers of a map-in-map and a program array.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#define ___parity_concat(a, b) a##b
#define ___parity_unique(n) ___parity_concat(__parity_value_, n)
/* an anonymous enum holding the value: 64-bit values make an ENUM64, smaller ones an ENUM */
#define __enumval(name, val) enum { ___parity_unique(__COUNTER__) = val } name

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 4);
	__enumval(map_extra, 0x100000000000ULL);
} arena SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 16);
	__type(value, __u64);
	__enumval(map_extra, 5);
} enum_valued SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 64);
	__type(value, __u32);
	__uint(map_extra, 3);
} bloom SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NUMA_NODE);
	__uint(numa_node, 0);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} on_node SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(pinning, LIBBPF_PIN_NONE);
	__type(key, __u32);
	__type(value, __u32);
} not_pinned SEC(".maps");

struct inner_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} inner_a SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner_map);
} outer SEC(".maps") = {
	.values = { [1] = &inner_a },
};

int tail_target(void *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, int(void *));
} jumps SEC(".maps") = {
	.values = { [0] = (void *)&tail_target },
};

SEC("tp/syscalls/sys_enter_getpid")
int tail_target(void *ctx)
{
	return 0;
}

SEC("tp/syscalls/sys_enter_getppid")
int uses_maps(void *ctx)
{
	__u32 key = 1;

	bpf_map_push_elem(&enum_valued, &key, 0);
	bpf_map_lookup_elem(&on_node, &key);
	bpf_map_lookup_elem(&not_pinned, &key);
	bpf_map_lookup_elem(&outer, &key);
	bpf_map_push_elem(&bloom, &key, 0);
	bpf_tail_call(ctx, &jumps, 0);
	return (long)&arena > 0;
}

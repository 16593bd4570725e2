// A small library linked into every progs/ object by the linker tests: a global function, a map and a
// variable in .data, with names no other object uses, and no license (objects differ in theirs).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

int linked_lib_counter = 7;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1);
} linked_lib_map SEC(".maps");

__noinline int linked_lib_add(int x)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&linked_lib_map, &key);

	if (v)
		*v += x;
	return x + linked_lib_counter;
}

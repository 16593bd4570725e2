// linked_maps, file 2: defines map2, declares map1 extern, and has its own __weak map_weak.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct my_key { long x; };
struct my_value { long x; };
typedef struct my_value my_value_t;   /* typedefs are looked through */

extern struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct my_key);
	__type(value, my_value_t);
	__uint(max_entries, 16);
} map1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, int);
	__type(value, int);
	__uint(max_entries, 8);
} map2 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, int);
	__type(value, int);
	__uint(max_entries, 16);
} map_weak __weak SEC(".maps");

int output_first2;
int output_second2;
int output_weak2;

SEC("raw_tp/sys_enter")
int BPF_PROG(handler_enter2)
{
	/* values with key = 2 */
	int key = 2, val = 2;
	struct my_key key_struct = { .x = 2 };
	my_value_t val_struct = { .x = 2000 };

	bpf_map_update_elem(&map1, &key_struct, &val_struct, 0);
	bpf_map_update_elem(&map2, &key, &val, 0);
	bpf_map_update_elem(&map_weak, &key, &val, 0);
	return 0;
}

SEC("raw_tp/sys_exit")
int BPF_PROG(handler_exit2)
{
	/* values with key = 1, written by file 1's program */
	int key = 1, *val;
	struct my_key key_struct = { .x = 1 };
	my_value_t *value_struct;

	value_struct = bpf_map_lookup_elem(&map1, &key_struct);
	if (value_struct)
		output_first2 = value_struct->x;
	val = bpf_map_lookup_elem(&map2, &key);
	if (val)
		output_second2 = *val;
	val = bpf_map_lookup_elem(&map_weak, &key);
	if (val)
		output_weak2 = *val;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

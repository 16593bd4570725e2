// Library part 2 of the subskeleton test (upstream test_subskeleton_lib2.c, written from the spec):
// a strong .data variable and a map that test_subskeleton_lib declares extern.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

int var6 = 6;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 16);
} map2 SEC(".maps");

char LICENSE[] SEC("license") = "GPL";

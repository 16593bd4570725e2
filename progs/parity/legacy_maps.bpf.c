// Parity: a map defined the pre-1.0 way, in a 'maps' section (libbpf 1.x refuses the object at open), in
// an object with later problems too (a kfunc no kernel has): the legacy section is the one named.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct legacy_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct legacy_map_def legacy_counts SEC("maps") = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 1,
};

extern int bpf_parity_no_such_kfunc(int x) __ksym;

SEC("xdp")
int legacy_prog(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&legacy_counts, &key);

	if (v)
		*v += 1;
	return bpf_parity_no_such_kfunc(1) ? XDP_DROP : XDP_PASS;
}

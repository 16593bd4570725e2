// A map every kernel refuses (a hash map without entries: -EINVAL), with key and value BTF, so the loader first
// retries without BTF ("Retrying without BTF.") and then fails for good. `prog loadall` must report the final
// failure, not the retry warning. The program itself is valid.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct value {
	__u64 count;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 0);
	__type(key, __u32);
	__type(value, struct value);
} no_entries SEC(".maps");

SEC("raw_tp/sys_enter")
int uses_no_entries(void *ctx)
{
	__u32 key = 0;
	struct value *v = bpf_map_lookup_elem(&no_entries, &key);

	if (v)
		__sync_fetch_and_add(&v->count, 1);
	return 0;
}

// Parity: a well-formed object (one BTF map, .data, .rodata, .bss, a subprogram, modern sections, an
// optional '?' program); the tests also derive broken variants from it (no BTF, no symbol table,
// foreign machine, bad version section, section flags changed).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} plain_counts SEC(".maps");

int plain_data = 1;
const volatile int plain_rodata = 2;
int plain_bss;

__attribute__((noinline)) int plain_helper(int x)
{
	return x + plain_data + plain_rodata;
}

SEC("xdp")
int plain_xdp(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&plain_counts, &key);

	if (v)
		*v += plain_helper(plain_bss);
	return XDP_PASS;
}

SEC("tcx/ingress")
int plain_tcx(struct __sk_buff *skb)
{
	return 0;
}

SEC("kprobe.session/do_nanosleep")
int plain_session(void *ctx)
{
	return 0;
}

SEC("?tp/syscalls/sys_enter_getpid")
int plain_optional(void *ctx)
{
	return 0;
}

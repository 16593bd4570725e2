// Parity: two programs whose names the tests make equal by patching the symbol string
// parity_dup_b -> parity_dup_a (C cannot define the same symbol twice).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("xdp")
int parity_dup_a(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("tc")
int parity_dup_b(struct __sk_buff *skb)
{
	return 0;
}

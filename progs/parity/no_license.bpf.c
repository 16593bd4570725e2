// Parity: an object without a license section (libbpf opens it; the license is empty).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("xdp")
int unlicensed(struct xdp_md *ctx)
{
	return XDP_PASS;
}

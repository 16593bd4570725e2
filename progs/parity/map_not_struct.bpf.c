// Parity: a variable in .maps that is not a struct map definition.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

int not_a_map SEC(".maps");

SEC("xdp")
int plain_xdp(struct xdp_md *ctx)
{
	return XDP_PASS;
}

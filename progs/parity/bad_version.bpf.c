// Parity: a 'version' section that is not 4 bytes (libbpf reads the kernel version from it at open).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";
unsigned char parity_version[3] SEC("version") = { 1, 2, 3 };

SEC("xdp")
int versioned(struct xdp_md *ctx)
{
	return XDP_PASS;
}

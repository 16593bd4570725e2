// Parity: a global variable in a data section libbpf does not recognise (not .data/.rodata/.bss*),
// used by a program.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

int parity_custom SEC(".parity_data") = 5;

SEC("xdp")
int reads_custom(struct xdp_md *ctx)
{
	return parity_custom;
}

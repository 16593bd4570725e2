// Parity: a __kconfig extern of a type libbpf cannot fill from a Kconfig value (a struct).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct parity_pair {
	int a, b;
};

extern struct parity_pair CONFIG_PARITY_PAIR __kconfig;

SEC("xdp")
int reads_pair(struct xdp_md *ctx)
{
	return CONFIG_PARITY_PAIR.a;
}

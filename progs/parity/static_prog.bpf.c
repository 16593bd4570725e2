// Parity: a static function in its own program section, in an object that also references a kfunc
// that does not exist. libbpf refuses the static program while collecting programs, before externs.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

extern int bpf_parity_no_such_kfunc(int x) __ksym;

static __attribute__((used)) SEC("xdp") int static_prog(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
int calls_missing_kfunc(struct xdp_md *ctx)
{
	return bpf_parity_no_such_kfunc(1) ? XDP_DROP : XDP_PASS;
}

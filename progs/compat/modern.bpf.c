// Compat: what libbpf 1.1 did not know and 1.7 does: tcx attach sections, kprobe sessions, and a weak kfunc
// that no kernel has, guarded by an existence check (libbpf poisons the call; the verifier drops it as dead code).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

extern int bpf_compat_no_such_kfunc(void) __ksym __weak;

__u64 seen = 0;

SEC("tcx/ingress")
int tcx_ingress(struct __sk_buff *skb)
{
	return TCX_NEXT;
}

SEC("tcx/egress")
int tcx_egress(struct __sk_buff *skb)
{
	return TCX_PASS;
}

SEC("kprobe.session/do_nanosleep")
int session_nanosleep(struct pt_regs *ctx)
{
	return 0;
}

SEC("tp_btf/sys_enter")
int weak_kfunc_guarded(u64 *ctx)
{
	/* bpf_ksym_exists() of libbpf 1.7's bpf_helpers.h, spelled out for 1.1's headers */
	if (!!bpf_compat_no_such_kfunc)
		seen = bpf_compat_no_such_kfunc();
	return 0;
}

// Compat: fentry / fexit / fmod_ret (refused on hosts whose policy forbids trampolines; both loaders must agree).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

__u64 entered = 0, last_ret = 0;

SEC("fentry/do_unlinkat")
int BPF_PROG(fe_unlink, int dfd, struct filename *name)
{
	__sync_fetch_and_add(&entered, 1);
	return 0;
}

SEC("fexit/do_unlinkat")
int BPF_PROG(fx_unlink, int dfd, struct filename *name, long ret)
{
	last_ret = ret;
	return 0;
}

SEC("fmod_ret/bpf_modify_return_test")
int BPF_PROG(fmr_test, int a, int *b, int ret)
{
	return ret;
}

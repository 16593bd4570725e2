// One program per attach mechanism, each counting into .bss when the test process calls getpgid().
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

int target_pid = -1;	/* non-zero so that it lives in .data */
__u64 raw_tp_hits = 0, tp_btf_hits = 0, fentry_hits = 0, fexit_hits = 0, tracepoint_hits = 0, kprobe_hits = 0;
long fexit_ret = 0;

static __always_inline bool is_target(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == target_pid;
}

SEC("raw_tp/sys_enter")
int on_raw_tp(struct bpf_raw_tracepoint_args *ctx)
{
	if (is_target() && ctx->args[1] == 121 /* __NR_getpgid */)
		__sync_fetch_and_add(&raw_tp_hits, 1);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(on_tp_btf, struct pt_regs *regs, long id)
{
	if (is_target() && id == 121)
		__sync_fetch_and_add(&tp_btf_hits, 1);
	return 0;
}

SEC("fentry/__x64_sys_getpgid")
int BPF_PROG(on_fentry, const struct pt_regs *regs)
{
	if (is_target())
		__sync_fetch_and_add(&fentry_hits, 1);
	return 0;
}

SEC("fexit/__x64_sys_getpgid")
int BPF_PROG(on_fexit, const struct pt_regs *regs, long ret)
{
	if (is_target()) {
		__sync_fetch_and_add(&fexit_hits, 1);
		fexit_ret = ret;
	}
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getpgid")
int on_tracepoint(void *ctx)
{
	if (is_target())
		__sync_fetch_and_add(&tracepoint_hits, 1);
	return 0;
}

SEC("?kprobe/__x64_sys_getpgid")
int on_kprobe(struct pt_regs *ctx)
{
	if (is_target())
		__sync_fetch_and_add(&kprobe_hits, 1);
	return 0;
}

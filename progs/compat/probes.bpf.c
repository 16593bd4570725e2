// Compat: kprobes, kretprobes, syscall probes and uprobes (loading needs no attach target).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

__u64 unlinks = 0, failures = 0, opens = 0, mallocs = 0;

SEC("kprobe/do_unlinkat")
int BPF_KPROBE(kp_unlink, int dfd, struct filename *name)
{
	const char *p = BPF_CORE_READ(name, name);
	char buf[16];

	bpf_probe_read_kernel_str(buf, sizeof(buf), p);
	__sync_fetch_and_add(&unlinks, 1);
	return 0;
}

SEC("kretprobe/do_unlinkat")
int BPF_KRETPROBE(krp_unlink, long ret)
{
	if (ret)
		__sync_fetch_and_add(&failures, 1);
	return 0;
}

SEC("ksyscall/openat")
int BPF_KSYSCALL(ks_openat, int dfd, const char *path)
{
	__sync_fetch_and_add(&opens, 1);
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(up_malloc, size_t size)
{
	if (size > 4096)
		__sync_fetch_and_add(&mallocs, 1);
	return 0;
}

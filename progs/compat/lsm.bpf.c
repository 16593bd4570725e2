// Compat: LSM programs (need CONFIG_BPF_LSM), one sleepable, reading file internals.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

__u64 opened = 0, execs = 0;
char last_name[32] = {};

SEC("lsm/file_open")
int BPF_PROG(lsm_file_open, struct file *file)
{
	const unsigned char *name = BPF_CORE_READ(file, f_path.dentry, d_name.name);

	bpf_probe_read_kernel_str(last_name, sizeof(last_name), name);
	__sync_fetch_and_add(&opened, 1);
	return 0;
}

SEC("lsm/bprm_check_security")
int BPF_PROG(lsm_bprm, struct linux_binprm *bprm)
{
	__sync_fetch_and_add(&execs, 1);
	return 0;
}

SEC("lsm.s/file_open")
int BPF_PROG(lsm_sleepable_open, struct file *file)
{
	return 0;
}

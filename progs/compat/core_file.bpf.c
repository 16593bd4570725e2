// Compat: CO-RE walks of file / dentry / inode internals from kprobes and raw tracepoints.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

__u64 last_ino = 0;
char last_file[32] = {};

SEC("kprobe/vfs_read")
int BPF_KPROBE(vfs_read_entry, struct file *file)
{
	last_ino = BPF_CORE_READ(file, f_inode, i_ino);
	bpf_probe_read_kernel_str(last_file, sizeof(last_file), BPF_CORE_READ(file, f_path.dentry, d_name.name));
	return 0;
}

SEC("raw_tp/sys_enter")
int fd0_inode(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct file **fds = BPF_CORE_READ(t, files, fdt, fd);
	struct file *f = NULL;

	bpf_probe_read_kernel(&f, sizeof(f), &fds[0]);
	if (f)
		last_ino = BPF_CORE_READ(f, f_inode, i_ino);
	return 0;
}

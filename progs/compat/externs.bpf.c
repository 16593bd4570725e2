// Compat: __kconfig and __ksym externs and kfunc calls.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern int CONFIG_HZ __kconfig __weak;
extern bool CONFIG_BPF_SYSCALL __kconfig;
extern const struct rq runqueues __ksym;
extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

__u64 seen = 0;

SEC("raw_tp/sys_enter")
int kconfig_values(void *ctx)
{
	if (CONFIG_BPF_SYSCALL)
		seen = LINUX_KERNEL_VERSION + CONFIG_HZ;
	return 0;
}

SEC("tp_btf/sys_enter")
int kfunc_acquire(u64 *ctx)
{
	struct task_struct *t = bpf_task_acquire(bpf_get_current_task_btf());

	if (t) {
		seen = t->pid;
		bpf_task_release(t);
	}
	return 0;
}

SEC("tp_btf/sys_enter")
int percpu_ksym(u64 *ctx)
{
	struct rq *rq = bpf_this_cpu_ptr(&runqueues);

	seen = rq->nr_running;
	return 0;
}

// __kconfig and __ksym externs: Kconfig values (bool, tristate, int, char array, libbpf's virtual
// LINUX_* ones, weak missing ones), typed per-CPU ksyms, untyped ksyms from kallsyms, and kfunc calls
// (resolved, and weak unresolved ones guarded by an existence check).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

// bpf_ksym_exists() arrived in libbpf 1.2's headers; Debian ships 1.1.
#define ksym_exists(sym) (!!(sym))

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern bool LINUX_HAS_BPF_COOKIE __kconfig;
extern bool CONFIG_BPF_SYSCALL __kconfig;
extern enum libbpf_tristate CONFIG_BPF_JIT __kconfig __weak;
extern int CONFIG_HZ __kconfig __weak;
extern char CONFIG_DEFAULT_HOSTNAME[16] __kconfig __weak;
extern bool CONFIG_BPFTESTS_NO_SUCH_OPTION __kconfig __weak;

extern const struct rq runqueues __ksym;	// typed, per-CPU
extern const int bpf_prog_active __ksym;	// typed, per-CPU
extern const void _stext __ksym;		// untyped: address from /proc/kallsyms
extern const void bpftests_no_such_symbol __ksym __weak;

/* Weak: these kfuncs arrived in 6.2; on 6.1 the guarded calls below are dead, poisoned code. */
extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym __weak;
extern void bpf_task_release(struct task_struct *p) __ksym __weak;
extern void bpftests_no_such_kfunc(void) __ksym __weak;

__u32 kernel_version = 0;
__u32 has_cookie = 0;
__u32 bpf_syscall = 0;
__u32 bpf_jit = 0;
__s32 hz = 0;
char hostname[16] = {};
__u32 no_such_option = 1;
__s32 rq_cpu = -1;
__s32 prog_active = -1;
__u64 stext = 0;
__u64 missing_ksym = 1;
__s32 acquired_pid = 0;
__u32 kfunc_missing_exists = 1;
int target_tid = 0;	// set by the test: only this thread's syscalls are recorded
__u32 ran = 0;

SEC("tp_btf/sys_enter")
int read_externs(void *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf(), *held;

	if ((__u32)bpf_get_current_pid_tgid() != (__u32)target_tid)
		return 0;
	kernel_version = LINUX_KERNEL_VERSION;
	has_cookie = LINUX_HAS_BPF_COOKIE;
	bpf_syscall = CONFIG_BPF_SYSCALL;
	bpf_jit = CONFIG_BPF_JIT;
	hz = CONFIG_HZ;
	__builtin_memcpy(hostname, CONFIG_DEFAULT_HOSTNAME, sizeof(hostname));
	no_such_option = CONFIG_BPFTESTS_NO_SUCH_OPTION;
	stext = (__u64)&_stext;
	missing_ksym = (__u64)&bpftests_no_such_symbol;

	if (ksym_exists(bpf_task_acquire)) {
		held = bpf_task_acquire(task);
		if (held) {
			acquired_pid = held->pid;
			bpf_task_release(held);
		}
	}
	kfunc_missing_exists = ksym_exists(bpftests_no_such_kfunc);
	if (ksym_exists(bpftests_no_such_kfunc))
		bpftests_no_such_kfunc();	// poisoned, but dead code: the load succeeds
	ran++;
	return 0;
}

// Not loaded by default: the verifier needs kallsyms entries for per-CPU variables (CONFIG_KALLSYMS_ALL).
SEC("?tp_btf/sys_enter")
int read_percpu_ksyms(void *ctx)
{
	struct rq *rq = bpf_this_cpu_ptr(&runqueues);
	const int *active = bpf_this_cpu_ptr(&bpf_prog_active);

	if ((__u32)bpf_get_current_pid_tgid() != (__u32)target_tid)
		return 0;
	rq_cpu = rq->cpu;
	prog_active = *active;
	return 0;
}

// Not loaded by default: calls the unresolved weak kfunc unconditionally.
SEC("?tp_btf/sys_enter")
int call_missing_kfunc(void *ctx)
{
	bpftests_no_such_kfunc();
	return 0;
}

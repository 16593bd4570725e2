// Compat: CO-RE reads of task_struct internals, bitfields, flavored structs and existence checks.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

struct task_struct___old {
	long state;
} __attribute__((preserve_access_index));

struct mm_struct___mine {
	unsigned long total_vm;
} __attribute__((preserve_access_index));

__u64 result = 0;

SEC("raw_tp/sys_enter")
int core_parent_chain(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();

	result = BPF_CORE_READ(t, real_parent, real_parent, tgid) + BPF_CORE_READ(t, group_leader, pid);
	return 0;
}

SEC("raw_tp/sys_enter")
int core_state_compat(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();

	if (bpf_core_field_exists(t->__state))
		result = BPF_CORE_READ(t, __state);
	else
		result = BPF_CORE_READ((struct task_struct___old *)t, state);
	return 0;
}

SEC("raw_tp/sys_enter")
int core_bitfield(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();

	result = BPF_CORE_READ_BITFIELD_PROBED(t, in_iowait) + bpf_core_field_size(t->comm);
	return 0;
}

SEC("raw_tp/sys_enter")
int core_mm_flavor(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct mm_struct___mine *mm = (void *)BPF_CORE_READ(t, mm);

	result = mm ? BPF_CORE_READ(mm, total_vm) : 0;
	return 0;
}

SEC("tp_btf/sys_enter")
int core_btf_direct(u64 *ctx)
{
	struct task_struct *t = bpf_get_current_task_btf();

	result = t->cred->uid.val + bpf_core_type_size(struct task_struct) + bpf_core_enum_value(enum pid_type, PIDTYPE_TGID);
	return 0;
}

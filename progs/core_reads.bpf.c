// CO-RE reads of several relocation kinds plus a subprogram, so that .BTF.ext carries func_info,
// line_info and core_relo records for the BTF.ext parser tests.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

int observed_pid = 0;
int observed_ppid = 0;
int pid_exists = 0;
int task_type_exists = 0;
long array_map_type = 0;
long comm_size = 0;

static __noinline int add_one(int x)
{
	return x + 1;
}

SEC("raw_tp/sys_enter")
int core_reads(void *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();

	observed_pid = BPF_CORE_READ(task, pid);
	observed_ppid = BPF_CORE_READ(task, real_parent, tgid);
	pid_exists = bpf_core_field_exists(task->pid);
	task_type_exists = bpf_core_type_exists(struct task_struct);
	array_map_type = bpf_core_enum_value(enum bpf_map_type, BPF_MAP_TYPE_ARRAY);
	comm_size = bpf_core_field_size(task->comm);
	return add_one(observed_pid);
}

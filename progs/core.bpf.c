// CO-RE relocations of every kind against the running kernel's BTF: task_struct / sock / file reads,
// ___flavor structs and enums, field existence of a missing field, bitfields, type ids, sizes and matches.
// Results go to .bss; the tests compare them with the kernel BTF and with what user space knows
// (pid, thread comm, socket port, file inode).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

// A local view of task_struct with only what we use: matched by the flavor-less name.
struct task_struct___mine {
	int pid;
	int tgid;
} __attribute__((preserve_access_index));

// A member that no kernel has: field_exists must say 0 and a guarded read must be dead code.
struct task_struct___fake {
	int no_such_field;
} __attribute__((preserve_access_index));

// Type-match counterexample: pid is an int in the kernel, not a long.
struct task_struct___bad {
	long pid;
} __attribute__((preserve_access_index));

// A type no kernel has (flavor stripped: "no_such_type___x" -> "no_such_type").
struct no_such_type___x {
	int a;
} __attribute__((preserve_access_index));

enum bpf_map_type___local {
	BPF_MAP_TYPE_RINGBUF___local = 1,
	BPF_MAP_TYPE_NO_SUCH___local = 2,
};

int target_tid = 0;	// set by the test: only this thread's syscalls are recorded
int target_fd = -1;	// set by the test: the fd whose inode is read through task->files

int seen_pid = 0;
int seen_tgid = 0;
int seen_ppid = 0;
char seen_comm[16] = {};
__u64 seen_ino = 0;
int flavored_pid = 0;
int flavored_tgid = 0;

__u32 off_pid = 0, size_pid = 0, size_comm = 0, signed_pid = 0, signed_flags = 0;
__u32 exists_pid = 0, exists_fake = 0, fake_read = 0;
__u32 bf_off = 0, bf_size = 0, bf_lshift = 0, bf_rshift = 0;
__u64 bf_value = 0;
__u32 type_exists_task = 0, type_exists_none = 0, type_size_task = 0;
__u32 type_matches_mine = 0, type_matches_bad = 0;
__u32 local_type_id = 0, kernel_type_id = 0;
__u64 enum_array = 0, enum_ringbuf = 0;
__u32 enum_exists_ringbuf = 0, enum_exists_none = 0;
__u32 sub_off_tgid = 0;
__u32 hits = 0;

// Relocations inside a subprogram are applied before it is appended to each caller.
static __noinline int subprog_tgid(struct task_struct *task)
{
	sub_off_tgid = bpf_core_field_offset(task->tgid);
	return BPF_CORE_READ(task, tgid);
}

static __always_inline void read_file_inode(struct task_struct *task)
{
	struct file **fds = BPF_CORE_READ(task, files, fdt, fd);
	unsigned int max = BPF_CORE_READ(task, files, fdt, max_fds);
	struct file *f = NULL;

	if (target_fd < 0 || (unsigned int)target_fd >= max)
		return;
	bpf_probe_read_kernel(&f, sizeof(f), &fds[target_fd]);
	if (f)
		seen_ino = BPF_CORE_READ(f, f_inode, i_ino);
}

SEC("raw_tp/sys_enter")
int core_task(void *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct task_struct___mine *mine = (void *)task;
	struct task_struct___fake *fake = (void *)task;

	if ((__u32)bpf_get_current_pid_tgid() != (__u32)target_tid)
		return 0;

	seen_pid = BPF_CORE_READ(task, pid);
	seen_tgid = subprog_tgid(task);
	seen_ppid = BPF_CORE_READ(task, real_parent, tgid);
	BPF_CORE_READ_STR_INTO(&seen_comm, task, comm);
	flavored_pid = BPF_CORE_READ(mine, pid);
	flavored_tgid = BPF_CORE_READ(mine, tgid);
	read_file_inode(task);

	off_pid = bpf_core_field_offset(task->pid);
	size_pid = bpf_core_field_size(task->pid);
	size_comm = bpf_core_field_size(task->comm);
	signed_pid = __builtin_preserve_field_info(task->pid, BPF_FIELD_SIGNED);
	signed_flags = __builtin_preserve_field_info(task->flags, BPF_FIELD_SIGNED);
	exists_pid = bpf_core_field_exists(task->pid);
	exists_fake = bpf_core_field_exists(fake->no_such_field);
	if (bpf_core_field_exists(fake->no_such_field))
		fake_read = BPF_CORE_READ(fake, no_such_field);   // dead code on every kernel: must not fail the load

	bf_off = bpf_core_field_offset(task->in_iowait);
	bf_size = bpf_core_field_size(task->in_iowait);
	bf_lshift = __builtin_preserve_field_info(task->in_iowait, BPF_FIELD_LSHIFT_U64);
	bf_rshift = __builtin_preserve_field_info(task->in_iowait, BPF_FIELD_RSHIFT_U64);
	bf_value = BPF_CORE_READ_BITFIELD_PROBED(task, in_iowait);

	type_exists_task = bpf_core_type_exists(struct task_struct);
	type_exists_none = bpf_core_type_exists(struct no_such_type___x);
	type_size_task = bpf_core_type_size(struct task_struct);
	type_matches_mine = bpf_core_type_matches(struct task_struct___mine);
	type_matches_bad = bpf_core_type_matches(struct task_struct___bad);
	local_type_id = bpf_core_type_id_local(struct task_struct);
	kernel_type_id = bpf_core_type_id_kernel(struct task_struct);

	enum_array = bpf_core_enum_value(enum bpf_map_type, BPF_MAP_TYPE_ARRAY);
	enum_ringbuf = bpf_core_enum_value(enum bpf_map_type___local, BPF_MAP_TYPE_RINGBUF___local);
	enum_exists_ringbuf = bpf_core_enum_value_exists(enum bpf_map_type___local, BPF_MAP_TYPE_RINGBUF___local);
	enum_exists_none = bpf_core_enum_value_exists(enum bpf_map_type___local, BPF_MAP_TYPE_NO_SUCH___local);
	__sync_fetch_and_add(&hits, 1);
	return 0;
}

int sk_port = 0;	// set by the test: the listening port whose state changes are recorded
int sk_seen_num = 0;
int sk_seen_family = 0;
int sk_seen_newstate = 0;

// struct sock internals through sock_common: local port and address family of a socket changing state.
SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(core_sock, const struct sock *sk, int oldstate, int newstate)
{
	int num = BPF_CORE_READ(sk, __sk_common.skc_num);

	if (num != sk_port)
		return 0;
	sk_seen_num = num;
	sk_seen_family = BPF_CORE_READ(sk, __sk_common.skc_family);
	sk_seen_newstate = newstate;
	return 0;
}

// Not loaded by default: reads the missing field without a guard, so the poisoned instruction is reachable.
SEC("?raw_tp/sys_enter")
int core_unguarded(void *ctx)
{
	struct task_struct___fake *fake = (void *)bpf_get_current_task();

	fake_read = BPF_CORE_READ(fake, no_such_field);
	return 0;
}

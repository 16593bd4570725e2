// The smallest useful object: one raw tracepoint program counting syscalls into .bss.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

const volatile int target_pid = 0;
__u64 syscall_count = 0;

SEC("raw_tp/sys_enter")
int count_syscalls(void *ctx)
{
	int pid = bpf_get_current_pid_tgid() >> 32;

	if (target_pid && pid != target_pid)
		return 0;
	__sync_fetch_and_add(&syscall_count, 1);
	return 0;
}

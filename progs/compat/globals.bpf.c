// Compat: global data in .data, .bss, .rodata (const volatile configuration) and custom sections.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 filter_pid = 0;
const volatile char filter_comm[16] = "bash";
__u64 matched = 0;
__u64 limit = 1000;
__u64 custom_counter SEC(".data.counters") = 0;
const volatile __u64 custom_const SEC(".rodata.config") = 7;
static __u64 hidden_total;

SEC("raw_tp/sys_enter")
int globals_filter(void *ctx)
{
	char comm[16];

	if (filter_pid && (bpf_get_current_pid_tgid() >> 32) != filter_pid)
		return 0;
	bpf_get_current_comm(comm, sizeof(comm));
	if (comm[0] != filter_comm[0])
		return 0;
	if (matched < limit)
		matched++;
	custom_counter += custom_const;
	hidden_total++;
	return 0;
}

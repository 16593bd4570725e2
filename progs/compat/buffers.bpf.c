// Compat: ring buffer (output and reserve/submit) and perf buffer events from a tracepoint.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct event {
	__u32 pid;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(int));
	__uint(value_size, sizeof(int));
} pb SEC(".maps");

SEC("tp/sched/sched_process_exec")
int rb_reserve(void *ctx)
{
	struct event *e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);

	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tp/sched/sched_process_exit")
int rb_output(void *ctx)
{
	struct event e = { .pid = bpf_get_current_pid_tgid() >> 32 };

	bpf_ringbuf_output(&rb, &e, sizeof(e), BPF_RB_FORCE_WAKEUP);
	return 0;
}

SEC("tp/sched/sched_process_fork")
int pb_output(void *ctx)
{
	struct event e = { .pid = bpf_get_current_pid_tgid() >> 32 };

	bpf_perf_event_output(ctx, &pb, BPF_F_CURRENT_CPU, &e, sizeof(e));
	return 0;
}

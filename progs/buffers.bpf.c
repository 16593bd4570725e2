// Ring buffer, perf event array and user ring buffer, exercised by the readers in loader/Maps:
// each syscall of the test thread emits one sample to the ring buffer (plus one discarded sample)
// and one to the perf buffer; a SEC("syscall") program drains what user space produced.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct event {
	__u32 tid;
	__u32 cpu;
	__u64 seq;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(int));
	__uint(value_size, sizeof(int));
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 4096);
} urb SEC(".maps");

int target_tid = 0;
__u64 seq = 0;
__u64 drained = 0;
__u64 drained_sum = 0;
long drain_ret = 0;

SEC("raw_tp/sys_enter")
int emit(void *ctx)
{
	struct event e = {}, *r;

	if ((__u32)bpf_get_current_pid_tgid() != (__u32)target_tid)
		return 0;
	e.tid = target_tid;
	e.cpu = bpf_get_smp_processor_id();
	e.seq = ++seq;
	bpf_ringbuf_output(&rb, &e, sizeof(e), 0);
	r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);
	if (r)
		bpf_ringbuf_discard(r, 0);	// the reader must skip it
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &e, sizeof(e));
	return 0;
}

static long drain_one(struct bpf_dynptr *dynptr, void *ctx)
{
	__u64 value = 0;

	if (bpf_dynptr_read(&value, sizeof(value), dynptr, 0, 0))
		return 1;
	drained++;
	drained_sum += value;
	return 0;
}

SEC("syscall")
int drain(void *ctx)
{
	drain_ret = bpf_user_ringbuf_drain(&urb, drain_one, NULL, 0);
	return 0;
}

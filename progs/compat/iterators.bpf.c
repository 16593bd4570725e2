// Compat: BPF iterators over tasks, maps and task files.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("iter/task")
int it_task(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;

	if (!task)
		return 0;
	BPF_SEQ_PRINTF(ctx->meta->seq, "%d %s\n", task->pid, task->comm);
	return 0;
}

SEC("iter/bpf_map")
int it_map(struct bpf_iter__bpf_map *ctx)
{
	struct bpf_map *map = ctx->map;

	if (!map)
		return 0;
	BPF_SEQ_PRINTF(ctx->meta->seq, "%u %s\n", map->id, map->name);
	return 0;
}

SEC("iter/task_file")
int it_task_file(struct bpf_iter__task_file *ctx)
{
	struct file *file = ctx->file;

	if (!file)
		return 0;
	BPF_SEQ_PRINTF(ctx->meta->seq, "%u %lu\n", ctx->fd, file->f_inode->i_ino);
	return 0;
}

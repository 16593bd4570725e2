// Parity: attach-target checks libbpf makes before loading: freplace without a target program fd,
// fentry/fexit/fmod_ret/lsm to kernel functions that do not exist, fentry and iter without a target.
// Each program is loaded alone by the tests (the others' autoload is off).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("freplace/parity_target")
int freplace_no_fd(void *ctx)
{
	return 0;
}

SEC("fentry/parity_no_such_function")
int fentry_unresolved(void *ctx)
{
	return 0;
}

SEC("fexit/parity_no_such_function")
int fexit_unresolved(void *ctx)
{
	return 0;
}

SEC("fmod_ret/parity_no_such_function")
int fmod_ret_unresolved(void *ctx)
{
	return 0;
}

SEC("lsm/parity_no_such_hook")
int lsm_unresolved(void *ctx)
{
	return 0;
}

SEC("iter/parity_no_such_iter")
int iter_unresolved(void *ctx)
{
	return 0;
}

SEC("fentry")
int fentry_bare(void *ctx)
{
	return 0;
}

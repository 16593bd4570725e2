// One arg:ctx-tagged global subprogram per program type, for the fallback's program-type table
// (testcases/ArgCtx/ArgCtxFallbackTests.cs): types with a named context struct get their tagged `void *`
// parameter retyped to it; types without one (syscall) are left alone; a tagged parameter of a type libbpf cannot
// turn into the context (`int *` for raw_tp) gets libbpf's warning and no rewrite.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "bpf_misc.h"

char _license[] SEC("license") = "GPL";

__weak int tc_subprog(void *ctx __arg_ctx)
{
	return bpf_get_hash_recalc(ctx) & 1;
}

SEC("?tc")
int tc_ctx(void *ctx)
{
	return tc_subprog(ctx);
}

__weak int xdp_subprog(void *ctx __arg_ctx)
{
	return bpf_xdp_get_buff_len(ctx) ? XDP_PASS : XDP_DROP;
}

SEC("?xdp")
int xdp_ctx(void *ctx)
{
	return xdp_subprog(ctx);
}

__weak int socket_subprog(void *ctx __arg_ctx)
{
	return bpf_get_socket_cookie(ctx) & 1;
}

SEC("?socket")
int socket_ctx(void *ctx)
{
	return socket_subprog(ctx);
}

__weak int syscall_subprog(void *ctx __arg_ctx)
{
	return ctx != 0;
}

SEC("?syscall")
int syscall_ctx(void *ctx)
{
	return syscall_subprog(ctx);
}

__weak int int_ptr_subprog(int *p __arg_ctx)
{
	return p ? *p : 0;
}

SEC("?raw_tp")
int raw_tp_int_ptr(void *ctx)
{
	return int_ptr_subprog(ctx);
}

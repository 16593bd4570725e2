// Exception callbacks named by the `exception_callback:<name>` decl tag on a main program: nothing calls them,
// so the loader must append them while relocating that program (testcases/ArgCtx/ExceptionCallbackTests.cs).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char _license[] SEC("license") = "GPL";

#define __exception_cb(name) __attribute__((btf_decl_tag("exception_callback:" #name)))

__weak int on_exception(u64 cookie)
{
	return cookie + 1;
}

SEC("?tc")
__exception_cb(on_exception)
int with_callback(struct __sk_buff *skb)
{
	return 0;
}

SEC("?tc")
__exception_cb(no_such_callback)
int with_missing_callback(struct __sk_buff *skb)
{
	return 0;
}

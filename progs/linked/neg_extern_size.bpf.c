// Negative linker input: declares static_linked1's `int var1` as `long` (incompatible extern type).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

extern long var1;

SEC("raw_tp/sys_enter")
int neg_extern_size(const void *ctx)
{
	return var1 == 1;
}

char LICENSE[] SEC("license") = "GPL";

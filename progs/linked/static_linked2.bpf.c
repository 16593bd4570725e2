// static_linked, file 2: same static names as file 1, different values and formula.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

static volatile int static_var1 = 5;
static volatile int static_var2 = 6;
int var2 = 0;
const volatile int rovar2;

static __noinline int subprog(int x)
{
	return x * 3;
}

SEC("raw_tp/sys_enter")
int handler2(const void *ctx)
{
	var2 = subprog(rovar2) + static_var1 + static_var2;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
int VERSION SEC("version") = 1;

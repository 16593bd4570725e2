// static_linked, file 1 (written from upstream's test_static_linked): static variables and a static
// subprog with the same names as in file 2 must stay apart after linking; license and version sections
// appear in both files and are merged into one.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

static volatile long static_var1 = 2;   /* 8-byte aligned .data */
static volatile int static_var2 = 3;
int var1 = 0;
const volatile int rovar1;              /* 4-byte aligned .rodata */

static __noinline int subprog(int x)
{
	return x * 2;
}

SEC("raw_tp/sys_enter")
int handler1(const void *ctx)
{
	var1 = subprog(rovar1) + static_var1 + static_var2;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
int VERSION SEC("version") = 1;

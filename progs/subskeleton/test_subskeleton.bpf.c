// Final object of the subskeleton test (upstream test_subskeleton.c, written from the spec): linked
// after test_subskeleton_lib2 and test_subskeleton_lib; its strong var5 overrides the library's weak one.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

const volatile int rovar1;
int out1;

int var5 = 5;

extern volatile bool CONFIG_BPF_SYSCALL __kconfig;

extern int lib_routine(void);

SEC("raw_tp/sys_enter")
int handler1(const void *ctx)
{
	(void) CONFIG_BPF_SYSCALL;

	out1 = lib_routine() * rovar1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

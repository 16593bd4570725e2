// linked_vars, file 1 (written from upstream's linked_vars1): variables defined in one file and used
// through extern declarations in the other, __weak definitions in .bss/.data/.rodata where the first
// wins, and kconfig/ksym externs declared in both files (one strong, one weak) merged into one.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

extern int LINUX_KERNEL_VERSION __kconfig;
/* weak here, strong in file 2: the link makes it strong */
extern bool CONFIG_BPF_SYSCALL __kconfig __weak;
extern const void bpf_link_fops __ksym __weak;

int input_bss1;
int input_data1 = 1;
const volatile int input_rodata1 = 11;

int input_bss_weak __weak;
/* these definitions win over file 2's */
int input_data_weak __weak = 10;
const volatile int input_rodata_weak __weak = 100;

extern int input_bss2;
extern int input_data2;
extern const int input_rodata2;

int output_bss1;
int output_data1;
int output_rodata1;

long output_sink1;

SEC("raw_tp/sys_enter")
int BPF_PROG(handler1)
{
	output_bss1 = input_bss1 + input_bss2 + input_bss_weak;
	output_data1 = input_data1 + input_data2 + input_data_weak;
	output_rodata1 = input_rodata1 + input_rodata2 + input_rodata_weak;

	/* use the special externs so that the compiler keeps them */
	output_sink1 = LINUX_KERNEL_VERSION + CONFIG_BPF_SYSCALL + (long)&bpf_link_fops;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

// linked_vars, file 2: the other half; its weak definitions lose.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

extern int LINUX_KERNEL_VERSION __kconfig;
/* strong here */
extern bool CONFIG_BPF_SYSCALL __kconfig;
extern const void __start_BTF __ksym;

int input_bss2;
int input_data2 = 2;
const volatile int input_rodata2 = 22;

int input_bss_weak __weak;
/* these lose to file 1's */
int input_data_weak __weak = 20;
const volatile int input_rodata_weak __weak = 200;

extern int input_bss1;
extern int input_data1;
extern const int input_rodata1;

int output_bss2;
int output_data2;
int output_rodata2;

long output_sink2;

SEC("raw_tp/sys_enter")
int BPF_PROG(handler2)
{
	output_bss2 = input_bss1 + input_bss2 + input_bss_weak;
	output_data2 = input_data1 + input_data2 + input_data_weak;
	output_rodata2 = input_rodata1 + input_rodata2 + input_rodata_weak;

	output_sink2 = LINUX_KERNEL_VERSION + CONFIG_BPF_SYSCALL + (long)&__start_BTF;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

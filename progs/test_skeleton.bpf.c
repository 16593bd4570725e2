// The skeleton test's object (our own program covering what upstream's test_skeleton.c checks): initialized
// and zeroed globals in .data/.bss/.rodata, custom .data.*/.rodata.* sections, arrays, a struct global,
// kconfig externs. On sys_enter of the test's own process it copies inputs to outputs, so the test sees
// through the mmap'ed sections what the program saw.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct skel_pair {
	int a;
	long long b;
} __attribute__((packed));

/* .data */
int in1 = -1;
long long in2 = -1;
struct skel_pair in5 = { .a = 3, .b = 4 };
/* .bss */
char out1 = 0;
long long out2 = 0;
int out3 = 0;
struct skel_pair out5;
int out_sum;
/* .rodata */
const volatile int in3 = -1;
const volatile struct skel_pair in4 = { .a = -1, .b = -1 };
const volatile int target_pid;
/* custom sections, with arrays */
const volatile int in_dynarr_sz SEC(".rodata.dyn") = 4;
const volatile int in_dynarr[4] SEC(".rodata.dyn") = { -1, -2, -3, -4 };
int out_dynarr[4] SEC(".data.dyn") = { 1, 2, 3, 4 };
int read_mostly_var SEC(".data.read_mostly");
int out_mostly_var;
/* kconfig */
extern int LINUX_KERNEL_VERSION __kconfig;
extern bool CONFIG_BPF_SYSCALL __kconfig;
int kern_ver;
bool bpf_syscall;

SEC("raw_tp/sys_enter")
int handler(const void *ctx)
{
	int i;

	if ((bpf_get_current_pid_tgid() >> 32) != target_pid)
		return 0;
	out1 = in1;
	out2 = in2;
	out3 = in3 + in4.a;
	out5.a = in5.a + in4.a;
	out5.b = in5.b + in4.b;
	out_sum = 0;
	for (i = 0; i < in_dynarr_sz && i < 4; i++)
		out_dynarr[i] = in_dynarr[i] + i;
	out_mostly_var = read_mostly_var;
	kern_ver = LINUX_KERNEL_VERSION;
	bpf_syscall = CONFIG_BPF_SYSCALL;
	return 0;
}

// Global data in every kind of section: .data, .rodata, .bss, .data.<name>, .rodata.<name>.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct pair {
	__u32 a;
	__u64 b;
};

int data_int = 42;
struct pair data_pair = { .a = 1, .b = 2 };
const volatile __u64 rodata_u64 = 0x1122334455667788ULL;
const volatile char rodata_name[8] = "initial";
__u64 bss_result = 0;
__u32 bss_array[4];
int custom_counter SEC(".data.custom") = 100;
const volatile int custom_const SEC(".rodata.custom") = 7;
static int static_var = 5;

SEC("tc")
int read_globals(struct __sk_buff *skb)
{
	bss_result = data_int + data_pair.a + data_pair.b + rodata_u64 + custom_const + static_var;
	bss_array[0] = rodata_name[0];
	bss_array[3] = 0xabcd;
	custom_counter++;
	data_int = -1;
	return 0;
}

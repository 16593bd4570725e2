// Parity: a typed __ksym variable and an untyped one (void), both missing from every kernel, in one
// object that is only opened; and a weak one.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

extern const int parity_no_such_ksym __ksym;
extern const void parity_no_such_addr __ksym;
extern const int parity_weak_ksym __ksym __weak;

SEC("tp_btf/sys_enter")
int reads_ksyms(u64 *ctx)
{
	return parity_no_such_ksym + (long)&parity_no_such_addr + (long)&parity_weak_ksym;
}

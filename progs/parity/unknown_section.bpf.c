// Parity: a program in a section no section definition matches (type unspec; refused at load).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("parity_unknown/section")
int unknown_sec_prog(void *ctx)
{
	return 0;
}

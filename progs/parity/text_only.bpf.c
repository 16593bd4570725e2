// Parity: an object whose only code is a global function in .text (no program sections).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

__attribute__((noinline)) int parity_text_helper(int x)
{
	return x * 3 + 1;
}

// Negative linker input: a license that differs from the other inputs' "GPL".
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

int neg_license_var = 1;

char LICENSE[] SEC("license") = "Dual BSD/GPL";

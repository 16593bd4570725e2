// Port of selftests progs/struct_ops_detach.c: a zero-initialised link map and no programs.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "bpf_testmod.h"

char _license[] SEC("license") = "GPL";

SEC(".struct_ops.link")
struct bpf_testmod_ops testmod_do_detach;

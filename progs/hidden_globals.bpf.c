// A hidden-visibility global next to a default-visibility one: libbpf gives the hidden one static
// linkage in the BTF it loads (the kernel then treats it as private to the object).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

__attribute__((visibility("hidden"))) int hidden_counter = 1;
int visible_counter = 2;

SEC("syscall")
int touch_globals(void *ctx)
{
	hidden_counter++;
	visible_counter++;
	return 0;
}

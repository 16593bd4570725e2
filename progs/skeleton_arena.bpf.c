// A BPF arena map with __arena globals: the generated skeleton lists the map and says, in its source, that
// the arena's globals (section .addr_space.1) get no typed view (the loader does not map arenas). Opened
// only: nothing references the arena globals, so the object opens without arena relocations.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define __arena __attribute__((address_space(1)))

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1); /* pages */
} arena SEC(".maps");

int __arena arena_counter;
long __arena arena_total = 7;

int plain = 1;

SEC("syscall")
int noop(void *ctx)
{
	return plain;
}

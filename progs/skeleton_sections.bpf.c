// The skeleton generator's golden test for custom .bss.* sections and names that clash in C#, and the .bss.*
// round trip: a syscall program writes the custom sections, the generated skeleton reads them back.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct sec_counters {
	__u64 hits;
	__u32 last;
};

/* .bss.* custom sections: zero-initialised (NOBITS), one global-data map each, as libbpf makes them */
struct sec_counters stats SEC(".bss.stats");
__u32 seen[4] SEC(".bss.stats");
/* longer than the 15 characters of a kernel map name: the map is ".bss.a_very_lon", the view keeps the section's name */
int long_named SEC(".bss.a_very_long_section_name");

/* a user map called 'data' next to the .data section: both are Maps members (bpftool emits duplicate fields) */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} data SEC(".maps");

/* variables named like members a generated section view already has */
int section = 1;
int offset = 2;
int BtfLayout = 3;

/* C# keywords as enumerators */
enum sec_kind { base = 1, object = 2, params = 3 };
enum sec_kind kind_var = object;

/* a struct named like the generated nested class Types, with members named like System.Object's methods */
struct types {
	int to_string;
	int equals;
};
struct types types_var = { 4, 5 };

SEC("syscall")
int fill(void *ctx)
{
	stats.hits++;
	stats.last = section + offset;
	seen[3] = BtfLayout;
	long_named = kind_var;
	return 0;
}

/* a program named like System.Object.ToString */
SEC("syscall")
int to_string(void *ctx)
{
	return types_var.to_string + types_var.equals;
}

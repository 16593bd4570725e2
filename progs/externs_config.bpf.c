// Kconfig externs that no real kernel has: a strong one makes the load fail unless the caller supplies a
// value (extra Kconfig text or a Kconfig file), and weak ones of every storage type.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

extern int CONFIG_BPFTESTS_NUMBER __kconfig;
extern bool CONFIG_BPFTESTS_BOOL __kconfig __weak;
extern enum libbpf_tristate CONFIG_BPFTESTS_TRISTATE __kconfig __weak;
extern char CONFIG_BPFTESTS_CHAR __kconfig __weak;
extern char CONFIG_BPFTESTS_STRING[8] __kconfig __weak;
extern unsigned long long CONFIG_BPFTESTS_HEX __kconfig __weak;

__s64 number = 0, hex = 0;
__u32 boolean = 0, tristate = 0, chr = 0;
char string[8] = {};

SEC("syscall")
int read_config(void *ctx)
{
	number = CONFIG_BPFTESTS_NUMBER;
	boolean = CONFIG_BPFTESTS_BOOL;
	tristate = CONFIG_BPFTESTS_TRISTATE;
	chr = CONFIG_BPFTESTS_CHAR;
	hex = CONFIG_BPFTESTS_HEX;
	__builtin_memcpy(string, CONFIG_BPFTESTS_STRING, sizeof(string));
	return 0;
}

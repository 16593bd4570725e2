// bpf-to-bpf calls: static and global subprograms, a call chain, a bpf_loop callback, .rodata constants.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 multiplier = 1;
const volatile __u32 offset = 0;

__u64 loop_sum = 0;

static __noinline __u32 square(__u32 x)
{
	return x * x;
}

static __noinline __u32 scaled_square(__u32 x)
{
	return square(x) * multiplier;
}

__noinline int global_add(int a, int b)
{
	return a + b + offset;
}

static long add_index(__u64 index, void *ctx)
{
	loop_sum += index;
	return 0;
}

SEC("tc")
int compute(struct __sk_buff *skb)
{
	__u32 r = scaled_square(3);          /* 9 * multiplier */

	bpf_loop(5, add_index, NULL, 0);     /* loop_sum += 0+1+2+3+4 */
	return global_add(r, 1);             /* + 1 + offset */
}

SEC("tc")
int second_entry(struct __sk_buff *skb)
{
	return square(4) + global_add(0, 0);  /* shares subprograms with 'compute' */
}

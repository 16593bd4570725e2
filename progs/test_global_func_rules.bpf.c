// Our own programs for the verifier rules that upstream's test_global_func1..17 check, one program each
// (written from what each checks, not from their sources). Every global (non-static, __noinline) function is
// verified on its own, from its BTF prototype only: its callers' knowledge does not reach it and vice versa.
// Messages are substrings (or regexes) that 6.1 and later kernels share. The functions are __weak so that clang
// cannot fold their results or arguments into the callers (a weak body may be replaced at link time).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "bpf_misc.h"

char _license[] SEC("license") = "GPL";

/* Writes all n bytes of a stack buffer, so the verifier counts n bytes of stack for the function. */
#define STACK_USE(n)                                  \
	volatile long buf[n / 8];                     \
	_Pragma("unroll")                             \
	for (int i = 0; i < n / 8; i++)               \
		buf[i] = x + i

/* func1/func2: the stack of a chain of global calls is summed against the 512-byte limit. */
__weak __noinline int big_frame3(int x) { STACK_USE(200); return buf[0] + buf[24]; }
__weak __noinline int big_frame2(int x) { STACK_USE(200); return big_frame3(x + buf[0]) + buf[24]; }
__weak __noinline int big_frame1(int x) { STACK_USE(200); return big_frame2(x + buf[0]) + buf[24]; }

SEC("?tc")
__description("global func1: combined stack of a global call chain too large")
__failure __msg("combined stack size of 4 calls is")
int stack_chain_too_large(struct __sk_buff *skb)
{
	return big_frame1(skb->len);
}

__weak __noinline int small_frame2(int x) { STACK_USE(64); return buf[0] + buf[7]; }
__weak __noinline int small_frame1(int x) { STACK_USE(64); return small_frame2(x + buf[0]) + buf[7]; }

SEC("?tc")
__description("global func2: combined stack of a global call chain within limits")
__success
int stack_chain_fits(struct __sk_buff *skb)
{
	return small_frame1(skb->len);
}

/* func3/func4: at most 8 frames (MAX_CALL_FRAMES). */
__weak __noinline int depth8(int x) { return x + 8; }
__weak __noinline int depth7(int x) { return depth8(x) + 7; }
__weak __noinline int depth6(int x) { return depth7(x) + 6; }
__weak __noinline int depth5(int x) { return depth6(x) + 5; }
__weak __noinline int depth4(int x) { return depth5(x) + 4; }
__weak __noinline int depth3(int x) { return depth4(x) + 3; }
__weak __noinline int depth2(int x) { return depth3(x) + 2; }
__weak __noinline int depth1(int x) { return depth2(x) + 1; }

SEC("?tc")
__description("global func3: call stack of 9 frames is too deep")
__failure __msg("frames is too deep")
int call_chain_too_deep(struct __sk_buff *skb)
{
	return depth1(skb->len);
}

SEC("?tc")
__description("global func4: call stack of 8 frames is allowed")
__success
int call_chain_max_depth(struct __sk_buff *skb)
{
	return depth2(skb->len);
}

/* func5/func6: a global function whose parameter is the context accepts only the unmodified ctx pointer. */
__weak __noinline int takes_ctx(struct __sk_buff *skb) { return skb->len; }

SEC("?tc")
__description("global func5: modified ctx pointer passed as ctx argument")
__failure __msg("dereference of modified ctx ptr R1")
int pass_modified_ctx(struct __sk_buff *skb)
{
	return takes_ctx((void *)skb + 4);
}

SEC("?tc")
__description("global func6: global function reading the ctx it was passed")
__success __retval(64)
int pass_ctx(struct __sk_buff *skb)
{
	return takes_ctx(skb);
}

/* func7: a global function must return a scalar (or, since v6.6, nothing). */
struct point { long x, y; };
struct point points[2];

__weak __noinline struct point *returns_pointer(int i)
{
	return &points[i & 1];
}

SEC("?tc")
__description("global func7: global function returning a pointer")
__failure __regex("Global function returns_pointer\\(\\) (doesn't return scalar|return value not void or scalar)")
int call_pointer_returner(struct __sk_buff *skb)
{
	return returns_pointer(skb->len)->x;
}

/* func8: helpers may be called from a global function. */
__weak __noinline int calls_helper(int x) { return (bpf_get_prandom_u32() & 1) + x; }

SEC("?tc")
__description("global func8: global function calling a helper")
__success
int call_helper_in_global(struct __sk_buff *skb)
{
	return calls_helper(skb->len);
}

/* func9/func10/func12: pointer parameters are memory of the pointee's size that may be NULL. */
__weak __noinline int reads_point_checked(const struct point *p)
{
	if (!p)
		return 0;
	return p->x + p->y;
}

SEC("?tc")
__description("global func9: NULL-checked pointer argument, stack and NULL passed")
__success __retval(3)
int pass_stack_and_null(struct __sk_buff *skb)
{
	struct point p = { .x = skb->len - 63, .y = 2 };

	return reads_point_checked(&p) + reads_point_checked(0);
}

__weak __noinline int reads_point_unchecked(const struct point *p)
{
	return p->x;
}

SEC("?tc")
__description("global func10: pointer argument dereferenced without a NULL check")
__failure __msg("invalid mem access 'mem_or_null'")
int deref_maybe_null(struct __sk_buff *skb)
{
	struct point p = { .x = skb->len, .y = 2 };

	return reads_point_unchecked(&p);
}

SEC("?tc")
__description("global func12: stack region smaller than the pointee")
__failure __regex("invalid (indirect access to|read from) stack R1 off=-8 size=16")
int pass_too_small_stack(struct __sk_buff *skb)
{
	long small = 1;

	return reads_point_checked((void *)&small);
}

/* func11/func13: the caller's argument must match the parameter's kind. */
SEC("?tc")
__description("global func11: ctx passed where memory is expected")
__failure __msg("Caller passes invalid args into func#")
int pass_ctx_as_memory(struct __sk_buff *skb)
{
	return reads_point_checked((void *)skb);
}

SEC("?tc")
__description("global func13: memory passed where the ctx is expected")
__failure __msg("Caller passes invalid args into func#")
int pass_memory_as_ctx(struct __sk_buff *skb)
{
	struct point p = { .x = skb->len, .y = 2 };

	return takes_ctx((void *)&p);
}

/* func14: a pointer to a type of unknown size cannot be a parameter. */
struct opaque;

__weak __noinline int takes_opaque(struct opaque *o)
{
	return o != 0;
}

SEC("?tc")
__description("global func14: pointer to a forward-declared struct")
__failure __msg("size cannot be determined")
int pass_opaque(struct __sk_buff *skb)
{
	long v = skb->len;

	return takes_opaque((void *)&v);
}

/* func15: the program's return range still applies to values computed by a global function. */
__weak __noinline int returns_two(int x) { return 2; }

SEC("?cgroup_skb/ingress")
__description("global func15: cgroup_skb returning a global function's out-of-range value")
__failure __msg("At program exit the register R0 has")
int bad_cgroup_return(struct __sk_buff *skb)
{
	return returns_two(skb->len);
}

/* func16: a global function's body is verified for any argument its prototype allows, not for what its
 * callers pass: reading through a scalar parameter fails whatever value the caller passes (and a caller may
 * not pass a pointer for it: "R1 is not a scalar").
 */
__weak __noinline int reads_through_scalar(long addr)
{
	return *(int *)addr;
}

SEC("?tc")
__description("global func16: body verified for any argument, not the caller's")
__failure __msg("invalid mem access 'scalar'")
int pass_address_as_scalar(struct __sk_buff *skb)
{
	return reads_through_scalar(skb->len);
}

/* func17: a global function's result is an unknown scalar to its caller. */
__weak __noinline int returns_one(void) { return 1; }

SEC("?tc")
__description("global func17: caller cannot rely on a global function's return value")
__failure __regex("map_value pointer be out of bounds|min value is negative|unbounded memory access")
int rely_on_return_value(struct __sk_buff *skb)
{
	/* returns_one() is 1 to a human; to the verifier its result is any int, so the index is unbounded */
	return ((char *)points)[returns_one()];
}

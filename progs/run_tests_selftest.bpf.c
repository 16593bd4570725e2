// Programs that make RUN_TESTS fail on purpose (testcases/ArgCtx/RunTestsSandbox.cs runs them in a nested
// NUnit run and checks the failure output), plus ones that must pass, to show each check can go both ways.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "bpf_misc.h"

char _license[] SEC("license") = "GPL";

SEC("?tc")
__success __log_level(2)
__msg("r0 = 42")
__msg("this text is in no verifier log")
int msg_absent(struct __sk_buff *skb)
{
	return 42;
}

SEC("?tc")
__failure __msg("R0 !read_ok")
int failure_that_loads(struct __sk_buff *skb)
{
	return 0;
}

SEC("?tc")
__success __retval(1)
int retval_mismatch(struct __sk_buff *skb)
{
	return 2;
}

SEC("?tc")
__success __retval(2) __log_level(2) __regex("R0_?w?=2")
int retval_and_regex_match(struct __sk_buff *skb)
{
	return 2;
}

SEC("?tc")
__description("described failure")
__failure __msg("unreachable insn 1")
int described_failure(void *ctx)
{
	asm volatile ("exit");
	return 0;
}

SEC("?tc")
__success __success_unpriv
int with_unpriv_variant(struct __sk_buff *skb)
{
	return 0;
}

/* Annotations read by the RUN_TESTS runner (harness/RunTests, BpfHarness.ProgramTests): each becomes a BTF decl tag
 * "comment:<spec>" on the program, as in the kernel selftests' bpf_misc.h.
 */
#ifndef BPFTESTS_BPF_MISC_H
#define BPFTESTS_BPF_MISC_H

#define __test_tag(spec) __attribute__((btf_decl_tag("comment:" spec)))
#define __success __test_tag("test_expect_success")
#define __failure __test_tag("test_expect_failure")
#define __msg(msg) __test_tag("test_expect_msg=" msg)
#define __regex(re) __test_tag("test_expect_regex=" re)
#define __description(desc) __test_tag("test_description=" desc)
#define __log_level(lvl) __test_tag("test_log_level=" #lvl)
#define __retval(val) __test_tag("test_retval=" #val)
#define __auxiliary __test_tag("test_auxiliary")
#define __auxiliary_unpriv __test_tag("test_auxiliary_unpriv")
#define __flag(flag) __test_tag("test_prog_flags=" #flag)
/* Unprivileged variants: RUN_TESTS reports them as skipped subtests "<name> @unpriv" (the port runs as root). */
#define __success_unpriv __test_tag("test_expect_success_unpriv")
#define __failure_unpriv __test_tag("test_expect_failure_unpriv")
#define __msg_unpriv(msg) __test_tag("test_expect_msg_unpriv=" msg)
#define __regex_unpriv(re) __test_tag("test_expect_regex_unpriv=" re)
#define __retval_unpriv(val) __test_tag("test_retval_unpriv=" #val)

/* A global subprogram argument that is the program's context (kernel 6.8+, libbpf fallback before). */
#define __arg_ctx __attribute__((btf_decl_tag("arg:ctx")))

#endif

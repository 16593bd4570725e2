/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types that bpf_testmod exports through its module BTF. BPF programs include this header
 * (after vmlinux.h) to declare struct_ops maps of these types; the module includes it to
 * define them. libbpf matches struct_ops members by name, so the order here is ours.
 */
#ifndef BPF_TESTMOD_H
#define BPF_TESTMOD_H

struct task_struct;

struct bpf_testmod_ops {
	int (*test_1)(void);
	void (*test_2)(int a, int b);
	/* The task argument may be NULL: its CFI stub names it task__nullable. */
	int (*test_maybe_null)(int dummy, struct task_struct *task);
	/* Has no CFI stub, so the kernel (>= 6.11) refuses programs for it. */
	int (*unsupported_ops)(void);
	/* Non-function members: the kernel requires them zero unless init_member takes them. */
	char onebyte;
	struct {
		int a;
		int b;
	} unsupported;
	/* Copied by init_member; .reg passes it as test_2's second argument. */
	int data;
};

struct bpf_testmod_ops2 {
	int (*test_1)(void);
};

#endif /* BPF_TESTMOD_H */

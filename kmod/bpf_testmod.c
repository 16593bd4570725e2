// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_testmod for BpfTests: the kernel-side counterpart of the struct_ops tests.
 *
 * Written for this project from what the tests need of it:
 *  - struct_ops types bpf_testmod_ops and bpf_testmod_ops2, registered with
 *    register_bpf_struct_ops() on kernels that let modules register struct_ops (>= 6.9);
 *  - the trigger file /sys/kernel/bpf_testmod whose read and write fail with -EIO;
 *  - an exit path that waits for the users of its test object.
 * One source for every kernel of the matrix (6.1, 6.12, 7.2): API differences are
 * LINUX_VERSION_CODE conditionals, never copies.
 */
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/delay.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/refcount.h>
#include <linux/sysfs.h>
#include <linux/version.h>

#include "bpf_testmod.h"

/* Kernels that can take struct_ops types from modules (register_bpf_struct_ops, cfi_stubs). */
#define TESTMOD_HAS_MODULE_STRUCT_OPS (LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0))
/* v6.10 gave .reg/.unreg a struct bpf_link argument. */
#define TESTMOD_REG_HAS_LINK (LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0))
/* v6.10 gave bpf_base_func_proto() the program argument. */
#define TESTMOD_BASE_PROTO_HAS_PROG (LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0))
/* v6.16 made the bin_attribute argument of sysfs read/write handlers const. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 16, 0)
#define TESTMOD_BIN_ATTR const struct bin_attribute
#else
#define TESTMOD_BIN_ATTR struct bin_attribute
#endif

/*
 * The test object: users take a reference and module exit waits until only the module's
 * own reference is left, so an unload can never free it under a user.
 */
struct bpf_testmod_test_obj {
	refcount_t cnt;
};
static struct bpf_testmod_test_obj testmod_obj = { .cnt = REFCOUNT_INIT(1) };

/* ---- trigger file ------------------------------------------------------------------- */

/* noinline so that fentry/kprobe tests can attach to them (they are in kallsyms and BTF). */
static noinline int bpf_testmod_test_read_hook(loff_t off, size_t len)
{
	return (int)(off + len);
}

static noinline int bpf_testmod_test_write_hook(loff_t off, size_t len)
{
	return (int)(off + len);
}

/* Reading is a trigger only: it runs the hook and always fails with -EIO. */
static noinline ssize_t bpf_testmod_test_read(struct file *file, struct kobject *kobj,
					      TESTMOD_BIN_ATTR *bin_attr, char *buf,
					      loff_t off, size_t len)
{
	bpf_testmod_test_read_hook(off, len);
	return -EIO;
}

/* Writing is a trigger only: it runs the hook and always fails with -EIO. */
static noinline ssize_t bpf_testmod_test_write(struct file *file, struct kobject *kobj,
					       TESTMOD_BIN_ATTR *bin_attr, char *buf,
					       loff_t off, size_t len)
{
	bpf_testmod_test_write_hook(off, len);
	return -EIO;
}

/* A binary attribute: sysfs lets it be 0666 and hands the raw (off, len) to the handlers. */
static struct bin_attribute bin_attr_bpf_testmod_file __ro_after_init = {
	.attr = { .name = "bpf_testmod", .mode = 0666, },
	.read = bpf_testmod_test_read,
	.write = bpf_testmod_test_write,
};

/* ---- struct_ops --------------------------------------------------------------------- */
#if TESTMOD_HAS_MODULE_STRUCT_OPS

static int bpf_testmod_ops_init(struct btf *btf)
{
	return 0;
}

/* Programs read their arguments through the member's BTF prototype. */
static bool bpf_testmod_ops_is_valid_access(int off, int size, enum bpf_access_type type,
					    const struct bpf_prog *prog,
					    struct bpf_insn_access_aux *info)
{
	return bpf_tracing_btf_ctx_access(off, size, type, prog, info);
}

#if TESTMOD_BASE_PROTO_HAS_PROG
#define testmod_get_func_proto bpf_base_func_proto
#else
static const struct bpf_func_proto *testmod_get_func_proto(enum bpf_func_id func_id,
							   const struct bpf_prog *prog)
{
	return bpf_base_func_proto(func_id);
}
#endif

static const struct bpf_verifier_ops bpf_testmod_verifier_ops = {
	.get_func_proto = testmod_get_func_proto,
	.is_valid_access = bpf_testmod_ops_is_valid_access,
};

/*
 * The kernel rejects a map whose non-function members are non-zero unless init_member
 * takes them. We take `data` (matched by offset) and leave every other member to the kernel.
 */
static int bpf_testmod_ops_init_member(const struct btf_type *t,
				       const struct btf_member *member,
				       void *kdata, const void *udata)
{
	if (__btf_member_bit_offset(t, member) == offsetof(struct bpf_testmod_ops, data) * 8) {
		((struct bpf_testmod_ops *)kdata)->data =
			((const struct bpf_testmod_ops *)udata)->data;
		return 1;
	}
	return 0;
}

#if TESTMOD_REG_HAS_LINK
#define TESTMOD_REG_ARGS void *kdata, struct bpf_link *link
#else
#define TESTMOD_REG_ARGS void *kdata
#endif

/* Registration runs test_1, then test_2(4, data): the tests read both results from .bss. */
static int bpf_dummy_reg(TESTMOD_REG_ARGS)
{
	struct bpf_testmod_ops *ops = kdata;

	if (ops->test_1)
		ops->test_1();
	if (ops->test_2)
		ops->test_2(4, ops->data);
	return 0;
}

static void bpf_dummy_unreg(TESTMOD_REG_ARGS)
{
}

/* CFI stubs: one per supported function member; unsupported_ops deliberately has none. */
static int bpf_testmod_test_1(void)
{
	return 0;
}

static void bpf_testmod_test_2(int a, int b)
{
}

static int bpf_testmod_test_maybe_null(int dummy, struct task_struct *task__nullable)
{
	return 0;
}

static struct bpf_testmod_ops __bpf_testmod_ops = {
	.test_1 = bpf_testmod_test_1,
	.test_2 = bpf_testmod_test_2,
	.test_maybe_null = bpf_testmod_test_maybe_null,
};

static struct bpf_struct_ops testmod_st_ops = {
	.verifier_ops = &bpf_testmod_verifier_ops,
	.init = bpf_testmod_ops_init,
	.init_member = bpf_testmod_ops_init_member,
	.reg = bpf_dummy_reg,
	.unreg = bpf_dummy_unreg,
	.cfi_stubs = &__bpf_testmod_ops,
	.name = "bpf_testmod_ops",
	/* Every map of this type pins the module: delete_module returns EAGAIN meanwhile. */
	.owner = THIS_MODULE,
};

static int bpf_dummy_reg2(TESTMOD_REG_ARGS)
{
	struct bpf_testmod_ops2 *ops = kdata;

	if (ops->test_1)
		ops->test_1();
	return 0;
}

static struct bpf_testmod_ops2 __bpf_testmod_ops2 = {
	.test_1 = bpf_testmod_test_1,
};

static struct bpf_struct_ops testmod_st_ops2 = {
	.verifier_ops = &bpf_testmod_verifier_ops,
	.init = bpf_testmod_ops_init,
	.init_member = bpf_testmod_ops_init_member,
	.reg = bpf_dummy_reg2,
	.unreg = bpf_dummy_unreg,
	.cfi_stubs = &__bpf_testmod_ops2,
	.name = "bpf_testmod_ops2",
	.owner = THIS_MODULE,
};

static int bpf_testmod_register_struct_ops(void)
{
	int ret;

	ret = register_bpf_struct_ops(&testmod_st_ops, bpf_testmod_ops);
	return ret ?: register_bpf_struct_ops(&testmod_st_ops2, bpf_testmod_ops2);
}

#else /* !TESTMOD_HAS_MODULE_STRUCT_OPS */

/* Before 6.9 modules cannot provide struct_ops types; the tests skip with that reason. */
static int bpf_testmod_register_struct_ops(void)
{
	return 0;
}

#endif /* TESTMOD_HAS_MODULE_STRUCT_OPS */

/* ---- module life cycle -------------------------------------------------------------- */

static int __init bpf_testmod_init(void)
{
	int ret;

	ret = bpf_testmod_register_struct_ops();
	if (ret)
		return ret;
	return sysfs_create_bin_file(kernel_kobj, &bin_attr_bpf_testmod_file);
}

static void __exit bpf_testmod_exit(void)
{
	/* Wait for the users of the test object; each check sleeps 20 ms like upstream's. */
	while (refcount_read(&testmod_obj.cnt) > 1)
		msleep(20);

	sysfs_remove_bin_file(kernel_kobj, &bin_attr_bpf_testmod_file);
	/* struct_ops types need no unregistration: they go away with the module's BTF. */
}

module_init(bpf_testmod_init);
module_exit(bpf_testmod_exit);

MODULE_AUTHOR("BpfTests");
MODULE_DESCRIPTION("BPF selftests module for BpfTests");
MODULE_LICENSE("GPL");

// Negative linker input, compiled without -g: an extern in an object without BTF.
extern int neg_nobtf_missing;

__attribute__((section("raw_tp/sys_enter"), used)) static int neg_nobtf_extern(void *ctx)
{
	return neg_nobtf_missing;
}

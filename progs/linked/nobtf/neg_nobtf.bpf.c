// Negative linker input, compiled without -g: a global definition in an object without BTF.
int neg_nobtf_global = 1;

// Tricky BTF for the skeleton generator's golden tests (never loaded with its struct_ops map: the
// struct_ops type is local): anonymous unions and structs, arrays of structs, C# keywords, names that
// meet after PascalCase, bitfields, padding, enums, pointers and function pointers, a 2-D array.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

enum color { RED = 1, GREEN = 2, BLUE = -1 };

struct point {
	short x;
	short y;
};

struct tricky {
	char c;			/* 7 bytes of padding follow */
	long l;
	union {			/* anonymous union, flattened */
		int as_int;
		unsigned char as_bytes[4];
	};
	struct {		/* anonymous struct, flattened */
		int inner_a;
		int inner_b;
	};
	struct point pts[3];	/* array of structs */
	int grid[2][3];		/* array of arrays */
	unsigned int flag_a : 1;	/* bitfields */
	unsigned int mode : 3;
	int signed_bits : 4;
	int class;		/* C# keywords */
	int event;
	int foo_bar;		/* meets fooBar after PascalCase */
	int fooBar;
	enum color col;
	int *ptr;
	int (*fn)(int);
	bool ok;
	char name[6];
	__int128 big;
};

struct tricky tricky_global;
int string = 7;				/* keyword as a variable */
struct point points[2] SEC(".data.points") = { { 1, 2 }, { 3, 4 } };
const volatile enum color rodata_color = GREEN;

struct inner {
	int x;
};

struct local_ops {
	int (*test_1)(void);
	int (*test_2)(int a);
	const __u32 data;
	char name[5];
	long big;
	enum color col;
	struct inner in;
	int *ptr;
	union {
		int u1;
		long u2;
	};
	short tail;
	int (*test_3)(int a, int b);
	char c;
};

SEC("struct_ops/test_1")
int BPF_PROG_test_1(void)
{
	return 0;
}

SEC("struct_ops/test_2")
int test_2(int a)
{
	return a;
}

SEC(".struct_ops.link")
struct local_ops my_ops = {
	.test_1 = (void *)BPF_PROG_test_1,
	.test_2 = (void *)test_2,
	.data = 3,
};

SEC("raw_tp/sys_enter")
int touch(const void *ctx)
{
	tricky_global.l = tricky_global.c + string + points[1].y + rodata_color;
	return 0;
}

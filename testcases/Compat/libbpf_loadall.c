// Reference for the compatibility suite: loads each program of a BPF object alone with libbpf 1.7 and
// prints "NAME: loaded" or "NAME: failed ERRNO", one line per program. Built by the tests against the
// reference unpacked at /var/cache/bpftests/libbpf-1.7 (testcases/Parity/LibbpfReference.cs).
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

static int quiet(enum libbpf_print_level level, const char *fmt, va_list args)
{
	return 0;
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	char **names = NULL;
	int count = 0, i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s OBJECT\n", argv[0]);
		return 64;
	}
	libbpf_set_print(quiet);
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		printf("open: failed %d\n", -errno);
		return 1;
	}
	bpf_object__for_each_program(prog, obj) {
		names = realloc(names, (count + 1) * sizeof(*names));
		names[count++] = strdup(bpf_program__name(prog));
	}
	bpf_object__close(obj);

	for (i = 0; i < count; i++) {
		int err;

		obj = bpf_object__open_file(argv[1], NULL);
		if (!obj) {
			printf("%s: failed %d\n", names[i], -errno);
			continue;
		}
		bpf_object__for_each_program(prog, obj)
			bpf_program__set_autoload(prog, strcmp(bpf_program__name(prog), names[i]) == 0);
		err = bpf_object__load(obj);
		if (err)
			printf("%s: failed %d\n", names[i], err);
		else
			printf("%s: loaded\n", names[i]);
		bpf_object__close(obj);
	}
	return 0;
}

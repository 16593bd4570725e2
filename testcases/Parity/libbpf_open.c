// Reference for the parity suite: opens one BPF object with libbpf (1.7, from the provisioned reference
// build) and prints what libbpf decided, one fact per line:
//   log LEVEL TEXT          every libbpf message (LEVEL warn|info|debug; newlines inside TEXT as \n)
//   open OK|ERRNO           bpf_object__open_file's outcome (negative errno)
//   prog NAME SEC TYPE AUTOLOAD
//   map NAME TYPE KEY VALUE MAX FLAGS MAP_EXTRA NUMA INNER(-|type)
//   load OK|ERRNO           with --load: bpf_object__load's outcome (with --only PROG, that program alone)
// Built by the tests against the reference headers and run through the reference's dynamic loader.
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>

static int print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	static const char *const names[] = { "warn", "info", "debug" };
	char text[8192];
	size_t len;
	char *p;

	vsnprintf(text, sizeof(text), fmt, args);
	len = strlen(text);
	if (len > 0 && text[len - 1] == '\n')
		text[--len] = 0;
	printf("log %s ", names[level]);
	for (p = text; *p; p++) {
		if (*p == '\n')
			fputs("\\n", stdout);
		else
			putchar(*p);
	}
	putchar('\n');
	return 0;
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_map *map;
	const char *only = NULL, *path = NULL;
	int load = 0, err, i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--load") == 0)
			load = 1;
		else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
			only = argv[++i];
		else if (!path)
			path = argv[i];
		else
			path = NULL, i = argc;
	}
	if (!path) {
		fprintf(stderr, "usage: %s [--load] [--only PROG] OBJECT\n", argv[0]);
		return 64;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	libbpf_set_print(print);
	obj = bpf_object__open_file(path, NULL);
	err = obj ? 0 : -errno;
	printf("open %d\n", err);
	if (!obj)
		return 0;
	bpf_object__for_each_program(prog, obj)
		printf("prog %s %s %s %d\n", bpf_program__name(prog), or_dash(bpf_program__section_name(prog)),
		       or_dash(libbpf_bpf_prog_type_str(bpf_program__type(prog))), bpf_program__autoload(prog));
	bpf_object__for_each_map(map, obj) {
		struct bpf_map *inner = bpf_map__inner_map(map);

		printf("map %s %s %u %u %u 0x%x 0x%llx %u %s\n", bpf_map__name(map),
		       or_dash(libbpf_bpf_map_type_str(bpf_map__type(map))), bpf_map__key_size(map),
		       bpf_map__value_size(map), bpf_map__max_entries(map), bpf_map__map_flags(map),
		       (unsigned long long)bpf_map__map_extra(map), bpf_map__numa_node(map),
		       inner ? or_dash(libbpf_bpf_map_type_str(bpf_map__type(inner))) : "-");
	}
	if (only)
		bpf_object__for_each_program(prog, obj)
			bpf_program__set_autoload(prog, strcmp(bpf_program__name(prog), only) == 0);
	if (load) {
		err = bpf_object__load(obj);
		printf("load %d\n", err);
	}
	bpf_object__close(obj);
	return 0;
}

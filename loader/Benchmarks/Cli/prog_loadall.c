// The reference for the CLI benchmark: what `BpfLoader.Cli prog loadall FILE...` does, written against libbpf.
// For every object: open it once to list its programs, then per program a fresh open with every other program's
// autoload off, load, and one line "NAME: loaded" or "NAME: failed ERR". libbpf's default print (warnings and
// info to stderr) stays on, as the CLI's does. Exit code 0 only when every program loaded.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

static int load_one(const char *path, const char *name, const char *prefix)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *prog;
	int err;

	if (!obj) {
		printf("%s%s: failed to open\n", prefix, name);
		return -1;
	}
	bpf_object__for_each_program(prog, obj)
		bpf_program__set_autoload(prog, strcmp(bpf_program__name(prog), name) == 0);
	err = bpf_object__load(obj);
	if (err)
		printf("%s%s: failed %d\n", prefix, name, err);
	else
		printf("%s%s: loaded\n", prefix, name);
	bpf_object__close(obj);
	return err;
}

static int load_all(const char *path, const char *prefix)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *prog;
	char **names = NULL;
	size_t n = 0, i;
	int failed = 0;

	if (!obj) {
		printf("%sfailed to open\n", prefix);
		return 1;
	}
	bpf_object__for_each_program(prog, obj) {
		names = realloc(names, (n + 1) * sizeof(*names));
		names[n++] = strdup(bpf_program__name(prog));
	}
	bpf_object__close(obj);
	for (i = 0; i < n; i++) {
		failed |= load_one(path, names[i], prefix) != 0;
		free(names[i]);
	}
	free(names);
	return failed;
}

int main(int argc, char **argv)
{
	char prefix[4096];
	int failed = 0, i;

	for (i = 1; i < argc; i++) {
		snprintf(prefix, sizeof(prefix), "%s: ", argv[i]);
		failed |= load_all(argv[i], argc > 2 ? prefix : "");
	}
	return failed;
}

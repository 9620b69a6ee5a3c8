/*
 * sach - runs "sach-TOOL ARGS" for "sach TOOL ARGS".
 *
 * The tool name is checked against the list of tools, so no other program
 * can be started through it. The tool is looked for beside this executable
 * first (a build tree or an install prefix), then on PATH.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sach/common.h"

static const char *const tools[] = { "normalise", "filter", "dedupe", "shard", "run" };

static void help(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: sach TOOL [ARGS]...\n"
		   "Run the sach tool TOOL (the program sach-TOOL) with ARGS.\n\nTools:\n");
	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		fprintf(f, "  %s\n", tools[i]);
	fprintf(f, "\n'sach TOOL --help' describes a tool.\n");
}

int main(int argc, char **argv)
{
	char self[PATH_MAX], path[PATH_MAX + 64], prog[64];
	ssize_t n;
	size_t i;
	bool known = false;

	if (argc < 2) {
		help(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		help(stdout);
		return fflush(stdout) == 0 ? 0 : 1;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("sach %s\n", sach_version_string());
		return fflush(stdout) == 0 ? 0 : 1;
	}
	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		if (strcmp(argv[1], tools[i]) == 0)
			known = true;
	if (!known) {
		fprintf(stderr, "sach: '%s' is not a sach tool\nTry 'sach --help' for more information.\n",
			argv[1]);
		return 2;
	}
	snprintf(prog, sizeof(prog), "sach-%s", argv[1]);
	argv[1] = prog;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		snprintf(path, sizeof(path), "%s/%s", dirname(self), prog);
		execv(path, argv + 1);
	}
	execvp(prog, argv + 1);
	fprintf(stderr, "sach: cannot run %s: %s\n", prog, strerror(errno));
	return 1;
}

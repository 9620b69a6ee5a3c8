/*
 * pipeline_outdir.c - the output directory of a run: created, found fresh,
 * holding this run's unfinished work (resume), holding this run finished
 * (nothing to do), or holding something else (refused, or with --overwrite
 * cleared of sach-run's own files only).
 */
#define _POSIX_C_SOURCE 200809L
#include "pipeline_internal.h"
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>
#include "error_internal.h"
#include "pipeline_global.h"
#include "pipeline_output.h"


/* ---- the output directory ---------------------------------------------- */

static int mkdir_p(const char *path)
{
	char buf[4096];
	size_t i, n = strlen(path);

	if (n >= sizeof(buf))
		return sach__error_set(SACH_EINVAL, "output path too long");
	memcpy(buf, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] == '/' || buf[i] == '\0') {
			char c = buf[i];

			buf[i] = '\0';
			if (mkdir(buf, 0777) < 0 && errno != EEXIST)
				return sach__error_set(SACH_EIO, "cannot create directory '%s': %s",
						       buf, strerror(errno));
			buf[i] = c;
		}
	}
	return SACH_OK;
}

/* The state file: the config hash plus each input's size and mtime, so a
 * run resumes only over the same config and the same, unchanged inputs. */
static int state_text(const sach_pipeline *p, sach_buf *out)
{
	char line[128];
	size_t i;
	int rc;

	/* part_size is not in the config hash (it does not change the output)
	 * but finished parts are only reusable with the same cut. The number
	 * after "state" is the work files' format: 2 added the final index
	 * (pipeline_index.c), so unfinished work of an older sach is redone. */
	snprintf(line, sizeof(line), "sach-run state 2\nconfig %016" PRIx64 "\npart_size %" PRIu64 "\n",
		 p->config_hash, p->part_size);
	if ((rc = sach_buf_puts(out, line)) < 0)
		return rc;
	for (i = 0; i < p->ninputs; i++) {
		struct stat st;
		char sz[96];

		if (stat(p->inputs[i].path, &st) < 0)
			return sach__error_set(SACH_EIO, "cannot read input '%s': %s",
					       p->inputs[i].path, strerror(errno));
		snprintf(sz, sizeof(sz), "input %lld %lld.%09ld ", (long long)st.st_size,
			 (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
		if ((rc = sach_buf_puts(out, sz)) < 0 ||
		    (rc = sach_buf_puts(out, p->inputs[i].path)) < 0 ||
		    (rc = sach_buf_puts(out, "\n")) < 0)
			return rc;
	}
	return SACH_OK;
}

static char *read_small_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = malloc(1 << 20);
	if (!buf) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/*
 * Work files are not fsync()ed (a run's gigabyte of them cost more wall time
 * in waiting for the disk than any stage; most are removed before they would
 * ever be written back). That is safe when the process dies (kill -9: the
 * page cache keeps every byte written), not when the machine does: then a
 * finished part's files may be lost or torn. So the work directory records
 * the kernel's boot id, and unfinished work from another boot is redone from
 * the start rather than resumed. Without a boot id (not Linux) every work
 * file is fsync()ed as the outputs are.
 */
#define BOOT_ID_FILE "/proc/sys/kernel/random/boot_id"

static bool boot_id(char out[64])
{
	FILE *f = fopen(BOOT_ID_FILE, "r");
	size_t n;

	if (!f)
		return false;
	n = fread(out, 1, 63, f);
	fclose(f);
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
		n--;
	out[n] = '\0';
	return n > 0;
}

/* Whether the work directory was written during this boot. */
static bool same_boot(const sach_pipeline *p, const char *now)
{
	char path[4096];
	char *have;
	size_t len = 0;
	bool same;

	snprintf(path, sizeof(path), "%s/boot", p->work_dir);
	have = read_small_file(path, &len);
	same = have && len == strlen(now) && memcmp(have, now, len) == 0;
	free(have);
	return same;
}

static int write_boot(const sach_pipeline *p, const char *now)
{
	char path[4096];
	sach_writer *w = NULL;
	sach_writer_options o = SACH_WRITER_OPTIONS_INIT;
	int rc;

	snprintf(path, sizeof(path), "%s/boot", p->work_dir);
	if ((rc = sach_writer_open(&w, path, &o)) < 0)
		return rc;
	if ((rc = sach_writer_write(w, now, strlen(now))) < 0) {
		sach_writer_abort(w);
		return rc;
	}
	return sach_writer_commit(w);
}

/*
 * A run spread over processes (sach_pipeline_prepare()) may have its parts
 * written on several machines, whose boot ids say nothing about each
 * other: its work directory holds this marker instead, and every process
 * fsync()s its work files.
 */
#define SPREAD_MARK "spread"

static bool spread_marked(const sach_pipeline *p)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", p->work_dir, SPREAD_MARK);
	return access(path, F_OK) == 0;
}

static int write_spread_mark(sach_pipeline *p)
{
	char path[4096];
	sach_writer *w = NULL;
	sach_writer_options o = SACH_WRITER_OPTIONS_INIT;
	int rc;

	p->work_sync = true;
	snprintf(path, sizeof(path), "%s/%s", p->work_dir, SPREAD_MARK);
	o.sync = true;
	if ((rc = sach_writer_open(&w, path, &o)) < 0)
		return rc;
	return sach_writer_commit(w);
}

/* Whether two state texts name the same config (their "config" lines). */
static bool same_config_line(const char *a, const char *b)
{
	/* the second line: the first is the work files' format, which is not
	 * the run's config (an older sach's unfinished work is redone) */
	const char *sa = strchr(a, '\n'), *sb = strchr(b, '\n'), *ea, *eb;

	if (!sa || !sb || !(ea = strchr(sa + 1, '\n')) || !(eb = strchr(sb + 1, '\n')))
		return false;
	return ea - sa == eb - sb && memcmp(sa, sb, (size_t)(ea - sa)) == 0;
}

/* Names a finished or unfinished run of sach-run leaves in its directory. */
static bool ours(const char *name)
{
	static const char *const fixed[] = { PL_WORK_DIR, PL_STATE_FILE, "manifest.json", "counts.json",
					     "config.json", "run.log", "rejected.jsonl.zst",
					     "quarantine.jsonl.zst", "documents.jsonl.zst", NULL };
	size_t i, n = strlen(name);

	for (i = 0; fixed[i]; i++)
		if (strcmp(name, fixed[i]) == 0)
			return true;
	/* shards: SPLIT-00000-of-00012.jsonl.zst, and writers' temp files */
	if (n > 10 && strcmp(name + n - 10, ".jsonl.zst") == 0 && strstr(name, "-of-"))
		return true;
	return name[0] == '.' && strstr(name, ".tmp.") != NULL;
}

int sach__pl_remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;

	if (!d)
		return unlink(path) == 0 || errno == ENOENT ? SACH_OK :
		       sach__error_set(SACH_EIO, "cannot remove '%s': %s", path, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		char sub[4096];

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		if (sach__pl_remove_tree(sub) < 0) {
			closedir(d);
			return SACH_EIO;
		}
	}
	closedir(d);
	return rmdir(path) == 0 ? SACH_OK :
	       sach__error_set(SACH_EIO, "cannot remove '%s': %s", path, strerror(errno));
}

/*
 * Fresh directory: fine. Same run unfinished (same state file): resume.
 * Anything else: refused, or with overwrite cleared of sach-run's own
 * files; a file sach-run did not make is never removed.
 */
int sach__pl_prepare_output(sach_pipeline *p, bool *resumed, bool *complete)
{
	char path[4096];
	sach_buf want = { 0 };
	char *have;
	size_t have_len = 0;
	DIR *d;
	struct dirent *e;
	bool empty = true, foreign = false, other_run;
	char boot[64];
	int rc;

	*resumed = *complete = false;
	p->work_sync = !boot_id(boot);
	{
		struct stat st;

		if (stat(p->out_dir, &st) == 0 && !S_ISDIR(st.st_mode))
			return sach__error_set(SACH_EINVAL, "output '%s' exists and is not a directory",
					       p->out_dir);
	}
	if ((rc = mkdir_p(p->out_dir)) < 0)
		return rc;
	if ((rc = state_text(p, &want)) < 0)
		goto out;
	snprintf(path, sizeof(path), "%s/%s", p->out_dir, PL_STATE_FILE);
	have = read_small_file(path, &have_len);
	if (have && have_len == want.len && memcmp(have, want.ptr, want.len) == 0) {
		free(have);
		*complete = true;
		/* Killed between recording completion and removing its work. */
		rc = access(p->work_dir, F_OK) == 0 ? sach__pl_remove_tree(p->work_dir) : SACH_OK;
		goto out;
	}
	free(have);
	snprintf(path, sizeof(path), "%s/state", p->work_dir);
	have = read_small_file(path, &have_len);
	if (have && have_len == want.len && memcmp(have, want.ptr, want.len) == 0) {
		if (spread_marked(p)) {
			/* every process fsync()ed its work files */
			free(have);
			p->work_sync = true;
			*resumed = true;
			goto out;
		}
		if (!p->work_sync && !same_boot(p, boot)) {
			/* written before the machine restarted: not to be trusted */
			free(have);
			have = NULL;
			if ((rc = sach__pl_remove_tree(p->work_dir)) < 0)
				goto out;
		} else {
			free(have);
			*resumed = true;
			/* this machine's unfinished work, now to be spread */
			if (p->spread)
				rc = write_spread_mark(p);
			goto out;
		}
	}
	/* Another run is there only if it got as far as recording its state
	 * (a run killed before that left nothing worth keeping), and only if
	 * its config differs: unfinished work of this config over inputs that
	 * changed since is simply discarded. */
	other_run = have != NULL && !same_config_line(have, want.ptr);
	free(have);
	snprintf(path, sizeof(path), "%s/%s", p->out_dir, PL_STATE_FILE);
	if (access(path, F_OK) == 0)
		other_run = true;
	d = opendir(p->out_dir);
	if (!d) {
		rc = sach__error_set(SACH_EIO, "cannot read '%s': %s", p->out_dir, strerror(errno));
		goto out;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		empty = false;
		if (!ours(e->d_name))
			foreign = true;
	}
	closedir(d);
	if (!empty) {
		if (foreign || (other_run && !p->opts.overwrite)) {
			rc = sach__error_set(SACH_EINVAL,
					     foreign ? "output directory '%s' holds files sach-run did "
						       "not write; choose an empty directory"
						     : "output directory '%s' holds another run (other "
						       "config or inputs); use --overwrite to replace it",
					     p->out_dir);
			goto out;
		}
		d = opendir(p->out_dir);
		while (d && (e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", p->out_dir, e->d_name);
			if ((rc = sach__pl_remove_tree(path)) < 0)
				break;
		}
		if (d)
			closedir(d);
		if (rc < 0)
			goto out;
	}
	if ((rc = mkdir_p(p->work_dir)) < 0)
		goto out;
	{
		sach_writer *w = NULL;
		sach_writer_options o = SACH_WRITER_OPTIONS_INIT;

		snprintf(path, sizeof(path), "%s/state", p->work_dir);
		if ((rc = sach_writer_open(&w, path, &o)) < 0)
			goto out;
		if ((rc = sach_writer_write(w, want.ptr, want.len)) < 0) {
			sach_writer_abort(w);
			goto out;
		}
		if ((rc = sach_writer_commit(w)) < 0)
			goto out;
	}
	if (p->spread)
		rc = write_spread_mark(p);
	else if (!p->work_sync)
		rc = write_boot(p, boot);
out:
	sach_buf_free(&want);
	return rc;
}


int sach__pl_open_spread(sach_pipeline *p)
{
	char path[4096];
	sach_buf want = { 0 };
	char *have;
	size_t have_len = 0;
	bool same;
	int rc;

	if ((rc = state_text(p, &want)) < 0)
		return rc;
	snprintf(path, sizeof(path), "%s/state", p->work_dir);
	have = read_small_file(path, &have_len);
	same = have && have_len == want.len && memcmp(have, want.ptr, want.len) == 0;
	free(have);
	sach_buf_free(&want);
	if (!same || !spread_marked(p))
		return sach__error_set(SACH_EINVAL, "output directory '%s' was not prepared for this "
				       "run spread over processes (sach-run --engine slurm prepares "
				       "it; the config or the inputs may have changed since)",
				       p->out_dir);
	p->work_sync = true;
	return SACH_OK;
}

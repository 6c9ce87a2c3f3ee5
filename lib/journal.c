/* journal.c: answers written before they are committed; see journal.h. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal.h"
#include "log.h"
#include "xalloc.h"

int
journal_open(struct journal *j, const struct store_opts *opts)
{
	memset(j, 0, sizeof(*j));
	xasprintf(&j->path, "%s/journal", opts->home);
	j->fd = open(j->path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (j->fd == -1) {
		log_error("%s", j->path);
		free(j->path);
		j->path = NULL;
		return -1;
	}
	return 0;
}

void
journal_add(struct journal *j, const struct answer *a)
{
	json_t *o = answer_encode(a);
	char *line;
	size_t len;

	if (o == NULL || (line = json_dumps(o, JSON_COMPACT)) == NULL) {
		/* Sent again after a crash, at worst. */
		log_errorx("%s: an answer could not be recorded", a->id);
		json_decref(o);
		return;
	}
	len = strlen(line);
	while (j->npending + len + 1 > j->cap) {
		j->cap = j->cap > 0 ? 2 * j->cap : 65536;
		j->pending = xreallocarray(j->pending, j->cap, 1);
	}
	memcpy(j->pending + j->npending, line, len);
	j->pending[j->npending + len] = '\n';
	j->npending += len + 1;
	free(line);
	json_decref(o);
}

int
journal_flush(struct journal *j)
{
	ssize_t n = (ssize_t)j->npending;

	j->npending = 0;
	if (n > 0 && write(j->fd, j->pending, n) != n)
		return log_error("%s", j->path);
	return 0;
}

int
journal_read(struct journal *j, struct answer **v, size_t *nv)
{
	char *buf = NULL, *p, *nl;
	size_t len = 0, cap = 0;
	ssize_t n;
	json_t *o;

	if (lseek(j->fd, 0, SEEK_SET) == -1)
		return log_error("%s", j->path);
	for (;;) {
		if (cap - len < 65536)
			buf = xreallocarray(buf, cap = cap * 2 + 65536, 1);
		if ((n = read(j->fd, buf + len, cap - len)) == -1) {
			free(buf);
			return log_error("%s", j->path);
		}
		if (n == 0)
			break;
		len += n;
	}
	for (p = buf; p < buf + len && (nl = memchr(p, '\n',
	    buf + len - p)) != NULL; p = nl + 1)
		if ((o = json_loadb(p, nl - p, 0, NULL)) != NULL) {
			*v = xreallocarray(*v, *nv + 1, sizeof(**v));
			if (answer_decode(o, &(*v)[*nv]) == 0)
				(*nv)++;
			json_decref(o);
		}
	free(buf);
	return 0;
}

int
journal_clear(struct journal *j)
{
	if (ftruncate(j->fd, 0) == -1)
		return log_error("%s", j->path);
	return 0;
}

void
journal_close(struct journal *j)
{
	if (j->fd != -1)
		(void)close(j->fd);
	j->fd = -1;
	free(j->path);
	j->path = NULL;
	free(j->pending);
	j->pending = NULL;
	j->npending = j->cap = 0;
}

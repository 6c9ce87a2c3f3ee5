/* batch.c: many subscribers, a batch per store session; see batch.h. */
#include <stdio.h>
#include <stdlib.h>

#include "batch.h"
#include "hb.h"
#include "log.h"
#include "sub.h"
#include "xalloc.h"

void
batch_add(struct batch_items *it, char *s)
{
	it->v = xreallocarray(it->v, it->n + 1, sizeof(*it->v));
	it->v[it->n++] = s;
}

void
batch_release(struct batch_items *it)
{
	size_t i;

	for (i = 0; i < it->n; i++)
		free(it->v[i]);
	free(it->v);
	free(it->result);
	it->v = NULL;
	it->result = NULL;
	it->n = 0;
}

int
batch_read_ids(struct batch_items *it, int argc, char **argv, FILE *in)
{
	char id[HB_ID_MAX + 1], err[256], *line = NULL;
	size_t cap = 0, lineno = 0;
	int i, bad = 0, rc;

	for (i = 0; i < argc; i++) {
		if ((rc = sub_id_from_line(argv[i], id, sizeof(id), err,
		    sizeof(err))) != 0) {
			log_errorx("bad ID %s", rc == 1 ? "'': empty" : err);
			bad = 1;
		} else
			batch_add(it, xstrdup(id));
	}
	while (argc == 0 && getline(&line, &cap, in) != -1) {
		lineno++;
		if ((rc = sub_id_from_line(line, id, sizeof(id), err,
		    sizeof(err))) == -1) {
			log_errorx("stdin:%zu: bad ID %s", lineno, err);
			bad = 1;
		} else if (rc == 0)
			batch_add(it, xstrdup(id));
	}
	free(line);
	if (argc == 0 && ferror(in))
		return log_error("stdin");
	return bad ? -1 : 0;
}

int
batch_run(const struct store_opts *o, struct batch_items *it, size_t per,
    store_txn_fn fn, void (*report)(struct batch_items *, size_t))
{
	struct batch b;
	size_t i;
	int rc;

	if (it->result == NULL)
		it->result = xcalloc(it->n, sizeof(*it->result));
	b.items = it;
	b.now = time(NULL);
	for (b.off = 0; b.off < it->n; b.off += b.len) {
		b.len = it->n - b.off < per ? it->n - b.off : per;
		if ((rc = store_run(o, fn, &b)) != 0)
			return rc;
		for (i = b.off; i < b.off + b.len; i++)
			report(it, i);
	}
	return 0;
}

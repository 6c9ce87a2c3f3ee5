/* isolate.c: commit parts apart when together they fail; see isolate.h. */
#include "isolate.h"

struct isolate {
	isolate_fn fn;
	void	*arg;
	enum part *part;
	json_t	*events;
	int	 failed;	/* the store's error, once it failed */
};

struct range {
	struct isolate *s;
	size_t	 lo, hi;
	json_t	*out;
};

static int
apply(struct txn *tx, void *arg)
{
	struct range *r = arg;

	/* A transaction that is tried again starts its events again. */
	json_array_clear(r->out);
	return r->s->fn(tx, r->lo, r->hi, r->out, r->s->arg);
}

static void
commit_range(struct store *st, struct isolate *s, size_t lo, size_t hi)
{
	struct range r = { s, lo, hi, NULL };
	size_t i, mid;
	int rc;

	if (s->failed != 0)
		return;
	r.out = json_array();
	rc = store_txn(st, apply, &r);
	if (rc == 0)
		json_array_extend(s->events, r.out);
	json_decref(r.out);
	if (rc != 0 && store_failing())
		s->failed = rc;
	else if (rc == 0 || hi - lo == 1)
		for (i = lo; i < hi; i++)
			s->part[i] = rc == 0 ? PART_COMMITTED : PART_REFUSED;
	else {
		mid = lo + (hi - lo) / 2;
		commit_range(st, s, lo, mid);
		commit_range(st, s, mid, hi);
	}
}

int
isolate_commit(struct store *st, size_t n, isolate_fn fn, void *arg,
    enum part *part, json_t *events)
{
	struct isolate s = { fn, arg, part, events, 0 };
	size_t i;

	for (i = 0; i < n; i++)
		part[i] = PART_WAITING;
	if (n > 0)
		commit_range(st, &s, 0, n);
	return s.failed;
}

/* expire.c: retention; see expire.h. */
#include <stdio.h>
#include <string.h>

#include "bcast.h"
#include "delivery.h"
#include "expire.h"
#include "jsonl.h"
#include "msg.h"
#include "person.h"
#include "sub.h"

#define BATCH	1000	/* deletions per store session */
#define DAY	(24 * 3600)

struct expiry {
	const struct conf *conf;
	time_t	 now;
	struct expire_report *r;
	size_t	 done;		/* deleted in this session */
};

static int
expire_messages(struct txn *tx, void *arg)
{
	struct expiry *e = arg;

	return msg_expire(tx, e->now - e->conf->retain_messages * DAY, BATCH,
	    &e->done);
}

/*
 * The oldest broadcast older than retain_receipts that still has its
 * deliveries: first its counts go into its record (bcast_keep_counts),
 * then its deliveries go, a batch per session, then it is marked
 * expired.
 */
static int
expire_receipts(struct txn *tx, void *arg)
{
	struct expiry *e = arg;
	uint64_t n;
	json_t *rec;
	size_t gone = 0;
	int rc;

	e->done = 0;
	if ((rc = bcast_oldest_receipts(tx, e->now - e->conf->retain_receipts *
	    DAY, &n, &rec)) != 0)
		return rc == STORE_NOTFOUND ? 0 : rc;
	if (json_object_get(rec, "counts") == NULL)
		rc = bcast_keep_counts(tx, n, rec);
	if (rc == 0)
		rc = delivery_expire(tx, n, BATCH, &gone);
	if (rc == 0 && gone < BATCH) {
		/* The last batch: the broadcast is done with. */
		json_object_set_new(rec, "expired", json_true());
		rc = bcast_put(tx, n, rec);
		e->r->broadcasts++;
	}
	e->done = rc == 0 ? gone + 1 : 0;
	e->r->deliveries += rc == 0 ? gone : 0;
	json_decref(rec);
	return rc;
}

/* Stopped and unreachable subscribers, their state changed long ago. */
struct sub_walk {
	time_t	 before;
	struct store_keys keys;
};

static int
old_subscriber(const void *key, size_t klen, json_t *rec, void *arg)
{
	struct sub_walk *w = arg;
	json_t *changed = json_object_get(rec, "changed");

	if (w->keys.n >= BATCH)
		return STORE_STOP;
	if (!json_is_integer(changed) || json_integer_value(changed) <
	    w->before)
		store_keys_add(&w->keys, key, klen);
	return 0;
}

static int
expire_subscribers(struct txn *tx, void *arg)
{
	static const enum sub_state states[] = { SUB_STOPPED,
	    SUB_UNREACHABLE };
	struct expiry *e = arg;
	struct sub_walk w = { e->now - e->conf->retain_stopped * DAY,
	    { NULL, NULL, 0 } };
	struct person_counts c;
	char id[HB_ID_MAX + 1];
	size_t i;
	int s, ch, rc = 0;

	e->done = 0;
	for (s = 0; s < 2 && rc == 0; s++)
		for (ch = 0; ch < CHAN_COUNT && rc == 0; ch++)
			rc = sub_each_in(tx, states[s], ch, NULL,
			    old_subscriber, &w);
	for (i = 0; i < w.keys.n && rc == 0; i++) {
		(void)snprintf(id, sizeof(id), "%.*s", (int)w.keys.len[i],
		    (const char *)w.keys.v[i]);
		if ((rc = person_forget(tx, id, &c)) == 0) {
			e->r->messages += c.messages;
			e->r->deliveries += c.deliveries;
		}
	}
	e->done = rc == 0 ? w.keys.n : 0;
	e->r->subscribers += e->done;
	store_keys_release(&w.keys);
	return rc;
}

int
expire_run(const struct store_opts *o, const struct conf *conf, time_t now,
    struct expire_report *r)
{
	struct expiry e = { conf, now, r, 0 };
	int rc = 0;

	memset(r, 0, sizeof(*r));
	if (conf->retain_messages > 0)
		do {
			rc = store_run(o, expire_messages, &e);
			r->messages += e.done;
		} while (rc == 0 && e.done == BATCH);
	if (rc == 0 && conf->retain_receipts > 0)
		do
			rc = store_run(o, expire_receipts, &e);
		while (rc == 0 && e.done > 0);
	if (rc == 0 && conf->retain_stopped > 0)
		do
			rc = store_run(o, expire_subscribers, &e);
		while (rc == 0 && e.done == BATCH);
	return rc;
}

/* expire.c: retention; see expire.h. */
#include <stdio.h>
#include <string.h>

#include "bcast.h"
#include "erase.h"
#include "expire.h"
#include "jsonl.h"
#include "sub.h"

#define BATCH	1000	/* deletions per store session */
#define DAY	(24 * 3600)

struct expiry {
	const struct conf *conf;
	time_t	 now;
	struct expire_report *r;
	size_t	 done;		/* deleted in this session */
};

/* Messages are numbered in the order they came: oldest first. */
struct old_walk {
	time_t	 before;
	const char *member;
	struct store_keys keys;
};

static int
old_message(const void *key, size_t klen, json_t *rec, void *arg)
{
	struct old_walk *w = arg;

	if (json_integer_value(json_object_get(rec, w->member)) >= w->before ||
	    w->keys.n >= BATCH)
		return STORE_STOP;
	store_keys_add(&w->keys, key, klen);
	return 0;
}

static int
expire_messages(struct txn *tx, void *arg)
{
	struct expiry *e = arg;
	struct old_walk w = { e->now - e->conf->retain_messages * DAY,
	    "stored", { NULL, NULL, 0 } };
	size_t i;
	int rc;

	e->done = 0;
	rc = store_each(tx, T_MESSAGES, NULL, 0, old_message, &w);
	for (i = 0; i < w.keys.n && rc == 0; i++)
		rc = store_del(tx, T_MESSAGES, w.keys.v[i], w.keys.len[i]);
	e->done = rc == 0 ? w.keys.n : 0;
	store_keys_release(&w.keys);
	return rc;
}

/*
 * A broadcast older than retain_receipts: first its counts go into its
 * record (bcast_keep_counts), then its deliveries go, a batch per
 * session.
 */
struct dlv_walk {
	unsigned char prefix[8];
	struct store_keys keys;
};

static int
one_delivery(const void *key, size_t klen, json_t *rec, void *arg)
{
	struct dlv_walk *w = arg;

	if (klen < 8 || memcmp(key, w->prefix, 8) != 0 || w->keys.n >= BATCH)
		return STORE_STOP;
	store_keys_add(&w->keys, key, klen);
	return 0;
}

struct bc_walk {
	time_t	 before;
	uint64_t n;		/* the first broadcast with receipts to go */
	json_t	*rec;
};

static int
old_broadcast(const void *key, size_t klen, json_t *rec, void *arg)
{
	struct bc_walk *w = arg;

	if (klen != 8 || json_object_get(rec, "due") != NULL ||
	    json_is_true(json_object_get(rec, "expired")))
		return 0;	/* open, or done with */
	if (json_integer_value(json_object_get(rec, "at")) >= w->before)
		return STORE_STOP;
	w->n = store_get_be64(key);
	w->rec = json_incref(rec);
	return STORE_STOP;
}

static int
expire_receipts(struct txn *tx, void *arg)
{
	struct expiry *e = arg;
	struct bc_walk b = { e->now - e->conf->retain_receipts * DAY, 0, NULL };
	struct dlv_walk w = { { 0 }, { NULL, NULL, 0 } };
	size_t i;
	int rc;

	e->done = 0;
	if ((rc = store_each(tx, T_BROADCASTS, NULL, 0, old_broadcast,
	    &b)) != 0 || b.rec == NULL)
		return rc;
	if (json_object_get(b.rec, "counts") == NULL &&
	    (rc = bcast_keep_counts(tx, b.n, b.rec)) != 0)
		goto out;
	store_be64(b.n, w.prefix);
	rc = store_each(tx, T_DELIVERIES, w.prefix, 8, one_delivery, &w);
	for (i = 0; i < w.keys.n && rc == 0; i++)
		rc = store_del(tx, T_DELIVERIES, w.keys.v[i], w.keys.len[i]);
	if (rc == 0 && w.keys.n < BATCH) {
		/* The last batch: the broadcast is done with. */
		json_object_set_new(b.rec, "expired", json_true());
		rc = bcast_put(tx, b.n, b.rec);
		e->r->broadcasts++;
	}
	e->done = rc == 0 ? w.keys.n + 1 : 0;
	e->r->deliveries += rc == 0 ? w.keys.n : 0;
out:
	store_keys_release(&w.keys);
	json_decref(b.rec);
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
	static const char *const states[] = { "stopped", "unreachable" };
	struct expiry *e = arg;
	struct sub_walk w = { e->now - e->conf->retain_stopped * DAY,
	    { NULL, NULL, 0 } };
	struct erase_counts c;
	char key[64], id[HB_ID_MAX + 1];
	size_t i, klen;
	int s, ch, rc = 0;

	e->done = 0;
	for (s = 0; s < 2 && rc == 0; s++)
		for (ch = 0; ch < CHAN_COUNT && rc == 0; ch++) {
			klen = (size_t)snprintf(key, sizeof(key), "%s:%s",
			    states[s], chan_name(ch));
			rc = store_index_each(tx, I_SUB_STATE, key, klen, 0,
			    old_subscriber, &w);
		}
	for (i = 0; i < w.keys.n && rc == 0; i++) {
		(void)snprintf(id, sizeof(id), "%.*s", (int)w.keys.len[i],
		    (const char *)w.keys.v[i]);
		if ((rc = erase_records(tx, id, &c)) == 0) {
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

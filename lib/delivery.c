/* delivery.c: the delivery records of announcements; see delivery.h. */
#include <string.h>

#include "calendar.h"
#include "chan.h"
#include "delivery.h"
#include "hb.h"
#include "jsonl.h"
#include "lease.h"
#include "receipt.h"
#include "sub.h"

#define KEY_MAX	(8 + HB_ID_MAX)

/* The key of a delivery: 8 bytes of bc, then the ID.  Its length. */
static size_t
key_of(uint64_t bc, const char *id, unsigned char key[KEY_MAX])
{
	size_t len = strnlen(id, HB_ID_MAX);

	be64_put(bc, key);
	memcpy(key + 8, id, len);
	return 8 + len;
}

static int
get(struct txn *tx, uint64_t bc, const char *id, json_t **rec)
{
	unsigned char key[KEY_MAX];

	return store_get(tx, T_DELIVERIES, key, key_of(bc, id, key), rec);
}

static int
put(struct txn *tx, uint64_t bc, const char *id, json_t *rec)
{
	unsigned char key[KEY_MAX];

	return store_put(tx, T_DELIVERIES, key, key_of(bc, id, key), rec, 0);
}

static json_t *
new_record(uint64_t bc, const char *id)
{
	return json_pack("{s:i, s:I, s:s}", "v", 1, "bc", (json_int_t)bc,
	    "id", id);
}

int
delivery_has(struct txn *tx, uint64_t bc, const char *id)
{
	json_t *rec;
	int rc;

	if ((rc = get(tx, bc, id, &rec)) == 0)
		json_decref(rec);
	return rc == 0 ? 1 : rc == STORE_NOTFOUND ? 0 : rc;
}

int
delivery_skip(struct txn *tx, uint64_t bc, const char *id, const char *why)
{
	json_t *rec = new_record(bc, id);
	int rc;

	lease_close(rec, "skipped", why);
	rc = put(tx, bc, id, rec);
	json_decref(rec);
	return rc;
}

int
delivery_wait(struct txn *tx, uint64_t bc, const char *id, const char *why,
    time_t until, int prio)
{
	json_t *rec = new_record(bc, id);
	int rc;

	lease_reopen(rec, "deferred", why, until, prio);
	rc = put(tx, bc, id, rec);
	json_decref(rec);
	return rc;
}

struct day_walk {
	long	 day;
	uint64_t except;
	delivery_counts_fn counts;
	void	*arg;
	size_t	 n;
};

static int
sent_that_day(const void *key, size_t klen, json_t *rec, void *arg)
{
	struct day_walk *w = arg;
	json_t *at = json_object_get(rec, "sent_at");
	uint64_t bc = (uint64_t)json_integer_value(json_object_get(rec, "bc"));

	if (json_is_integer(at) && bc != w->except &&
	    calendar_day(json_integer_value(at)) == w->day &&
	    w->counts(bc, w->arg))
		w->n++;
	return 0;
}

int
delivery_sent_on(struct txn *tx, const char *id, long day, uint64_t except,
    delivery_counts_fn counts, void *arg, size_t *n)
{
	struct day_walk w = { day, except, counts, arg, 0 };
	int rc;

	rc = delivery_each_of(tx, id, sent_that_day, &w);
	*n = w.n;
	return rc;
}

int
delivery_claim(struct txn *tx, int prio, time_t now, size_t max,
    delivery_claim_fn fn, void *arg, size_t *skipped)
{
	struct store_keys keys;
	const char *id, *why;
	time_t until;
	json_t *rec;
	size_t i;
	int rc;

	*skipped = 0;
	rc = store_due_keys(tx, I_DLV_DUE, prio, now, max, &keys);
	for (i = 0; i < keys.n && rc == 0; i++) {
		if ((rc = store_get(tx, T_DELIVERIES, keys.v[i], keys.len[i],
		    &rec)) != 0)
			break;
		why = NULL;
		until = now;
		if ((id = jsonl_string(rec, "id")) == NULL || keys.len[i] <= 8)
			rc = DELIVERY_DROP;
		else
			rc = fn(be64_get(keys.v[i]), id, rec, &why, &until, arg);
		switch (rc) {
		case DELIVERY_TAKE:
			lease_take(rec);
			rc = store_put(tx, T_DELIVERIES, keys.v[i],
			    keys.len[i], rec, 0);
			break;
		case DELIVERY_SKIP:
			lease_close(rec, "skipped", why);
			(*skipped)++;
			rc = store_put(tx, T_DELIVERIES, keys.v[i],
			    keys.len[i], rec, 0);
			break;
		case DELIVERY_DROP:
			rc = store_del(tx, T_DELIVERIES, keys.v[i],
			    keys.len[i]);
			break;
		case DELIVERY_WAIT:
			lease_reopen(rec, "deferred", why, until, prio);
			rc = store_put(tx, T_DELIVERIES, keys.v[i],
			    keys.len[i], rec, 0);
			break;
		case DELIVERY_LEAVE:
			rc = 0;
			break;
		}
		json_decref(rec);
	}
	store_keys_release(&keys);
	return rc;
}

/* What the answer means for the record rec; the end for the report. */
static enum delivery_end
judge(const struct answer *a, const struct delivery_rules *r, json_t *rec)
{
	time_t due;
	int tries;

	switch (a->outcome) {
	case PO_SENT:
		lease_close(rec, "sent", NULL);
		json_object_del(rec, "why");
		json_object_set_new(rec, "pid", json_string(a->pid));
		json_object_set_new(rec, "sent_at", json_integer(a->at));
		return DELIVERY_SENT;
	case PO_WITHDRAWN:
		lease_close(rec, "skipped", r->cancelled ? "cancelled" :
		    "no longer subscribed");
		return DELIVERY_SKIPPED;
	case PO_WINDOW:
		if (!a->template && strncmp(a->id, "whatsapp:", 9) == 0 &&
		    r->template_fits) {
			/* Outside the window after all: the template, now. */
			json_object_set_new(rec, "template", json_true());
			lease_reopen(rec, "pending", "outside the 24 hour "
			    "window", a->at, r->prio);
			return DELIVERY_PENDING;
		}
		lease_close(rec, "skipped", "outside the 24 hour window");
		return DELIVERY_SKIPPED;
	case PO_GONE:
	case PO_REFUSED:
		lease_close(rec, "failed", a->why);
		return DELIVERY_FAILED;
	default:
		break;
	}
	/* Handed back unsent (a halted channel): that was no try. */
	tries = a->tries + (a->requested ? 1 : 0);
	if (tries >= LEASE_MAX_TRIES) {
		lease_close(rec, "failed", a->why);
		return DELIVERY_FAILED;
	}
	json_object_set_new(rec, "tries", json_integer(tries));
	due = a->at + lease_backoff(a->tries);
	if (a->retry_after > 0 && a->at + a->retry_after > due)
		due = a->at + a->retry_after;
	lease_reopen(rec, "deferred", a->why, due, r->prio);
	return DELIVERY_DEFERRED;
}

int
delivery_settle(struct txn *tx, const struct answer *a,
    const struct delivery_rules *r, enum delivery_end *end)
{
	json_t *rec;
	int rc;

	/* A subscriber handed out has no record yet. */
	rc = a->origin == ANSWER_FANOUT ? STORE_NOTFOUND :
	    get(tx, a->ref, a->id, &rec);
	if (rc == STORE_NOTFOUND)
		rec = new_record(a->ref, a->id);
	else if (rc != 0)
		return rc;
	json_object_set_new(rec, "parts", json_integer((json_int_t)a->parts));
	if (a->template)
		json_object_set_new(rec, "template", json_true());
	if (a->no_media)
		json_object_set_new(rec, "no_media", json_true());
	*end = judge(a, r, rec);
	rc = 0;
	if (a->outcome == PO_GONE && !chan_is_public(a->id))
		rc = sub_set_state(tx, a->id, SUB_UNREACHABLE, a->at);
	if (rc == 0)
		rc = put(tx, a->ref, a->id, rec);
	json_decref(rec);
	return rc;
}

int
delivery_unlease(struct txn *tx)
{
	return lease_return_all(tx, I_DLV_DUE, T_DELIVERIES);
}

/* The records of one broadcast: its number is their keys' prefix. */
struct bc_walk {
	unsigned char prefix[8];
	store_each_fn fn;
	void	*arg;
};

static int
of_bc(const void *key, size_t klen, json_t *rec, void *arg)
{
	struct bc_walk *w = arg;

	if (klen < 8 || memcmp(key, w->prefix, 8) != 0)
		return STORE_STOP;
	return w->fn(key, klen, rec, w->arg);
}

int
delivery_each_of_bc(struct txn *tx, uint64_t bc, store_each_fn fn, void *arg)
{
	return delivery_each_of_bc_after(tx, bc, NULL, fn, arg);
}

/* Walks from `after' see it first: it is passed over. */
struct after_walk {
	const char *after;
	store_each_fn fn;
	void	*arg;
};

static int
past(const void *key, size_t klen, json_t *rec, void *arg)
{
	struct after_walk *a = arg;

	if (a->after != NULL && klen == 8 + strlen(a->after) &&
	    memcmp((const char *)key + 8, a->after, klen - 8) == 0)
		return 0;
	return a->fn(key, klen, rec, a->arg);
}

int
delivery_each_of_bc_after(struct txn *tx, uint64_t bc, const char *after,
    store_each_fn fn, void *arg)
{
	unsigned char from[KEY_MAX];
	struct after_walk a = { after, fn, arg };
	struct bc_walk w;

	be64_put(bc, w.prefix);
	w.fn = past;
	w.arg = &a;
	if (after == NULL)
		return store_each(tx, T_DELIVERIES, w.prefix, 8, of_bc, &w);
	return store_each(tx, T_DELIVERIES, from, key_of(bc, after, from),
	    of_bc, &w);
}

struct skipped_walk {
	const char *why;
	json_t	*out;
};

static int
skipped_one(const void *key, size_t klen, json_t *rec, void *arg)
{
	struct skipped_walk *w = arg;
	const char *state = jsonl_string(rec, "state");
	const char *why = jsonl_string(rec, "why");

	(void)key;
	(void)klen;
	if (state != NULL && strcmp(state, "skipped") == 0 && why != NULL &&
	    strcmp(why, w->why) == 0)
		json_array_insert_new(w->out, 0, json_integer(
		    json_integer_value(json_object_get(rec, "bc"))));
	return 0;
}

int
delivery_skipped_for(struct txn *tx, const char *id, const char *why,
    json_t *out)
{
	struct skipped_walk w = { why, out };

	return delivery_each_of(tx, id, skipped_one, &w);
}

int
delivery_count_open(struct txn *tx, size_t *n)
{
	unsigned char from[SCHEMA_DUE_KEY];

	*n = 0;
	schema_due_key(0, 0, from);	/* the first key there can be */
	return store_index_each(tx, I_DLV_DUE, from, sizeof(from),
	    STORE_RANGE, store_count_each, n);
}

int
delivery_late(struct txn *tx, uint64_t bc, const char *id, time_t at)
{
	json_t *rec;
	int rc;

	if ((rc = get(tx, bc, id, &rec)) != 0)
		return rc;
	json_object_set_new(rec, "state", json_string("late"));
	json_object_set_new(rec, "late_at", json_integer(at));
	json_object_del(rec, "why");
	rc = put(tx, bc, id, rec);
	json_decref(rec);
	return rc;
}

enum delivery_reach
delivery_reach_of(const json_t *rec)
{
	const char *state = jsonl_string(rec, "state");

	if (state == NULL || strcmp(state, "failed") == 0 ||
	    strcmp(state, "skipped") == 0)
		return DELIVERY_MISSED;
	if (strcmp(state, "sent") == 0 || strcmp(state, "delivered") == 0 ||
	    strcmp(state, "read") == 0 || strcmp(state, "late") == 0)
		return DELIVERY_REACHED;
	return DELIVERY_OPEN;
}

int
delivery_reach(struct txn *tx, uint64_t bc, const char *id,
    enum delivery_reach *r)
{
	json_t *rec;
	int rc;

	*r = DELIVERY_MISSED;
	if ((rc = get(tx, bc, id, &rec)) == STORE_NOTFOUND)
		return 0;
	if (rc != 0)
		return rc;
	*r = delivery_reach_of(rec);
	json_decref(rec);
	return 0;
}

static int
failed_one(const void *key, size_t klen, json_t *rec, void *arg)
{
	const char *state = jsonl_string(rec, "state");

	if (state != NULL && strcmp(state, "failed") == 0)
		store_keys_add(arg, key, klen);
	return 0;
}

int
delivery_retry(struct txn *tx, uint64_t bc, int prio, time_t now, size_t *n)
{
	struct store_keys keys = { NULL, NULL, 0 };
	json_t *rec;
	size_t i;
	int rc;

	rc = delivery_each_of_bc(tx, bc, failed_one, &keys);
	for (i = 0; i < keys.n && rc == 0; i++)
		if ((rc = store_get(tx, T_DELIVERIES, keys.v[i], keys.len[i],
		    &rec)) == 0) {
			json_object_set_new(rec, "tries", json_integer(0));
			lease_reopen(rec, "pending", "sent again", now, prio);
			rc = store_put(tx, T_DELIVERIES, keys.v[i],
			    keys.len[i], rec, 0);
			json_decref(rec);
		}
	*n = rc == 0 ? keys.n : 0;
	store_keys_release(&keys);
	return rc;
}

struct expiry {
	size_t	 max;
	struct store_keys keys;
};

static int
expire_one(const void *key, size_t klen, json_t *rec, void *arg)
{
	struct expiry *e = arg;

	if (e->keys.n >= e->max)
		return STORE_STOP;
	store_keys_add(&e->keys, key, klen);
	return 0;
}

int
delivery_expire(struct txn *tx, uint64_t bc, size_t max, size_t *n)
{
	struct expiry e = { max, { NULL, NULL, 0 } };
	size_t i;
	int rc;

	rc = delivery_each_of_bc(tx, bc, expire_one, &e);
	for (i = 0; i < e.keys.n && rc == 0; i++)
		rc = store_del(tx, T_DELIVERIES, e.keys.v[i], e.keys.len[i]);
	*n = rc == 0 ? e.keys.n : 0;
	store_keys_release(&e.keys);
	return rc;
}

int
delivery_receipt(struct txn *tx, const char *ref, const char *status,
    time_t when)
{
	return receipt_by_ref(tx, I_DLV_PID, ref, status, when);
}

int
delivery_receipt_upto(struct txn *tx, const char *id, time_t watermark,
    const char *status, time_t when)
{
	return receipt_upto(tx, I_DLV_PERSON, id, watermark, status, when);
}

int
delivery_each_of(struct txn *tx, const char *id, store_each_fn fn, void *arg)
{
	return store_index_each(tx, I_DLV_PERSON, id, strlen(id), 0, fn, arg);
}

/* The key holds the ID: a moved delivery is a new record. */
struct move {
	struct txn *tx;
	const char *new;
};

static int
move_one(const void *key, size_t klen, json_t *rec, void *arg)
{
	const struct move *m = arg;
	int rc;

	if (klen > 8) {
		json_object_set_new(rec, "id", json_string(m->new));
		if ((rc = put(m->tx, be64_get(key), m->new, rec)) != 0)
			return rc;
	}
	return STORE_DELETE;
}

int
delivery_move(struct txn *tx, const char *old, const char *new)
{
	struct move m = { tx, new };

	return store_index_change(tx, I_DLV_PERSON, old, strlen(old), move_one,
	    &m, NULL);
}

int
delivery_erase(struct txn *tx, const char *id, size_t *n)
{
	return store_index_delete(tx, I_DLV_PERSON, id, strlen(id), n);
}

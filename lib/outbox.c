/* outbox.c: answers owed to citizens; see outbox.h. */
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "chan.h"
#include "jsonl.h"
#include "lease.h"
#include "log.h"
#include "outbox.h"
#include "msg.h"
#include "sub.h"

#define OUTBOX_TTL	(24 * 3600)	/* an answer older is dropped */

int
outbox_queue(struct txn *tx, const char *id, const char *kind,
    const char *text, int prio, time_t now, uint64_t msg)
{
	uint64_t seq;
	json_t *rec;
	int rc;

	if ((rc = store_next_seq(tx, "outbox", &seq)) != 0)
		return rc;
	rec = json_pack("{s:i, s:s, s:s, s:s, s:I, s:I, s:i}", "v", 1,
	    "id", id, "kind", kind, "text", text, "created", (json_int_t)now,
	    "due", (json_int_t)now, "prio", prio);
	if (msg != 0)
		json_object_set_new(rec, "msg", json_integer((json_int_t)msg));
	rc = store_put_num(tx, T_OUTBOX, seq, rec, 0);
	json_decref(rec);
	return rc;
}

int
outbox_has(struct txn *tx, uint64_t seq)
{
	json_t *rec;
	int rc;

	if ((rc = store_get_num(tx, T_OUTBOX, seq, &rec)) == 0)
		json_decref(rec);
	return rc == 0 ? 1 : rc == STORE_NOTFOUND ? 0 : rc;
}

int
outbox_claim(struct txn *tx, int prio, time_t now, size_t max,
    outbox_claim_fn fn, void *arg, size_t *claimed)
{
	struct store_keys keys;
	const char *id, *text, *why, *kind;
	uint64_t seq;
	enum chan c;
	json_t *rec;
	size_t i;
	int rc;

	*claimed = 0;
	rc = store_due_keys(tx, I_OUT_DUE, prio, now, max, &keys);
	for (i = 0; i < keys.n && rc == 0; i++) {
		if (keys.len[i] != 8) {
			rc = store_del(tx, T_OUTBOX, keys.v[i], keys.len[i]);
			continue;
		}
		seq = be64_get(keys.v[i]);
		if ((rc = store_get_num(tx, T_OUTBOX, seq, &rec)) != 0)
			break;
		id = jsonl_string(rec, "id");
		text = jsonl_string(rec, "text");
		if (id == NULL || text == NULL ||
		    chan_check_id(id, &c, &why) == -1)
			rc = store_del_num(tx, T_OUTBOX, seq);
		else {
			kind = jsonl_string(rec, "kind");
			fn(seq, id, text, kind != NULL && strcmp(kind,
			    "reply.human_agent") == 0 ? PK_HUMAN_AGENT :
			    PK_RESPONSE, (int)json_integer_value(
			    json_object_get(rec, "tries")), arg);
			(*claimed)++;
			lease_take(rec);
			rc = store_put_num(tx, T_OUTBOX, seq, rec, 0);
		}
		json_decref(rec);
	}
	store_keys_release(&keys);
	return rc;
}

/* A temporary failure: again after a backoff, unless tried enough. */
static int
again(struct txn *tx, const struct answer *a, json_t *rec)
{
	int tries = a->tries + (a->requested ? 1 : 0);

	json_object_set_new(rec, "tries", json_integer(tries));
	json_object_set_new(rec, "due", json_integer(a->at +
	    lease_backoff(a->tries)));
	lease_return(rec);
	if (tries >= LEASE_MAX_TRIES || a->at - json_integer_value(
	    json_object_get(rec, "created")) >= OUTBOX_TTL)
		return 0;
	return store_put_num(tx, T_OUTBOX, a->ref, rec, 0) == 0 ? 1 : -1;
}

int
outbox_settle(struct txn *tx, const struct answer *a)
{
	int sent = a->outcome == PO_SENT, rc;
	json_t *rec, *msg;

	if ((rc = store_get_num(tx, T_OUTBOX, a->ref, &rec)) != 0)
		return rc == STORE_NOTFOUND ? 0 : rc;	/* erased meanwhile */
	if (platform_outcome_temporary(a->outcome) &&
	    (rc = again(tx, a, rec)) != 0) {
		json_decref(rec);
		return rc == 1 ? 0 : rc;
	}
	if (!sent)
		log_warnx("%s: an answer was not sent: %s", a->id, a->why);
	/* An answer of hb-reply: its place in the conversation says so. */
	msg = json_object_get(rec, "msg");
	rc = 0;
	if (json_is_integer(msg) && (rc = msg_outcome(tx,
	    (uint64_t)json_integer_value(msg), sent ? "sent" : "failed",
	    a->pid, a->why, a->at)) == STORE_NOTFOUND)
		rc = 0;		/* erased meanwhile */
	json_decref(rec);
	if (rc == 0 && a->outcome == PO_GONE &&
	    (rc = sub_set_state(tx, a->id, SUB_UNREACHABLE, a->at)) ==
	    STORE_NOTFOUND)
		rc = 0;
	return rc != 0 ? rc : store_del_num(tx, T_OUTBOX, a->ref);
}

int
outbox_unlease(struct txn *tx)
{
	return lease_return_all(tx, I_OUT_DUE, T_OUTBOX);
}

int
outbox_each_of(struct txn *tx, const char *id, store_each_fn fn, void *arg)
{
	return store_index_each(tx, I_OUT_PERSON, id, strlen(id), 0, fn, arg);
}

int
outbox_move(struct txn *tx, const char *old, const char *new)
{
	return store_index_set(tx, I_OUT_PERSON, old, strlen(old), "id", new);
}

int
outbox_erase(struct txn *tx, const char *id, size_t *n)
{
	return store_index_delete(tx, I_OUT_PERSON, id, strlen(id), n);
}

int
outbox_count(struct txn *tx, size_t *n)
{
	*n = 0;
	return store_each(tx, T_OUTBOX, NULL, 0, store_count_each, n);
}

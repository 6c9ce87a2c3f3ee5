/*
 * dispatch.c: rounds of claim, send, commit; see dispatch.h, and bcast.h
 * for the records.
 *
 * Every store session here is one process alone in the store (store.h),
 * so its transaction cannot deadlock; a session that fails ends the run,
 * and the next run recovers from the journal.
 */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bcast.h"
#include "calendar.h"
#include "dispatch.h"
#include "journal.h"
#include "jsonl.h"
#include "log.h"
#include "reply.h"
#include "revoke.h"
#include "sender.h"
#include "sub.h"
#include "xalloc.h"

#define BATCH		2000	/* jobs claimed per round, at most */
#define PARALLEL	16	/* requests in flight */
#define MAX_TRIES	10	/* then a delivery has failed */
#define LEASED		9	/* due-index priority of claimed work */
#define OUTBOX_TTL	(24 * 3600)	/* an answer older is dropped */
#define ROUND_EVERY	1.0	/* seconds between rounds at most */
#define WITHDRAWN	"withdrawn"

enum origin {
	O_FANOUT,		/* handed out; no delivery record yet */
	O_DELIVERY,		/* a delivery record, claimed */
	O_OUTBOX
};

/* A broadcast the run is working on. */
struct bc {
	uint64_t n;
	int	 prio;
	int	 cancelled;
	int	 fanning;	/* subscribers left to hand out */
	char	*text;
	unsigned chans;
	struct send_text *texts[CHAN_COUNT][2];	/* free text, template */
	int	 resumed;	/* begun by an earlier run */
	char	 pos[HB_ID_MAX + 1];	/* last handed out, in this run */
	size_t	 outstanding;	/* handed out, no answer committed */
};

struct dispatch {
	const struct conf *conf;
	const struct store_opts *sopts;
	struct dispatch_report *rep;
	struct sender *sender;
	struct journal journal;
	json_t	*results;	/* answers not yet committed */
	size_t	 napplied;
	struct bc **bcs;
	size_t	 nbcs;
	struct send_job *claimed; /* claimed this round, sent after commit */
	size_t	 nclaimed;
	int	 more;		/* the last claim stopped for room */
	int	 recovering;
	struct revoke_mark mark; /* the "revoked" file, as last seen */
	unsigned epoch;		/* revocations seen so far */
	int	 revalidate;	/* a revocation not acted on yet */
	char	*pending;	/* journal lines not written yet */
	size_t	 npending;
	time_t	 now;
};

/*
 * Claimed work leaves its place in the due index while it is being sent
 * (priority LEASED, the old one kept as "p"), so that the next round
 * does not claim it again; a sender that dies leaves it there for the
 * next one to give back.
 */
static void
lease(json_t *rec)
{
	json_object_set(rec, "p", json_object_get(rec, "prio"));
	json_object_set_new(rec, "prio", json_integer(LEASED));
}

static void
unlease_rec(json_t *rec)
{
	json_t *p = json_object_get(rec, "p");

	json_object_set_new(rec, "prio", json_integer(json_is_integer(p) ?
	    json_integer_value(p) : 1));
	json_object_del(rec, "p");
}

static long
backoff(int tries)
{
	long s = 30L << (tries > 7 ? 7 : tries);

	return s > 3600 ? 3600 : s;
}

/* The broadcast n, loaded on first use; NULL if it is gone. */
static struct bc *
bc_get(struct txn *tx, struct dispatch *d, uint64_t n)
{
	struct bc *b;
	json_t *rec;
	size_t i;

	for (i = 0; i < d->nbcs; i++)
		if (d->bcs[i]->n == n)
			return d->bcs[i];
	if (bcast_get(tx, n, &rec) != 0)
		return NULL;
	b = xcalloc(1, sizeof(*b));
	b->n = n;
	b->text = xstrdup(jsonl_string(rec, "text") ? jsonl_string(rec,
	    "text") : "");
	b->chans = bcast_chans(rec);
	b->cancelled = strcmp(jsonl_string(rec, "state"), "cancelled") == 0;
	b->fanning = json_object_get(rec, "due") != NULL;
	b->prio = json_is_true(json_object_get(rec, "emergency")) ? 0 : 1;
	b->resumed = strcmp(jsonl_string(rec, "state"), "sending") == 0;
	json_decref(rec);
	d->bcs = xreallocarray(d->bcs, d->nbcs + 1, sizeof(*d->bcs));
	d->bcs[d->nbcs++] = b;
	return b;
}

static void
bc_free(struct bc *b)
{
	int c, k;

	for (c = 0; c < CHAN_COUNT; c++)
		for (k = 0; k < 2; k++)
			send_text_unref(b->texts[c][k]);
	free(b->text);
	free(b);
}

static struct send_text *
bc_text(struct bc *b, enum chan c, enum platform_kind kind)
{
	int k = kind == PK_TEMPLATE;

	if (b->texts[c][k] == NULL)
		b->texts[c][k] = send_text_new(b->text, c, kind);
	return b->texts[c][k];
}

static void
claim_job(struct dispatch *d, struct send_job *j)
{
	j->epoch = d->epoch;
	j->next = d->claimed;
	d->claimed = j;
	d->nclaimed++;
}

/*
 * Answers go to the journal together, once per turn of the sending loop
 * (journal_flush): a kill before that write loses answers to requests
 * that were in flight in that turn, and no more can be in flight than
 * the sender's parallel requests, so the bound on doubles holds.
 */
static void
journal_buffer(struct dispatch *d, const json_t *o)
{
	char *line = json_dumps(o, JSON_COMPACT);
	size_t len = strlen(line);

	d->pending = xreallocarray(d->pending, d->npending + len + 1, 1);
	memcpy(d->pending + d->npending, line, len);
	d->pending[d->npending + len] = '\n';
	d->npending += len + 1;
	free(line);
}

static int
journal_flush(struct dispatch *d)
{
	int rc = 0;

	if (d->npending > 0)
		rc = journal_write(&d->journal, d->pending, d->npending);
	d->npending = 0;
	return rc;
}

/* The sender's callback: journal the answer, keep it for the round. */
static void
on_done(struct send_job *j, const struct platform_res *r, void *arg)
{
	struct dispatch *d = arg;
	json_t *o;

	o = json_pack("{s:i, s:I, s:i, s:s, s:s, s:s, s:s, s:I, s:b, s:i,"
	    " s:I, s:I}", "o", j->origin, "ref", (json_int_t)j->ref,
	    "ep", (int)j->epoch, "id", j->id, "out",
	    platform_outcome_name(r->outcome), "why", r->why, "pid",
	    r->outcome == PO_SENT ? r->pid : j->pid, "parts",
	    (json_int_t)j->part, "tpl", j->kind == PK_TEMPLATE, "tries",
	    j->tries, "ra", (json_int_t)r->retry_after, "at",
	    (json_int_t)time(NULL));
	if (o == NULL)
		log_errorx("%s: an answer could not be recorded", j->id);
	else {
		journal_buffer(d, o);
		json_array_append_new(d->results, o);
	}
	if (r->outcome == PO_HALT)
		d->rep->halted = 1;
	send_job_free(j);
}

static int
apply_outbox(struct txn *tx, struct dispatch *d, json_t *r, const char *out)
{
	unsigned char key[8];
	json_t *rec;
	int rc, tries = (int)json_integer_value(json_object_get(r, "tries"));
	time_t at = json_integer_value(json_object_get(r, "at"));

	store_be64(json_integer_value(json_object_get(r, "ref")), key);
	if ((rc = store_get(tx, T_OUTBOX, key, 8, &rec)) != 0)
		return rc == STORE_NOTFOUND ? 0 : rc;
	if (strcmp(out, "retry") == 0 || strcmp(out, "throttle") == 0 ||
	    strcmp(out, "halt") == 0) {
		json_object_set_new(rec, "tries", json_integer(tries + 1));
		json_object_set_new(rec, "due", json_integer(at +
		    backoff(tries)));
		unlease_rec(rec);
		if (tries + 1 < MAX_TRIES && at - json_integer_value(
		    json_object_get(rec, "created")) < OUTBOX_TTL) {
			rc = store_put(tx, T_OUTBOX, key, 8, rec, 0);
			json_decref(rec);
			return rc;
		}
	}
	if (strcmp(out, "sent") != 0)
		log_warnx("%s: an answer was not sent: %s", jsonl_string(r,
		    "id"), jsonl_string(r, "why"));
	/* An answer of hb-reply: its place in the conversation says so. */
	if (json_is_integer(json_object_get(rec, "msg")) && (rc = reply_result(
	    tx, (uint64_t)json_integer_value(json_object_get(rec, "msg")),
	    strcmp(out, "sent") == 0 ? "sent" : "failed", jsonl_string(r,
	    "pid"), jsonl_string(r, "why"), at)) != 0) {
		json_decref(rec);
		return rc;
	}
	if (strcmp(out, "gone") == 0 && (rc = sub_set_state(tx,
	    jsonl_string(r, "id"), SUB_UNREACHABLE, at)) != 0 &&
	    rc != STORE_NOTFOUND) {
		json_decref(rec);
		return rc;
	}
	json_decref(rec);
	return store_del(tx, T_OUTBOX, key, 8);
}

static void
set_open(json_t *rec, const char *state, const char *why, time_t due,
    int prio)
{
	json_object_set_new(rec, "state", json_string(state));
	json_object_set_new(rec, "why", json_string(why));
	json_object_set_new(rec, "due", json_integer(due));
	json_object_set_new(rec, "prio", json_integer(prio));
	json_object_del(rec, "p");
}

static void
set_final(json_t *rec, const char *state, const char *why)
{
	json_object_set_new(rec, "state", json_string(state));
	if (why != NULL)
		json_object_set_new(rec, "why", json_string(why));
	json_object_del(rec, "due");
	json_object_del(rec, "prio");
	json_object_del(rec, "p");
}

/* Whether a WhatsApp subscriber could get text as the template. */
static int
template_fits(const struct conf *conf, const char *text)
{
	json_t *outside = json_object();	/* no last_inbound */
	const char *why;
	int ok;

	ok = bcast_fate(conf, CHAN_WHATSAPP, outside, text, time(NULL),
	    &why) == FATE_TEMPLATE;
	json_decref(outside);
	return ok;
}

/* A delivery's answer: the record written or updated. */
static int
apply_delivery(struct txn *tx, struct dispatch *d, json_t *r, const char *out)
{
	const char *id = jsonl_string(r, "id"), *why = jsonl_string(r, "why");
	uint64_t n = json_integer_value(json_object_get(r, "ref"));
	int tries = (int)json_integer_value(json_object_get(r, "tries"));
	time_t at = json_integer_value(json_object_get(r, "at")), due;
	unsigned char key[8 + HB_ID_MAX + 1];
	size_t klen = bcast_dkey(n, id, key);
	struct bc *b = bc_get(tx, d, n);
	json_t *rec, *sub;
	int rc, prio = b != NULL ? b->prio : 1;

	if (json_integer_value(json_object_get(r, "o")) == O_FANOUT &&
	    b != NULL && b->outstanding > 0)
		b->outstanding--;
	/*
	 * An erased person gets no new record.  Every erasure marks the
	 * revoked file, so while the epoch is the one of the claim nobody
	 * was erased and the lookup can be spared.
	 */
	sub = NULL;
	if ((d->recovering || json_integer_value(json_object_get(r, "ep")) !=
	    (json_int_t)d->epoch) && (rc = sub_get(tx, id, &sub)) != 0)
		return rc == STORE_NOTFOUND ? 0 : rc;
	/* A subscriber handed out has no record yet. */
	rc = json_integer_value(json_object_get(r, "o")) == O_FANOUT ?
	    STORE_NOTFOUND : store_get(tx, T_DELIVERIES, key, klen, &rec);
	if (rc == STORE_NOTFOUND) {
		rec = json_pack("{s:i, s:I, s:s}", "v", 1, "bc", (json_int_t)n,
		    "id", id);
		rc = 0;
	}
	if (rc != 0) {
		json_decref(sub);
		return rc;
	}
	json_object_set_new(rec, "parts", json_integer(json_integer_value(
	    json_object_get(r, "parts"))));
	if (json_is_true(json_object_get(r, "tpl")))
		json_object_set_new(rec, "template", json_true());
	if (strcmp(out, "sent") == 0) {
		set_final(rec, "sent", NULL);
		json_object_del(rec, "why");
		json_object_set(rec, "pid", json_object_get(r, "pid"));
		json_object_set_new(rec, "sent_at", json_integer(at));
		d->rep->sent++;
	} else if (strcmp(out, "refused") == 0 && why != NULL &&
	    strcmp(why, WITHDRAWN) == 0) {
		set_final(rec, "skipped", b != NULL && b->cancelled ?
		    "cancelled" : "no longer subscribed");
		d->rep->skipped++;
	} else if (strcmp(out, "window") == 0 && !json_is_true(
	    json_object_get(r, "tpl")) && strncmp(id, "whatsapp:", 9) == 0 &&
	    b != NULL && template_fits(d->conf, b->text)) {
		/* Outside the window after all: the template, at once. */
		json_object_set_new(rec, "template", json_true());
		set_open(rec, "pending", "outside the 24 hour window", at,
		    prio);
	} else if (strcmp(out, "window") == 0) {
		set_final(rec, "skipped", "outside the 24 hour window");
		d->rep->skipped++;
	} else if (strcmp(out, "gone") == 0 || strcmp(out, "refused") == 0 ||
	    tries + 1 >= MAX_TRIES) {
		set_final(rec, "failed", why);
		d->rep->failed++;
		if (strcmp(out, "gone") == 0 && (rc = sub_set_state(tx, id,
		    SUB_UNREACHABLE, at)) != 0)
			goto out;
	} else {
		json_object_set_new(rec, "tries", json_integer(tries + 1));
		due = at + backoff(tries);
		if (json_integer_value(json_object_get(r, "ra")) > 0 &&
		    at + json_integer_value(json_object_get(r, "ra")) > due)
			due = at + json_integer_value(json_object_get(r, "ra"));
		set_open(rec, "deferred", why, due, prio);
		d->rep->deferred++;
	}
	rc = store_put(tx, T_DELIVERIES, key, klen, rec, 0);
out:
	json_decref(rec);
	json_decref(sub);
	return rc;
}

static int
apply_results(struct txn *tx, struct dispatch *d)
{
	json_t *r;
	size_t i;
	int rc = 0;

	d->napplied = json_array_size(d->results);
	for (i = 0; i < d->napplied && rc == 0; i++) {
		r = json_array_get(d->results, i);
		if (json_integer_value(json_object_get(r, "o")) == O_OUTBOX)
			rc = apply_outbox(tx, d, r, jsonl_string(r, "out"));
		else
			rc = apply_delivery(tx, d, r, jsonl_string(r, "out"));
	}
	return rc;
}

/*
 * Close each broadcast whose every subscriber is handed out and
 * answered: it leaves the due index, and is "sent".
 */
static int
close_finished(struct txn *tx, struct dispatch *d)
{
	struct bc *b;
	json_t *rec;
	size_t i;
	int rc;

	for (i = 0; i < d->nbcs; i++) {
		b = d->bcs[i];
		if (b->fanning || b->outstanding > 0)
			continue;
		if ((rc = bcast_get(tx, b->n, &rec)) != 0)
			return rc == STORE_NOTFOUND ? 0 : rc;
		if (json_object_get(rec, "due") == NULL) {
			json_decref(rec);
			continue;	/* closed already */
		}
		json_object_del(rec, "due");
		json_object_del(rec, "prio");
		if (!b->cancelled) {
			json_object_set_new(rec, "state", json_string("sent"));
			json_object_set_new(rec, "finished",
			    json_integer(d->now));
		}
		rc = bcast_put(tx, b->n, rec);
		json_decref(rec);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* Due work of one priority in a due index, up to max, as keys. */
struct due_walk {
	int	 prio;
	time_t	 now;
	size_t	 max;
	struct store_keys keys;
};

static int
due_one(const void *key, size_t klen, json_t *rec, void *arg)
{
	struct due_walk *w = arg;

	if (json_integer_value(json_object_get(rec, "prio")) != w->prio ||
	    json_integer_value(json_object_get(rec, "due")) > w->now ||
	    w->keys.n >= w->max)
		return STORE_STOP;
	store_keys_add(&w->keys, key, klen);
	return 0;
}

static int
walk_due(struct txn *tx, enum store_index ix, int prio, time_t now,
    size_t max, struct store_keys *keys)
{
	unsigned char from[9] = { 0 };
	struct due_walk w = { prio, now, max, { NULL, NULL, 0 } };
	int rc;

	from[0] = prio;
	rc = store_index_each(tx, ix, from, sizeof(from), STORE_RANGE, due_one,
	    &w);
	*keys = w.keys;
	return rc;
}


static int
claim_outbox(struct txn *tx, struct dispatch *d, size_t *room)
{
	struct store_keys keys;
	struct send_job *j;
	struct send_text *t;
	const char *id, *text, *why;
	enum chan c;
	json_t *rec;
	size_t i;
	int prio, rc = 0;

	for (prio = 0; prio < 2 && rc == 0 && *room > 0; prio++) {
		if ((rc = walk_due(tx, I_OUT_DUE, prio, d->now, *room,
		    &keys)) != 0)
			break;
		for (i = 0; i < keys.n && rc == 0; i++) {
			if ((rc = store_get(tx, T_OUTBOX, keys.v[i],
			    keys.len[i], &rec)) != 0)
				break;
			id = jsonl_string(rec, "id");
			text = jsonl_string(rec, "text");
			if (id == NULL || text == NULL || keys.len[i] != 8 ||
			    chan_check_id(id, &c, &why) == -1)
				rc = store_del(tx, T_OUTBOX, keys.v[i],
				    keys.len[i]);
			else {
				t = send_text_new(text, c, PK_RESPONSE);
				j = send_job_new(id, t, PK_RESPONSE, 0);
				send_text_unref(t);
				j->origin = O_OUTBOX;
				j->ref = store_get_be64(keys.v[i]);
				j->tries = (int)json_integer_value(
				    json_object_get(rec, "tries"));
				claim_job(d, j);
				(*room)--;
				lease(rec);
				rc = store_put(tx, T_OUTBOX, keys.v[i], 8, rec,
				    0);
			}
			json_decref(rec);
		}
		store_keys_release(&keys);
	}
	return rc;
}

/* A job for subscriber sub of broadcast b, or a skipped record. */
static int
deliver_to(struct txn *tx, struct dispatch *d, struct bc *b, json_t *sub,
    const char *id, json_t *rec, enum origin origin, size_t *room)
{
	unsigned char key[8 + HB_ID_MAX + 1];
	size_t klen = bcast_dkey(b->n, id, key);
	enum platform_kind kind;
	struct send_job *j;
	const char *why = NULL;
	enum chan c;
	int rc, own = 0;

	if (chan_check_id(id, &c, &why) == -1)
		return 0;
	if (json_is_true(json_object_get(rec, "template")))
		kind = PK_TEMPLATE;
	else
		switch (bcast_fate(d->conf, c, sub, b->text, d->now, &why)) {
		case FATE_TEXT:
			kind = PK_UPDATE;
			break;
		case FATE_TEMPLATE:
			kind = PK_TEMPLATE;
			break;
		default:
			if (rec == NULL) {
				rec = json_pack("{s:i, s:I, s:s}", "v", 1, "bc",
				    (json_int_t)b->n, "id", id);
				own = 1;
			}
			set_final(rec, "skipped", why);
			d->rep->skipped++;
			rc = store_put(tx, T_DELIVERIES, key, klen, rec, 0);
			if (own)
				json_decref(rec);
			return rc;
		}
	j = send_job_new(id, bc_text(b, c, kind), kind, b->prio);
	j->origin = origin;
	j->ref = b->n;
	if (rec != NULL) {
		j->tries = (int)json_integer_value(json_object_get(rec,
		    "tries"));
		j->part = json_integer_value(json_object_get(rec, "parts"));
		if (j->part >= j->text->nparts)
			j->part = 0;
	}
	claim_job(d, j);
	(*room)--;
	return 0;
}

static int
claim_deliveries(struct txn *tx, struct dispatch *d, int quiet,
    size_t *room)
{
	struct store_keys keys;
	const char *id, *state;
	json_t *rec, *sub;
	struct bc *b;
	size_t i;
	int prio, rc = 0;

	for (prio = 0; prio < (quiet ? 1 : 2) && rc == 0 && *room > 0;
	    prio++) {
		if ((rc = walk_due(tx, I_DLV_DUE, prio, d->now, *room,
		    &keys)) != 0)
			break;
		for (i = 0; i < keys.n && rc == 0; i++) {
			if ((rc = store_get(tx, T_DELIVERIES, keys.v[i],
			    keys.len[i], &rec)) != 0)
				break;
			id = jsonl_string(rec, "id");
			b = keys.len[i] > 8 ? bc_get(tx, d,
			    store_get_be64(keys.v[i])) : NULL;
			sub = NULL;
			if (id == NULL || b == NULL)
				rc = store_del(tx, T_DELIVERIES, keys.v[i],
				    keys.len[i]);
			else if (b->cancelled || sub_get(tx, id, &sub) != 0 ||
			    (state = jsonl_string(sub, "state")) == NULL ||
			    strcmp(state, "active") != 0) {
				set_final(rec, "skipped", b->cancelled ?
				    "cancelled" : "no longer subscribed");
				d->rep->skipped++;
				rc = store_put(tx, T_DELIVERIES, keys.v[i],
				    keys.len[i], rec, 0);
			} else if ((rc = deliver_to(tx, d, b, sub, id, rec,
			    O_DELIVERY, room)) == 0 && json_object_get(rec,
			    "due") != NULL) {
				lease(rec);
				rc = store_put(tx, T_DELIVERIES, keys.v[i],
				    keys.len[i], rec, 0);
			}
			json_decref(sub);
			json_decref(rec);
		}
		store_keys_release(&keys);
	}
	return rc;
}

/* 1 if subscriber id has a delivery record of broadcast n, else 0. */
static int
has_delivery(struct txn *tx, uint64_t n, const char *id)
{
	unsigned char key[8 + HB_ID_MAX + 1];
	size_t klen = bcast_dkey(n, id, key);
	json_t *rec;
	int rc;

	if ((rc = store_get(tx, T_DELIVERIES, key, klen, &rec)) == 0) {
		json_decref(rec);
		return 1;
	}
	return rc == STORE_NOTFOUND ? 0 : rc;
}

/*
 * Handing out the active subscribers of one channel, in ID order, from
 * pos on.  The store keeps no position (an ID there would outlive its
 * person's erasure): a run that resumes a broadcast starts from the
 * beginning and passes over whoever has a delivery record already, so
 * after a crash only the handouts in flight, which have none, go again.
 */
struct fan_walk {
	struct txn *tx;
	struct dispatch *d;
	struct bc *b;
	size_t	*room;
	int	 rc;
};

static int
fan_one(const void *key, size_t klen, json_t *sub, void *arg)
{
	struct fan_walk *w = arg;
	struct bc *b = w->b;
	size_t before = w->d->nclaimed;
	char id[HB_ID_MAX + 1];

	if (*w->room == 0)
		return STORE_STOP;
	if (klen > HB_ID_MAX)
		return 0;
	memcpy(id, key, klen);
	id[klen] = '\0';
	if (strcmp(id, b->pos) <= 0)
		return 0;	/* pos itself, where the walk resumed */
	(void)strlcpy(b->pos, id, sizeof(b->pos));
	if (b->resumed && (w->rc = has_delivery(w->tx, b->n, id)) != 0)
		return w->rc == 1 ? (w->rc = 0) : w->rc;
	if ((w->rc = deliver_to(w->tx, w->d, b, sub, id, NULL, O_FANOUT,
	    w->room)) != 0)
		return w->rc;
	if (w->d->nclaimed > before)
		b->outstanding++;
	return 0;
}

/* Channels go out in the order of their names, which is the IDs' order. */
static int
fan_out(struct txn *tx, struct dispatch *d, struct bc *b, size_t *room)
{
	static const enum chan by_name[CHAN_COUNT] = { CHAN_INSTAGRAM,
	    CHAN_MESSENGER, CHAN_TELEGRAM, CHAN_WHATSAPP };
	struct fan_walk w = { tx, d, b, room, 0 };
	char key[64], pchan[32];
	size_t klen, plen;
	json_t *rec;
	int i, c, rc = 0;

	(void)snprintf(pchan, sizeof(pchan), "%.*s", (int)strcspn(b->pos,
	    ":"), b->pos);
	for (i = 0; i < CHAN_COUNT && rc == 0 && *room > 0; i++) {
		c = by_name[i];
		if (!(b->chans & (1u << c)) || (b->pos[0] != '\0' &&
		    strcmp(chan_name(c), pchan) < 0))
			continue;
		klen = (size_t)snprintf(key, sizeof(key), "active:%s",
		    chan_name(c));
		plen = strcmp(chan_name(c), pchan) == 0 ? strlen(b->pos) : 0;
		rc = store_index_each_from(tx, I_SUB_STATE, key, klen, b->pos,
		    plen, fan_one, &w);
		if (rc == 0)
			rc = w.rc;
	}
	if (rc != 0)
		return rc;
	if (*room > 0)
		b->fanning = 0;	/* everyone handed out */
	else
		d->more = 1;
	if ((rc = bcast_get(tx, b->n, &rec)) != 0)
		return rc;
	if (strcmp(jsonl_string(rec, "state"), "scheduled") == 0) {
		json_object_set_new(rec, "state", json_string("sending"));
		json_object_set_new(rec, "started", json_integer(d->now));
	}
	rc = bcast_put(tx, b->n, rec);
	json_decref(rec);
	return rc;
}

static int
claim_broadcasts(struct txn *tx, struct dispatch *d, int quiet, size_t *room)
{
	struct store_keys keys;
	struct bc *b;
	size_t i;
	int prio, rc = 0;

	for (prio = 0; prio < (quiet ? 1 : 2) && rc == 0 && *room > 0;
	    prio++) {
		if ((rc = walk_due(tx, I_BC_DUE, prio, d->now, 100,
		    &keys)) != 0)
			break;
		for (i = 0; i < keys.n && rc == 0 && *room > 0; i++)
			if (keys.len[i] == 8 && (b = bc_get(tx, d,
			    store_get_be64(keys.v[i]))) != NULL &&
			    !b->cancelled && b->fanning)
				rc = fan_out(tx, d, b, room);
		store_keys_release(&keys);
	}
	return rc;
}

/* After a crash: give back leased work (handouts: see fan_one). */
static int
unlease(struct txn *tx, enum store_index ix, enum store_table t)
{
	struct store_keys keys;
	json_t *rec;
	size_t i;
	int rc;

	if ((rc = walk_due(tx, ix, LEASED, (time_t)1 << 62, (size_t)-1,
	    &keys)) != 0)
		return rc;
	for (i = 0; i < keys.n && rc == 0; i++)
		if ((rc = store_get(tx, t, keys.v[i], keys.len[i],
		    &rec)) == 0) {
			unlease_rec(rec);
			rc = store_put(tx, t, keys.v[i], keys.len[i], rec, 0);
			json_decref(rec);
		}
	store_keys_release(&keys);
	return rc;
}

static int
recover(struct txn *tx, struct dispatch *d)
{
	int rc;

	if ((rc = unlease(tx, I_DLV_DUE, T_DELIVERIES)) != 0)
		return rc;
	return unlease(tx, I_OUT_DUE, T_OUTBOX);
}

struct recheck {
	struct txn *tx;
	struct dispatch *d;
};

/* After a revocation: which of the broadcasts at work were cancelled. */
static int
refresh_cancelled(struct txn *tx, struct dispatch *d)
{
	json_t *rec;
	size_t i;
	int rc;

	for (i = 0; i < d->nbcs; i++) {
		if ((rc = bcast_get(tx, d->bcs[i]->n, &rec)) == STORE_NOTFOUND)
			continue;
		if (rc != 0)
			return rc;
		if (strcmp(jsonl_string(rec, "state"), "cancelled") == 0) {
			d->bcs[i]->cancelled = 1;
			d->bcs[i]->fanning = 0;
		}
		json_decref(rec);
	}
	return 0;
}

/*
 * Whether a queued job may still go out (after a revocation): an answer
 * while its outbox entry is there (an erasure removes all but its own
 * confirmation), an announcement while the subscriber is active and the
 * broadcast not cancelled.
 */
static int
still_wanted(const struct send_job *j, void *arg)
{
	struct recheck *rk = arg;
	struct txn *tx = rk->tx;
	struct dispatch *d = rk->d;
	unsigned char key[8];
	const char *state;
	struct bc *b;
	json_t *rec;
	int ok;

	if (j->origin == O_OUTBOX) {
		store_be64(j->ref, key);
		if (store_get(tx, T_OUTBOX, key, sizeof(key), &rec) != 0)
			return 0;
		json_decref(rec);
		return 1;
	}
	if (sub_get(tx, j->id, &rec) != 0)
		return 0;
	state = jsonl_string(rec, "state");
	ok = state != NULL && strcmp(state, "active") == 0;
	json_decref(rec);
	if (!ok)
		return 0;
	/* refresh_cancelled() has read each broadcast once. */
	b = bc_get(tx, d, j->ref);
	return b != NULL && !b->cancelled;
}

static int
round_fn(struct txn *tx, void *arg)
{
	struct dispatch *d = arg;
	struct recheck rk = { tx, d };
	size_t room;
	time_t end;
	int rc, quiet;

	d->now = time(NULL);
	/*
	 * Holding the store, every erasure that committed has marked the
	 * file by now (revoke.h).
	 */
	if (revoke_seen(d->sopts->home, &d->mark)) {
		d->epoch++;
		d->revalidate = 1;
	}
	if (d->revalidate) {
		if ((rc = refresh_cancelled(tx, d)) != 0)
			return rc;
		sender_filter(d->sender, still_wanted, &rk, WITHDRAWN);
	}
	if ((rc = apply_results(tx, d)) != 0 ||
	    (d->recovering && (rc = recover(tx, d)) != 0) ||
	    (rc = close_finished(tx, d)) != 0)
		return rc;
	room = sender_queued(d->sender) + sender_inflight(d->sender);
	room = room >= BATCH ? 0 : BATCH - room;
	d->more = 0;
	quiet = cal_quiet(d->conf, d->now, &end);
	if ((rc = claim_outbox(tx, d, &room)) != 0 ||
	    (rc = claim_deliveries(tx, d, quiet, &room)) != 0 ||
	    (rc = claim_broadcasts(tx, d, quiet, &room)) != 0)
		return rc;
	if (room == 0)
		d->more = 1;
	return 0;
}

static int
round_run(struct dispatch *d)
{
	struct send_job *j, *rev = NULL;
	json_t *rest;
	size_t i;
	int rc;

	d->claimed = NULL;
	d->nclaimed = 0;
	d->napplied = 0;
	if (journal_flush(d) == -1)
		return -1;
	if ((rc = store_run(d->sopts, round_fn, d)) != 0)
		return rc;
	d->recovering = d->revalidate = 0;
	/* Committed: the journal's answers are in the store now. */
	if (d->napplied > 0) {
		rest = json_array();
		for (i = d->napplied; i < json_array_size(d->results); i++)
			json_array_append(rest, json_array_get(d->results, i));
		json_decref(d->results);
		d->results = rest;
		if (journal_clear(&d->journal) == -1)
			return -1;
		/* Withdrawn in this round: not yet applied. */
		for (i = 0; i < json_array_size(rest); i++)
			journal_buffer(d, json_array_get(rest, i));
		if (journal_flush(d) == -1)
			return -1;
	}
	/* Claimed in reverse; send in the order claimed. */
	while ((j = d->claimed) != NULL) {
		d->claimed = j->next;
		j->next = rev;
		rev = j;
	}
	while ((j = rev) != NULL) {
		rev = j->next;
		sender_add(d->sender, j);
	}
	return 0;
}

static double
now_mono(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
progress(const struct dispatch_report *r, int last)
{
	fprintf(stderr, "\r%zu sent, %zu failed, %zu skipped, %zu deferred%s",
	    r->sent, r->failed, r->skipped, r->deferred, last ? "\n" : "");
}

static int
send_lock(const struct store_opts *o, const struct dispatch_opts *opts,
    struct dispatch_report *rep)
{
	char path[4096];
	int fd;

	if (store_make_home(o) == -1)
		return -1;
	(void)snprintf(path, sizeof(path), "%s/send.lock", o->home);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, o->has_group ?
	    0640 : 0600)) == -1)
		return log_error("%s", path);
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return fd;
	if (errno != EWOULDBLOCK || !opts->wait) {
		if (errno == EWOULDBLOCK)
			rep->busy = 1;
		else
			log_error("%s", path);
		(void)close(fd);
		return -2;
	}
	log_info("waiting for the hb-broadcast that is sending");
	if (flock(fd, LOCK_EX) == -1) {
		(void)close(fd);
		return log_error("%s", path);
	}
	return fd;
}

int
dispatch_run(const struct conf *conf, const struct store_opts *sopts,
    const struct dispatch_opts *opts, struct dispatch_report *rep)
{
	struct dispatch d;
	double last = 0, shown = 0, t;
	size_t busy, i;
	int lockfd, rc = 0, first = 1;

	memset(rep, 0, sizeof(*rep));
	if ((lockfd = send_lock(sopts, opts, rep)) < 0)
		return lockfd == -2 ? 0 : -1;
	memset(&d, 0, sizeof(d));
	d.conf = conf;
	d.sopts = sopts;
	d.rep = rep;
	d.recovering = 1;
	d.results = json_array();
	if (journal_open(&d.journal, sopts) == -1 ||
	    journal_read(&d.journal, d.results) == -1) {
		json_decref(d.results);
		(void)close(lockfd);
		return -1;
	}
	d.sender = sender_new(conf, PARALLEL, on_done, &d);
	(void)revoke_seen(sopts->home, &d.mark);
	for (;;) {
		t = now_mono();
		busy = sender_queued(d.sender) + sender_inflight(d.sender);
		if (revoke_seen(sopts->home, &d.mark)) {
			d.epoch++;
			d.revalidate = 1;
		}
		if (first || d.revalidate || busy == 0 ||
		    json_array_size(d.results) >= BATCH / 2 ||
		    (d.more && busy <= 2 * PARALLEL) ||
		    (json_array_size(d.results) > 0 && t - last >=
		    ROUND_EVERY)) {
			if ((rc = round_run(&d)) != 0)
				break;
			last = t;
			first = 0;
			busy = sender_queued(d.sender) +
			    sender_inflight(d.sender);
			if (busy == 0 && json_array_size(d.results) == 0)
				break;
		}
		if ((rc = sender_step(d.sender, 100)) != 0 ||
		    (rc = journal_flush(&d)) != 0)
			break;
		if (opts->progress && t - shown >= 0.5) {
			progress(rep, 0);
			shown = t;
		}
	}
	if (opts->progress)
		progress(rep, 1);
	/*
	 * After an error, what is left is found by the next run: answers in
	 * the journal, claimed work leased, handouts without a record.
	 */
	sender_free(d.sender);
	for (i = 0; i < d.nbcs; i++)
		bc_free(d.bcs[i]);
	free(d.bcs);
	json_decref(d.results);
	free(d.pending);
	journal_close(&d.journal);
	(void)close(lockfd);
	return rc;
}

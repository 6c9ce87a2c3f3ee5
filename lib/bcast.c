/* bcast.c: broadcast and delivery records, and hb-broadcast's rules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bcast.h"
#include "calendar.h"
#include "delivery.h"
#include "jsonl.h"
#include "revoke.h"
#include "split.h"
#include "sub.h"
#include "xalloc.h"

#define WINDOW_SECONDS	(24 * 3600)

int
bcast_get(struct txn *tx, uint64_t n, json_t **rec)
{
	return store_get_num(tx, T_BROADCASTS, n, rec);
}

int
bcast_put(struct txn *tx, uint64_t n, json_t *rec)
{
	return store_put_num(tx, T_BROADCASTS, n, rec, 0);
}

unsigned
bcast_chans(const json_t *rec)
{
	json_t *v;
	size_t i;
	unsigned bits = 0;
	int c;

	json_array_foreach(json_object_get(rec, "channels"), i, v)
		if (json_is_string(v) && (c = chan_lookup(json_string_value(v),
		    json_string_length(v))) >= 0)
			bits |= 1u << c;
	return bits;
}

static int
is_state(const json_t *rec, const char *state)
{
	const char *s = jsonl_string(rec, "state");

	return s != NULL && strcmp(s, state) == 0;
}

/* Regular broadcasts that count against daily_limit. */
struct day_walk {
	json_t	*regular;	/* [day, channel bits] pairs */
};

static int
collect_regular(const void *key, size_t klen, json_t *rec, void *arg)
{
	struct day_walk *w = arg;

	/* A broadcast cancelled before it began reached nobody. */
	if (!bcast_is_regular(rec) || (is_state(rec, "cancelled") &&
	    json_object_get(rec, "started") == NULL))
		return 0;
	json_array_append_new(w->regular, json_pack("[I, I]",
	    (json_int_t)calendar_day(json_integer_value(json_object_get(rec, "at"))),
	    (json_int_t)bcast_chans(rec)));
	return 0;
}

/* A channel of chans that has daily_limit broadcasts on t's day, or -1. */
static int
day_full(const struct conf *conf, json_t *regular, unsigned chans, time_t t)
{
	long day = calendar_day(t);
	size_t i, count[CHAN_COUNT] = { 0 };
	json_t *p;
	int c;

	json_array_foreach(regular, i, p) {
		if (json_integer_value(json_array_get(p, 0)) != day)
			continue;
		for (c = 0; c < CHAN_COUNT; c++)
			if ((chans & (1u << c)) && (json_integer_value(
			    json_array_get(p, 1)) & (1u << c)) &&
			    ++count[c] >= (size_t)conf->daily_limit)
				return c;
	}
	return -1;
}

/*
 * The first time from t on that the rules allow a regular broadcast to
 * chans; what stood in the way at t goes into why.
 */
static time_t
first_free(const struct conf *conf, json_t *regular, unsigned chans,
    time_t t, char *why, size_t whysz)
{
	char buf[32];
	time_t end;
	int i, c;

	why[0] = '\0';
	for (i = 0; i < 1000; i++) {
		if (calendar_quiet(conf, t, &end)) {
			if (why[0] == '\0')
				(void)snprintf(why, whysz, "quiet hours until "
				    "%s", calendar_format(end, buf));
			t = end;
			continue;
		}
		if (conf->daily_limit > 0 &&
		    (c = day_full(conf, regular, chans, t)) >= 0) {
			if (why[0] == '\0')
				(void)snprintf(why, whysz, "%s has had its "
				    "%lld regular broadcast%s on %.10s",
				    chan_name(c), conf->daily_limit,
				    conf->daily_limit == 1 ? "" : "s",
				    calendar_format(t, buf));
			t = calendar_next_day(t);
			continue;
		}
		break;
	}
	return t;
}

int
bcast_create(struct txn *tx, const struct conf *conf,
    const struct bcast_req *req, time_t now, int dry, uint64_t *n, time_t *at,
    char *why, size_t whysz)
{
	struct day_walk w = { json_array() };
	time_t t = req->scheduled ? req->at : now, free_at;
	char buf[32], reason[200];
	json_t *rec, *chans;
	int rc, c;

	*n = 0;
	why[0] = '\0';
	rc = store_each(tx, T_BROADCASTS, NULL, 0, collect_regular, &w);
	if (rc == 0 && !req->emergency && !req->test && !req->follows) {
		free_at = first_free(conf, w.regular, req->chans, t, reason,
		    sizeof(reason));
		if (free_at != t && !req->scheduled) {
			(void)snprintf(why, whysz, "%s; the next free time is "
			    "%s (send -a to schedule it)", reason,
			    calendar_format(free_at, buf));
			rc = BCAST_REFUSED;
		} else
			(void)strlcpy(why, reason, whysz);
		t = free_at;
	}
	json_decref(w.regular);
	*at = t;
	if (rc != 0 || dry)
		return rc;
	if ((rc = store_next_seq(tx, "broadcasts", n)) != 0)
		return rc;
	chans = json_array();
	for (c = 0; c < CHAN_COUNT; c++)
		if (req->chans & (1u << c))
			json_array_append_new(chans, json_string(chan_name(c)));
	rec = json_pack("{s:i, s:I, s:s, s:o, s:b, s:s, s:I, s:I, s:s, s:I,"
	    " s:i}", "v", 1, "n", (json_int_t)*n, "text", req->text,
	    "channels", chans, "emergency", req->emergency, "operator",
	    req->operator, "created", (json_int_t)now, "at", (json_int_t)t,
	    "state", "scheduled", "due", (json_int_t)t, "prio",
	    req->emergency ? 0 : 1);
	if (rec != NULL && req->operator_name != NULL)
		json_object_set_new(rec, "operator_name",
		    json_string(req->operator_name));
	if (rec == NULL)
		return -1;
	if (req->emergency && req->reason != NULL)
		json_object_set_new(rec, "reason", json_string(req->reason));
	if (req->test)
		json_object_set_new(rec, "test", json_true());
	if (req->follows)
		json_object_set_new(rec, "follows",
		    json_integer((json_int_t)req->follows));
	/* With approval, a regular one waits, out of the due index. */
	if (conf->approval && !req->emergency && !req->test &&
	    !req->follows) {
		json_object_set_new(rec, "state", json_string("waiting"));
		json_object_del(rec, "due");
		json_object_del(rec, "prio");
	}
	if (req->media != NULL)
		json_object_set_new(rec, "media", media_record(req->media));
	if (json_array_size(req->topics) > 0)
		json_object_set_new(rec, "topics", json_deep_copy(req->topics));
	rc = store_put_num(tx, T_BROADCASTS, *n, rec, STORE_NOOVERWRITE);
	json_decref(rec);
	return rc;
}

int
bcast_reaches(const json_t *topics, const json_t *sub)
{
	const json_t *mine = json_object_get(sub, "topics"), *t, *m;
	size_t i, k;

	if (json_array_size(topics) == 0 || json_array_size(mine) == 0)
		return 1;
	json_array_foreach(topics, i, t)
		json_array_foreach(mine, k, m)
			if (json_equal(t, m))
				return 1;
	return 0;
}

struct recent_walk {
	time_t	 since;
	const json_t *sub;
	json_t	*out;
};

static int
recent_one(const void *key, size_t klen, json_t *rec, void *arg)
{
	struct recent_walk *w = arg;
	const char *state = jsonl_string(rec, "state");

	(void)key;
	(void)klen;
	if (state == NULL || (strcmp(state, "sent") != 0 &&
	    strcmp(state, "sending") != 0) ||
	    json_is_true(json_object_get(rec, "test")) ||
	    json_integer_value(json_object_get(rec, "at")) < w->since ||
	    !bcast_reaches(json_object_get(rec, "topics"), w->sub))
		return 0;
	json_array_insert(w->out, 0, rec);	/* newest first */
	return 0;
}

int
bcast_recent(struct txn *tx, time_t since, const json_t *sub, json_t *out)
{
	struct recent_walk w = { since, sub, out };

	return store_each(tx, T_BROADCASTS, NULL, 0, recent_one, &w);
}

int
bcast_keep_media(struct txn *tx, uint64_t n, const struct media *m)
{
	json_t *rec;
	int rc;

	if ((rc = bcast_get(tx, n, &rec)) != 0)
		return rc;
	json_object_set_new(rec, "media", media_record(m));
	rc = bcast_put(tx, n, rec);
	json_decref(rec);
	return rc;
}

static int
wanted_one(const void *key, size_t klen, json_t *rec, void *arg)
{
	const char *sha = jsonl_string(json_object_get(rec, "media"),
	    "sha256");

	(void)key;
	(void)klen;
	if (sha != NULL && json_object_get(rec, "due") != NULL)
		json_object_set_new(arg, sha, json_true());
	return 0;
}

int
bcast_media_wanted(struct txn *tx, json_t *wanted)
{
	return store_each(tx, T_BROADCASTS, NULL, 0, wanted_one, wanted);
}

static int
collect(const void *key, size_t klen, json_t *rec, void *arg)
{
	json_array_append(arg, rec);
	return 0;
}

int
bcast_list(struct txn *tx, json_t *out)
{
	return store_each(tx, T_BROADCASTS, NULL, 0, collect, out);
}

int
bcast_latest(struct txn *tx, uint64_t *n)
{
	/* Numbers are taken only by broadcasts stored in that transaction. */
	return store_last_seq(tx, "broadcasts", n);
}

/* The first broadcast done with but for its receipts (expire.c). */
struct receipts_walk {
	time_t	 before;
	uint64_t n;
	json_t	*rec;
};

static int
with_receipts(const void *key, size_t klen, json_t *rec, void *arg)
{
	struct receipts_walk *w = arg;

	if (klen != 8 || json_object_get(rec, "due") != NULL ||
	    json_is_true(json_object_get(rec, "expired")))
		return 0;	/* open, or done with */
	if (json_integer_value(json_object_get(rec, "at")) >= w->before)
		return STORE_STOP;
	w->n = be64_get(key);
	w->rec = json_incref(rec);
	return STORE_STOP;
}

int
bcast_oldest_receipts(struct txn *tx, time_t before, uint64_t *n,
    json_t **rec)
{
	struct receipts_walk w = { before, 0, NULL };
	int rc;

	if ((rc = store_each(tx, T_BROADCASTS, NULL, 0, with_receipts,
	    &w)) != 0) {
		json_decref(w.rec);
		return rc;
	}
	*n = w.n;
	*rec = w.rec;
	return w.rec != NULL ? 0 : STORE_NOTFOUND;
}

int
bcast_is_regular(const json_t *rec)
{
	return !json_is_true(json_object_get(rec, "emergency")) &&
	    !json_is_true(json_object_get(rec, "test")) &&
	    json_object_get(rec, "follows") == NULL;
}

int
bcast_follow_up(struct txn *tx, uint64_t first, struct bcast_req *req)
{
	json_t *rec;
	int rc;

	if ((rc = bcast_get(tx, first, &rec)) != 0)
		return rc == STORE_NOTFOUND ? BCAST_NO_FIRST : rc;
	/* A test send, or one cancelled before it began, reached nobody. */
	if (json_is_true(json_object_get(rec, "test")) ||
	    is_state(rec, "waiting") || (is_state(rec, "cancelled") &&
	    json_object_get(rec, "started") == NULL))
		rc = BCAST_NO_FIRST;
	else {
		req->follows = first;
		req->chans = bcast_chans(rec);
		req->emergency = json_is_true(json_object_get(rec,
		    "emergency"));
	}
	json_decref(rec);
	return rc;
}

int
bcast_approve(struct txn *tx, uint64_t n, const char *approver, time_t now)
{
	const char *author;
	json_int_t at;
	json_t *rec;
	int rc;

	if ((rc = bcast_get(tx, n, &rec)) != 0)
		return rc;
	author = jsonl_string(rec, "operator");
	if (!is_state(rec, "waiting"))
		rc = BCAST_NOT_WAITING;
	else if (author != NULL && strcmp(author, approver) == 0)
		rc = BCAST_OWN;
	else {
		at = json_integer_value(json_object_get(rec, "at"));
		json_object_set_new(rec, "state", json_string("scheduled"));
		json_object_set_new(rec, "approved_by", json_string(approver));
		json_object_set_new(rec, "approved", json_integer(now));
		json_object_set_new(rec, "due", json_integer(at > now ? at :
		    now));
		json_object_set_new(rec, "prio", json_integer(1));
		rc = bcast_put(tx, n, rec);
	}
	json_decref(rec);
	return rc;
}

int
bcast_cancel(struct txn *tx, uint64_t n, time_t now)
{
	json_t *rec;
	int rc;

	if ((rc = bcast_get(tx, n, &rec)) != 0)
		return rc;
	if (is_state(rec, "cancelled") || is_state(rec, "sent")) {
		rc = is_state(rec, "sent") ? BCAST_SENT : BCAST_FINISHED;
		json_decref(rec);
		return rc;
	}
	json_object_set_new(rec, "state", json_string("cancelled"));
	json_object_set_new(rec, "cancelled", json_integer(now));
	json_object_del(rec, "due");
	json_object_del(rec, "prio");
	/* A running sender drops what it holds of this broadcast. */
	if ((rc = revoke_note(store_home(tx))) == 0)
		rc = bcast_put(tx, n, rec);
	json_decref(rec);
	return rc;
}

int
bcast_due(struct txn *tx, int prio, time_t now, uint64_t **v, size_t *n)
{
	struct store_keys keys;
	size_t i;
	int rc;

	*v = NULL;
	*n = 0;
	rc = store_due_keys(tx, I_BC_DUE, prio, now, 100, &keys);
	if (rc == 0 && keys.n > 0) {
		*v = xcalloc(keys.n, sizeof(**v));
		for (i = 0; i < keys.n; i++)
			if (keys.len[i] == 8)
				(*v)[(*n)++] = be64_get(keys.v[i]);
	}
	store_keys_release(&keys);
	return rc;
}

int
bcast_note_sent(struct txn *tx, uint64_t n, time_t at)
{
	json_t *rec;
	int rc;

	if ((rc = bcast_get(tx, n, &rec)) != 0)
		return rc == STORE_NOTFOUND ? 0 : rc;
	if (json_integer_value(json_object_get(rec, "last_sent")) < at) {
		json_object_set_new(rec, "last_sent", json_integer(at));
		rc = bcast_put(tx, n, rec);
	}
	json_decref(rec);
	return rc;
}

struct sent_walk {
	long	 day;
	uint64_t except;
	size_t	 n;
};

static int
sent_on(const void *key, size_t klen, json_t *rec, void *arg)
{
	struct sent_walk *w = arg;
	json_t *last = json_object_get(rec, "last_sent");

	if (klen == 8 && be64_get(key) != w->except && json_is_integer(last) &&
	    bcast_is_regular(rec) &&
	    calendar_day(json_integer_value(last)) == w->day)
		w->n++;
	return 0;
}

int
bcast_regular_sent_on(struct txn *tx, long day, uint64_t except, size_t *n)
{
	struct sent_walk w = { day, except, 0 };
	int rc;

	rc = store_each(tx, T_BROADCASTS, NULL, 0, sent_on, &w);
	*n = w.n;
	return rc;
}

int
bcast_started(struct txn *tx, uint64_t n, time_t now)
{
	json_t *rec;
	int rc;

	if ((rc = bcast_get(tx, n, &rec)) != 0)
		return rc;
	if (is_state(rec, "scheduled")) {
		json_object_set_new(rec, "state", json_string("sending"));
		json_object_set_new(rec, "started", json_integer(now));
		rc = bcast_put(tx, n, rec);
	}
	json_decref(rec);
	return rc;
}

int
bcast_finished(struct txn *tx, uint64_t n, time_t now)
{
	json_t *rec;
	int rc;

	if ((rc = bcast_get(tx, n, &rec)) != 0)
		return rc == STORE_NOTFOUND ? 0 : rc;
	if (json_object_get(rec, "due") != NULL) {
		json_object_del(rec, "due");
		json_object_del(rec, "prio");
		if (!is_state(rec, "cancelled")) {
			json_object_set_new(rec, "state", json_string("sent"));
			json_object_set_new(rec, "finished", json_integer(now));
		}
		rc = bcast_put(tx, n, rec);
	}
	json_decref(rec);
	return rc;
}

enum bcast_fate
bcast_fate(const struct conf *conf, enum chan c, const json_t *sub,
    const char *text, time_t now, const char **why)
{
	json_t *li = json_object_get(sub, "last_inbound");
	int inside = json_is_integer(li) &&
	    now - json_integer_value(li) < WINDOW_SECONDS;

	*why = NULL;
	if (c == CHAN_TELEGRAM || inside)
		return FATE_TEXT;
	if (c != CHAN_WHATSAPP) {
		*why = BCAST_WHY_WINDOW;
		return FATE_SKIP;
	}
	if (conf->chan[c].template == NULL) {
		*why = "outside the 24 hour window, no template configured";
		return FATE_SKIP;
	}
	if (split_length(text, strlen(text), SPLIT_CHARS) >
	    PLATFORM_TEMPLATE_MAX) {
		*why = "outside the 24 hour window, too long for the template";
		return FATE_SKIP;
	}
	return FATE_TEMPLATE;
}

static void
count_why(json_t **why, const char *reason)
{
	json_t *v;

	if (*why == NULL)
		*why = json_object();
	v = json_object_get(*why, reason != NULL ? reason : "unknown");
	json_object_set_new(*why, reason != NULL ? reason : "unknown",
	    json_integer(json_integer_value(v) + 1));
}

static int
count_delivery(const void *key, size_t klen, json_t *rec, void *arg)
{
	struct bcast_counts *counts = arg, *k;
	const char *state = jsonl_string(rec, "state"), *id, *why;
	enum chan c;

	id = jsonl_string(rec, "id");
	if (id == NULL || chan_check_id(id, &c, &why) == -1 || state == NULL)
		return 0;
	k = &counts[c];
	k->recipients++;
	if (json_is_true(json_object_get(rec, "no_media")))
		k->no_media++;
	if (json_is_true(json_object_get(rec, "template")) &&
	    (strcmp(state, "sent") == 0 || strcmp(state, "delivered") == 0 ||
	    strcmp(state, "read") == 0))
		k->templates++;
	if (strcmp(state, "read") == 0)
		k->read++, k->delivered++, k->sent++;
	else if (strcmp(state, "delivered") == 0)
		k->delivered++, k->sent++;
	else if (strcmp(state, "sent") == 0)
		k->sent++;
	else if (strcmp(state, "failed") == 0) {
		k->failed++;
		count_why(&k->why, jsonl_string(rec, "why"));
	} else if (strcmp(state, "skipped") == 0) {
		k->skipped++;
		count_why(&k->why, jsonl_string(rec, "why"));
	} else if (strcmp(state, "late") == 0)
		k->late++;
	else {
		/* Waiting to be tried again: the reason says for what. */
		k->deferred++;
		count_why(&k->why, jsonl_string(rec, "why"));
	}
	return 0;
}

/* The counts as "counts" keeps them: per channel, the status columns. */
#define COUNT_MEMBERS(X) X(recipients) X(sent) X(delivered) X(read) \
	X(failed) X(deferred) X(skipped) X(no_media) X(templates) X(late)

static void
stored_counts(const json_t *stored, struct bcast_counts counts[CHAN_COUNT])
{
	const json_t *o;
	int c;

	for (c = 0; c < CHAN_COUNT; c++) {
		if ((o = json_object_get(stored, chan_name(c))) == NULL)
			continue;
#define GET(m)	counts[c].m = (size_t)json_integer_value( \
		    json_object_get(o, #m));
		COUNT_MEMBERS(GET)
#undef GET
		if (json_object_get(o, "why") != NULL)
			counts[c].why = json_deep_copy(json_object_get(o,
			    "why"));
	}
}

int
bcast_keep_counts(struct txn *tx, uint64_t n, json_t *rec)
{
	struct bcast_counts k[CHAN_COUNT];
	json_t *counts, *o;
	int rc, c;

	if ((rc = bcast_status(tx, n, k)) != 0)
		return rc;
	counts = json_object();
	for (c = 0; c < CHAN_COUNT; c++) {
		if (k[c].recipients == 0)
			continue;
		/* Not yet sent counts as deferred once nothing will be. */
		k[c].deferred += k[c].waiting;
		o = json_object();
#define SET(m)	json_object_set_new(o, #m, json_integer((json_int_t)k[c].m));
		COUNT_MEMBERS(SET)
#undef SET
		if (k[c].why != NULL)
			json_object_set(o, "why", k[c].why);
		json_object_set_new(counts, chan_name(c), o);
	}
	bcast_counts_release(k);
	json_object_set_new(rec, "counts", counts);
	return bcast_put(tx, n, rec);
}

int
bcast_status(struct txn *tx, uint64_t n, struct bcast_counts counts[CHAN_COUNT])
{
	struct bcast_counts *k;
	json_t *rec;
	unsigned chans;
	size_t active;
	int rc, c;

	memset(counts, 0, sizeof(*counts) * CHAN_COUNT);
	if ((rc = bcast_get(tx, n, &rec)) != 0)
		return rc;
	if (json_object_get(rec, "counts") != NULL) {
		/* Its receipts expired: the counts kept instead. */
		stored_counts(json_object_get(rec, "counts"), counts);
		json_decref(rec);
		return 0;
	}
	rc = delivery_each_of_bc(tx, n, count_delivery, counts);
	chans = bcast_chans(rec);
	/*
	 * While it is open, the active subscribers without a record yet are
	 * waiting (an estimate: some with records may have stopped since).
	 * Not for a test send or one about topics, which reach only some.
	 */
	for (c = 0; c < CHAN_COUNT && rc == 0; c++) {
		if (!(chans & (1u << c)) || json_object_get(rec, "due") ==
		    NULL || json_is_true(json_object_get(rec, "test")) ||
		    json_object_get(rec, "topics") != NULL)
			continue;
		rc = sub_count_in(tx, SUB_ACTIVE, c, &active);
		k = &counts[c];
		k->waiting = active > k->recipients ? active - k->recipients :
		    0;
		k->recipients += k->waiting;
	}
	json_decref(rec);
	return rc;
}

void
bcast_counts_release(struct bcast_counts counts[CHAN_COUNT])
{
	int c;

	for (c = 0; c < CHAN_COUNT; c++) {
		json_decref(counts[c].why);
		counts[c].why = NULL;
	}
}

struct plan_walk {
	struct txn *tx;
	const struct conf *conf;
	const char *text;
	const json_t *topics;
	int	 no_media;	/* templates leave the attachment out */
	time_t	 now;
	struct bcast_plan *plan;
	enum chan chan;
};

static int
plan_one(const void *key, size_t klen, json_t *sub, void *arg)
{
	struct plan_walk *w = arg;
	struct bcast_plan *p = &w->plan[w->chan];
	const char *why;

	if (!bcast_reaches(w->topics, sub))
		return 0;	/* not about what they chose */
	p->recipients++;
	switch (bcast_fate(w->conf, w->chan, sub, w->text, w->now, &why)) {
	case FATE_TEXT:
		p->text++;
		break;
	case FATE_TEMPLATE:
		p->template++;
		p->no_media += w->no_media;
		break;
	case FATE_SKIP:
		p->skipped++;
		count_why(&p->why, why);
		break;
	}
	return 0;
}

/* A follow-up's plan: the first's recipients, as they are now. */
static int
plan_follow(const void *key, size_t klen, json_t *first, void *arg)
{
	struct plan_walk *w = arg;
	const char *id = jsonl_string(first, "id"), *why;
	json_t *sub;
	enum chan c;
	int rc;

	if (id == NULL || chan_check_id(id, &c, &why) == -1 || c != w->chan ||
	    delivery_reach_of(first) == DELIVERY_MISSED)
		return 0;
	if ((rc = sub_get(w->tx, id, &sub)) != 0)
		return rc == STORE_NOTFOUND ? 0 : rc;
	rc = is_state(sub, "active") ? plan_one(key, klen, sub, w) : 0;
	json_decref(sub);
	return rc;
}

/* The meta entry of chan's latency, in milliseconds. */
static void
latency_name(enum chan c, char *buf, size_t size)
{
	(void)snprintf(buf, size, "latency_ms.%s", chan_name(c));
}

int
bcast_note_latency(struct txn *tx, enum chan c, double secs)
{
	char name[32];

	latency_name(c, name, sizeof(name));
	return store_meta_put(tx, name, (long long)(secs * 1000 + 0.5));
}

int
bcast_latency(struct txn *tx, enum chan c, double *secs)
{
	char name[32];
	long long ms;
	int rc;

	latency_name(c, name, sizeof(name));
	*secs = 0;
	if ((rc = store_meta_get(tx, name, &ms)) == 0)
		*secs = (double)ms / 1000;
	return rc;
}

int
bcast_plan(struct txn *tx, const struct conf *conf,
    const struct bcast_req *req, time_t now, struct bcast_plan plan[CHAN_COUNT])
{
	const struct platform_limit *l;
	struct plan_walk w = { tx, conf, req->text, req->topics, 0, now, plan,
	    0 };
	char **parts;
	int rc = 0, c;

	memset(plan, 0, sizeof(*plan) * CHAN_COUNT);
	for (c = 0; c < CHAN_COUNT && rc == 0; c++) {
		if (!(req->chans & (1u << c)))
			continue;
		l = platform_limit(c);
		/* A caption goes with the attachment, in one message. */
		if (req->media == NULL || (*req->text != '\0' &&
		    !media_caption_fits(c, req->text))) {
			plan[c].parts = split_text(req->text, l->max, l->unit,
			    &parts);
			split_free(parts, plan[c].parts);
		}
		if (req->media != NULL)
			plan[c].parts++;	/* the attachment */
		w.no_media = req->media != NULL &&
		    conf->chan[c].template_media == NULL;
		w.chan = c;
		if ((rc = bcast_latency(tx, c, &plan[c].latency)) == 0)
			rc = req->follows ? delivery_each_of_bc(tx,
			    req->follows, plan_follow, &w) :
			    sub_each_in(tx, SUB_ACTIVE, c, NULL, plan_one, &w);
		/* The post to the public channel (bcrun.h), but of a test. */
		if (c == CHAN_TELEGRAM && conf->chan[c].channel != NULL &&
		    !req->test && !req->follows) {
			plan[c].recipients++;
			plan[c].text++;
		}
	}
	return rc == STORE_NOTFOUND ? 0 : rc;
}

/* reply.c: conversations; see reply.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chan.h"
#include "jsonl.h"
#include "msg.h"
#include "outbox.h"
#include "reply.h"
#include "sub.h"
#include "timefmt.h"
#include "xalloc.h"

#define WINDOW		(24 * 3600)
#define HUMAN_AGENT	(7 * 24 * 3600)	/* Messenger's tag: a week */

static int
open_one(const void *key, size_t klen, json_t *rec, void *arg)
{
	json_t *u = json_object_get(rec, "unanswered");

	if (json_is_integer(u))
		json_array_append_new(arg, json_pack("{s:O, s:O, s:O*, s:O}",
		    "id", json_object_get(rec, "id"), "channel",
		    json_object_get(rec, "channel"), "name",
		    json_object_get(rec, "name"), "since", u));
	return 0;
}

static int
by_since(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a,
	    "since"));
	json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b,
	    "since"));

	return x < y ? -1 : x > y;
}

/* The first line of id's oldest message from since on. */
struct first_walk {
	json_int_t since;
	json_t	*text;
};

static int
first_line(const void *key, size_t klen, json_t *rec, void *arg)
{
	struct first_walk *w = arg;
	const char *dir = jsonl_string(rec, "dir");

	if (dir == NULL || strcmp(dir, "in") != 0 ||
	    json_object_get(rec, "keyword") != NULL ||
	    json_integer_value(json_object_get(rec, "time")) < w->since)
		return 0;
	w->text = json_incref(json_object_get(rec, "text"));
	if (w->text == NULL)
		w->text = json_incref(json_object_get(rec, "type"));
	return STORE_STOP;
}

int
reply_inbox(struct txn *tx, json_t *out)
{
	struct first_walk w;
	json_t **v, *o;
	const char *id;
	size_t i, n;
	int rc;

	if ((rc = sub_each(tx, open_one, out)) != 0)
		return rc;
	n = json_array_size(out);
	v = xcalloc(n + 1, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(out, i));
	qsort(v, n, sizeof(*v), by_since);
	json_array_clear(out);
	for (i = 0; i < n && rc == 0; i++) {
		o = v[i];
		id = jsonl_string(o, "id");
		w.since = json_integer_value(json_object_get(o, "since"));
		w.text = NULL;
		rc = msg_each_of(tx, id, first_line, &w);
		json_object_set_new(o, "text", w.text != NULL ? w.text :
		    json_null());
		json_array_append_new(out, o);
	}
	for (; i < n; i++)
		json_decref(v[i]);
	free(v);
	return rc;
}

static int
append_message(const void *key, size_t klen, json_t *rec, void *arg)
{
	static const char *const times[] = { "time", "stored", "sent_at",
	    "delivered_at", "read_at", NULL };

	json_array_append_new(arg, jsonl_export(rec, times));
	return 0;
}

int
reply_conversation(struct txn *tx, const char *id, json_t *out)
{
	return msg_each_of(tx, id, append_message, out);
}

int
reply_done(struct txn *tx, const char *id)
{
	return sub_clear_unanswered(tx, id);
}

int
reply_prepare(struct txn *tx, const struct conf *conf, const char *id,
    const char *text, const char *operator, const char *operator_name,
    int flags, time_t now,
    uint64_t *seq, enum platform_kind *kind, char *why, size_t whysz)
{
	char buf[TIMEFMT_SIZE];
	json_t *sub, *m, *li;
	json_int_t age, last;
	const char *reason;
	enum chan c;
	int rc;

	if (chan_check_id(id, &c, &reason) == -1)
		return STORE_NOTFOUND;
	if ((rc = sub_get(tx, id, &sub)) != 0)
		return rc;
	li = json_object_get(sub, "last_inbound");
	last = json_is_integer(li) ? json_integer_value(li) : -1;
	age = last >= 0 ? now - last : -1;
	json_decref(sub);
	*kind = PK_RESPONSE;
	if (c != CHAN_TELEGRAM && (age < 0 || age >= WINDOW)) {
		if (c != CHAN_WHATSAPP && age >= 0 && age < HUMAN_AGENT)
			*kind = PK_HUMAN_AGENT;
		else {
			(void)snprintf(why, whysz, "%s accepts free text only "
			    "within %s of the citizen's last message%s%s; it "
			    "opens again when they write", chan_name(c),
			    c == CHAN_WHATSAPP ? "24 hours" : "7 days",
			    age >= 0 ? ", which came " : "", age >= 0 ?
			    timefmt_rfc3339(last, buf) : "");
			return REPLY_WINDOW;
		}
	}
	m = json_pack("{s:i, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s}",
	    "v", 1, "id", id, "dir", "out", "type",
	    "text", "text", text, "time", (json_int_t)now, "stored",
	    (json_int_t)now, "operator", operator, "state", "sending");
	if (m == NULL)
		return -1;
	if (operator_name != NULL)
		json_object_set_new(m, "operator_name",
		    json_string(operator_name));
	rc = msg_add(tx, m, seq);
	json_decref(m);
	if (rc == 0 && !(flags & REPLY_KEEP_OPEN))
		rc = sub_clear_unanswered(tx, id);
	return rc;
}

int
reply_attach(struct txn *tx, uint64_t seq, const struct media *m)
{
	json_t *rec;
	int rc;

	if ((rc = msg_get(tx, seq, &rec)) != 0)
		return rc;
	json_object_set_new(rec, "type", json_string(media_type_name(
	    m->type)));
	json_object_set_new(rec, "media", json_pack("{s:s, s:s, s:I}",
	    "name", m->name, "mime", m->mime, "size", (json_int_t)m->size));
	rc = msg_put(tx, seq, rec);
	json_decref(rec);
	return rc;
}

int
reply_media(struct txn *tx, const char *id, uint64_t seq, json_t **media)
{
	const char *owner, *dir;
	json_t *rec, *m;
	int rc;

	*media = NULL;
	if ((rc = msg_get(tx, seq, &rec)) != 0)
		return rc;
	owner = jsonl_string(rec, "id");
	dir = jsonl_string(rec, "dir");
	m = json_object_get(rec, "media");
	if (owner == NULL || strcmp(owner, id) != 0)
		rc = STORE_NOTFOUND;
	else if (dir == NULL || strcmp(dir, "in") != 0 ||
	    jsonl_string(m, "ref") == NULL)
		rc = REPLY_NOMEDIA;
	else
		*media = json_incref(m);
	json_decref(rec);
	return rc;
}

int
reply_result(struct txn *tx, uint64_t seq, const char *state,
    const char *pid, const char *why, enum platform_kind kind, time_t now)
{
	const char *id, *text;
	json_t *m;
	int rc;

	if ((rc = msg_outcome(tx, seq, state, pid, why, now)) != 0 ||
	    strcmp(state, "queued") != 0)
		return rc == STORE_NOTFOUND ? 0 : rc;	/* erased meanwhile */
	if ((rc = msg_get(tx, seq, &m)) != 0)
		return rc;
	id = jsonl_string(m, "id");
	text = jsonl_string(m, "text");
	if (id != NULL && text != NULL)
		rc = outbox_queue(tx, id, kind == PK_HUMAN_AGENT ?
		    "reply.human_agent" : "reply", text, 0, now, seq);
	json_decref(m);
	return rc;
}

struct follow_walk {
	size_t	 max;
	json_t	*out;
};

static int
follow_one(const void *key, size_t klen, json_t *rec, void *arg)
{
	static const char *const attachments[] = { "media", "location",
	    "contact" };
	struct follow_walk *w = arg;
	size_t i;
	const char *dir = jsonl_string(rec, "dir"), *id, *kw, *event;
	char buf[TIMEFMT_SIZE];
	enum chan c;
	json_t *o;

	if (json_array_size(w->out) >= w->max)
		return STORE_STOP;
	if (dir == NULL || strcmp(dir, "in") != 0 ||
	    (id = jsonl_string(rec, "id")) == NULL ||
	    chan_check_id(id, &c, &dir) == -1)
		return 0;
	/* Named as hb-ingest names them (DESIGN §5). */
	kw = jsonl_string(rec, "keyword");
	event = kw != NULL && (strcmp(kw, "subscribe") == 0 ||
	    strcmp(kw, "unsubscribe") == 0) ? kw : "message";
	o = json_pack("{s:s, s:s, s:s, s:s, s:O, s:O*, s:O*}", "event",
	    event, "id", id, "channel", chan_name(c), "time",
	    timefmt_rfc3339(json_integer_value(json_object_get(rec, "time")),
	    buf), "seq", json_object_get(rec, "seq"), "type",
	    json_object_get(rec, "type"), "text", json_object_get(rec, "text"));
	if (json_object_get(rec, "keyword") != NULL)
		json_object_set(o, "keyword", json_object_get(rec, "keyword"));
	for (i = 0; i < sizeof(attachments) / sizeof(attachments[0]); i++)
		if (json_object_get(rec, attachments[i]) != NULL)
			json_object_set(o, attachments[i],
			    json_object_get(rec, attachments[i]));
	json_array_append_new(w->out, o);
	return 0;
}

int
reply_follow(struct txn *tx, uint64_t after, size_t max, json_t *out)
{
	struct follow_walk w = { max, out };

	return msg_each_after(tx, after, follow_one, &w);
}

/* ingest.c: the events of a body, applied to the store; see ingest.h. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bcast.h"
#include "calendar.h"
#include "delivery.h"
#include "hb.h"
#include "ingest.h"
#include "jsonl.h"
#include "keyword.h"
#include "ledger.h"
#include "log.h"
#include "msg.h"
#include "outbox.h"
#include "person.h"
#include "platform.h"
#include "split.h"
#include "sub.h"
#include "texts.h"
#include "timefmt.h"
#include "xalloc.h"

/* The event object for the stream and the hooks (DESIGN §5). */
static json_t *
event(struct ingest *in, const struct in_event *ev, const char *name)
{
	char buf[TIMEFMT_SIZE];
	json_t *o;

	o = json_pack("{s:s, s:s, s:s, s:s}", "event", name, "id", ev->id,
	    "channel", chan_name(ev->chan), "time",
	    timefmt_rfc3339(ev->time > 0 ? ev->time : in->now, buf));
	if (ev->pid != NULL)
		json_object_set_new(o, "pid", json_string(ev->pid));
	json_array_append_new(in->out, o);
	return o;	/* borrowed from in->out */
}

void
ingest_audit(const json_t *events)
{
	const json_t *ev;
	const char *name;
	size_t i;

	json_array_foreach(events, i, ev)
		if ((name = jsonl_string(ev, "event")) != NULL &&
		    strcmp(name, "erase") == 0)
			log_audit("erasure at a citizen's request on %s",
			    jsonl_string(ev, "channel"));
}

static void
set_string(json_t *o, const char *key, const char *s)
{
	if (s != NULL)
		json_object_set_new(o, key, json_string(s));
}

/* The language to answer ev's sender in. */
static const char *
language(const struct in_event *ev, const json_t *rec)
{
	const char *lang = jsonl_string(rec, "lang");

	if (lang == NULL && ev->lang != NULL && strlen(ev->lang) >= 2)
		lang = ev->lang;
	return lang;
}

static int
answer(struct ingest *in, struct txn *tx, const char *id, const char *lang,
    enum text_id text, const char *body, int prio)
{
	char l[3] = { 0 };

	if (in->replay)
		return 0;
	/* Telegram sends "de-AT"; the texts know "de". */
	if (lang != NULL)
		memcpy(l, lang, strlen(lang) >= 2 ? 2 : 0);
	if (body == NULL)
		body = conf_text(in->conf, l[0] != '\0' ? l : NULL, text);
	return outbox_queue(tx, id, texts_name(text), body, prio, in->now,
	    0);
}

/*
 * The sender's record, created or brought up to date (sub_seen).  A
 * WhatsApp person first known by BSUID moves to their phone once it is
 * known.
 */
static int
touch_person(struct txn *tx, const struct in_event *ev, time_t now,
    json_t **recp)
{
	struct sub_contact c = { ev->id, ev->chan, ev->name, ev->phone,
	    ev->alias, ev->lang, ev->time };
	char *alias_id;
	json_t *rec;
	int rc;

	/* Only a body with an alias can name a person known under it. */
	if (ev->alias != NULL) {
		if ((rc = sub_get(tx, ev->id, &rec)) == 0)
			json_decref(rec);
		else if (rc != STORE_NOTFOUND)
			return rc;
		else if (in_make_id(ev->chan, ev->alias, &alias_id) == 0) {
			rc = person_move(tx, alias_id, ev->id);
			free(alias_id);
			if (rc != 0)
				return rc;
		}
	}
	return sub_seen(tx, &c, now, recp);
}

/* A message's picture, document, location or contact, as msg.h keeps it. */
static void
set_attachment(json_t *m, const struct in_event *ev)
{
	if (ev->media != NULL)
		json_object_set_new(m, "media", json_deep_copy(ev->media));
	if (ev->location != NULL)
		json_object_set_new(m, "location",
		    json_deep_copy(ev->location));
	if (ev->contact != NULL)
		json_object_set_new(m, "contact", json_deep_copy(ev->contact));
}

static int
store_message(struct txn *tx, struct ingest *in, const struct in_event *ev,
    enum keyword_intent k)
{
	uint64_t seq;
	json_t *m;
	int rc;

	m = json_pack("{s:i, s:s, s:s, s:s, s:I, s:I, s:s}", "v", 1,
	    "id", ev->id, "dir", "in", "type",
	    ev->type != NULL ? ev->type : "other", "time", (json_int_t)ev->time,
	    "stored", (json_int_t)in->now, "pid", ev->pid);
	set_string(m, "text", ev->text);
	set_string(m, "payload", ev->payload);
	set_attachment(m, ev);
	if (ev->edited)
		json_object_set_new(m, "edited", json_true());
	if (k != KEYWORD_NONE)
		json_object_set_new(m, "keyword",
		    json_string(keyword_intent_name(k)));
	rc = msg_add(tx, m, &seq);
	json_decref(m);
	return rc;
}

/* What a message asks for: Get Started, then payload, then text. */
static enum keyword_intent
intent(const struct ingest *in, const struct in_event *ev, int *topic)
{
	const char *gs = in->conf->chan[ev->chan].get_started;
	enum keyword_intent k = KEYWORD_NONE;

	*topic = -1;
	if (ev->edited || ev->type == NULL)
		return KEYWORD_NONE;
	if (strcmp(ev->type, "text") != 0 && strcmp(ev->type, "postback") &&
	    strcmp(ev->type, "button") != 0 &&
	    strcmp(ev->type, "interactive") != 0)
		return KEYWORD_NONE;
	if (strcmp(ev->type, "postback") == 0 && ev->payload != NULL &&
	    gs != NULL && strcmp(ev->payload, gs) == 0)
		return KEYWORD_SUBSCRIBE;
	if (ev->payload != NULL)
		k = keyword_match(ev->payload, strlen(ev->payload), in->conf,
		    topic);
	if (k == KEYWORD_NONE && ev->text != NULL)
		k = keyword_match(ev->text, strlen(ev->text), in->conf, topic);
	return k;
}

/* How a topic reads to citizens: the first of its words. */
static char *
topic_label(const struct conf *conf, int t)
{
	const char *w = conf->topics[t].words;

	w += strspn(w, " \t");
	return xstrndup(w, strcspn(w, ","));
}

/* The answer text of id, followed by the topic's label. */
static int
answer_topic(struct ingest *in, struct txn *tx, const struct in_event *ev,
    const json_t *rec, enum text_id id, int t)
{
	const char *lang = language(ev, rec);
	char *label = topic_label(in->conf, t), *body;
	int rc;

	xasprintf(&body, "%s %s", conf_text(in->conf, lang, id), label);
	rc = answer(in, tx, ev->id, lang, id, body, 1);
	free(body);
	free(label);
	return rc;
}

/*
 * "Start Baustellen" adds the topic (subscribing first if need be),
 * "Stopp Baustellen" leaves it.  No topic means everything, so leaving
 * one while having none keeps all the others; leaving the last one
 * means everything again.
 */
static int
on_topic(struct ingest *in, struct txn *tx, const struct in_event *ev,
    const json_t *rec, int t, int on)
{
	const char *name = in->conf->topics[t].name;
	json_t *have, *want = json_array(), *v;
	size_t i;
	int rc, was;

	if (on && (rc = sub_add(tx, ev->id, "message", in->now, &was)) == 0 &&
	    was != SUB_ACTIVE)
		rc = answer(in, tx, ev->id, language(ev, rec), TEXT_WELCOME,
		    NULL, 1);
	else
		rc = 0;
	if (rc == 0 && (rc = sub_get(tx, ev->id, &have)) == 0) {
		v = json_object_get(have, "topics");
		if (json_array_size(v) == 0 && !on) {
			for (i = 0; i < in->conf->ntopics; i++)
				json_array_append_new(want, json_string(
				    in->conf->topics[i].name));
		} else
			json_array_extend(want, v);
		json_decref(have);
		for (i = json_array_size(want); i-- > 0;)
			if (strcmp(json_string_value(json_array_get(want, i)),
			    name) == 0)
				json_array_remove(want, i);
		if (on)
			json_array_append_new(want, json_string(name));
		rc = sub_set_topics(tx, ev->id, want);
	}
	json_decref(want);
	if (rc == STORE_NOTFOUND)
		rc = 0;		/* "Stopp Baustellen" from a stranger */
	if (rc == 0)
		rc = answer_topic(in, tx, ev, rec, on ? TEXT_TOPIC_ON :
		    TEXT_TOPIC_OFF, t);
	return rc;
}

/*
 * The text that heading (a text id) and the announcements in recs
 * make, newest first, dated: as many as the platform's longest text
 * holds, the last one cut if need be.  *n says how many went in.
 * malloc'd.
 */
static char *
digest(const struct ingest *in, const struct in_event *ev, const char *lang,
    enum text_id heading, const json_t *recs, size_t *n)
{
	const struct platform_limit *l = platform_limit(ev->chan);
	char *body, *more, **parts, when[32];
	const json_t *b;
	size_t i, k;

	body = xstrdup(conf_text(in->conf, lang, heading));
	*n = 0;
	json_array_foreach(recs, i, b) {
		xasprintf(&more, "%s\n\n%s: %s", body, calendar_format(
		    json_integer_value(json_object_get(b, "at")), when),
		    jsonl_string(b, "text") != NULL ? jsonl_string(b, "text") :
		    "");
		free(body);
		body = more;
		(*n)++;
		if (split_length(body, strlen(body), l->unit) > l->max) {
			/* The first part of what fits, and no more. */
			k = split_text(body, l->max, l->unit, &parts);
			free(body);
			body = xstrdup(parts[0]);
			split_free(parts, k);
			break;
		}
	}
	return body;
}

/*
 * "Neu": the announcements of the last catch_up days that reach them,
 * newest first, in one message.
 */
static int
on_news(struct ingest *in, struct txn *tx, const struct in_event *ev,
    const json_t *rec)
{
	const char *lang = language(ev, rec);
	json_t *recent = json_array();
	char *body;
	size_t n;
	int rc;

	rc = bcast_recent(tx, in->now - in->conf->catch_up * 86400, rec,
	    recent);
	body = digest(in, ev, lang, json_array_size(recent) > 0 ? TEXT_NEWS :
	    TEXT_NO_NEWS, recent, &n);
	json_decref(recent);
	if (rc == 0)
		rc = answer(in, tx, ev->id, lang, TEXT_NEWS, body, 1);
	free(body);
	return rc;
}

/*
 * A Messenger or Instagram subscriber wrote, which opens their window:
 * the announcements of the last catch_up days that skipped them for
 * the window go to them now, in one message, at most once a day.  Each
 * is then "late" for them (status counts it).
 */
static int
catch_up(struct ingest *in, struct txn *tx, const struct in_event *ev,
    const json_t *rec)
{
	json_t *skipped, *missed, *v, *b;
	long day = calendar_day(in->now);
	const char *state;
	char *body;
	size_t i, n;
	int rc;

	/* A replay (hb-ingest -r) answers nothing, so it brings nothing. */
	if (in->replay || (ev->chan != CHAN_MESSENGER &&
	    ev->chan != CHAN_INSTAGRAM) ||
	    in->conf->catch_up == 0 || (state = jsonl_string(rec,
	    "state")) == NULL || strcmp(state, "active") != 0 ||
	    json_integer_value(json_object_get(rec, "caught_up")) == day)
		return 0;
	skipped = json_array();
	missed = json_array();
	rc = delivery_skipped_for(tx, ev->id, BCAST_WHY_WINDOW, skipped);
	json_array_foreach(skipped, i, v) {
		if (rc != 0)
			break;
		if ((rc = bcast_get(tx, json_integer_value(v), &b)) != 0) {
			if (rc == STORE_NOTFOUND)
				rc = 0;		/* expired since */
			continue;
		}
		state = jsonl_string(b, "state");
		if (json_integer_value(json_object_get(b, "at")) >= in->now -
		    in->conf->catch_up * 86400 && state != NULL &&
		    strcmp(state, "cancelled") != 0)
			json_array_append(missed, b);
		json_decref(b);
	}
	if (rc == 0 && json_array_size(missed) > 0) {
		body = digest(in, ev, language(ev, rec), TEXT_CATCH_UP, missed,
		    &n);
		rc = answer(in, tx, ev->id, language(ev, rec), TEXT_CATCH_UP,
		    body, 1);
		free(body);
		for (i = 0; i < n && rc == 0; i++)
			rc = delivery_late(tx, json_integer_value(
			    json_object_get(json_array_get(missed, i), "n")),
			    ev->id, in->now);
		if (rc == 0)
			rc = sub_note_catch_up(tx, ev->id, day);
	}
	json_decref(skipped);
	json_decref(missed);
	return rc;
}

/* "Themen": the configured topics, theirs marked. */
static int
on_topics(struct ingest *in, struct txn *tx, const struct in_event *ev,
    const json_t *rec)
{
	const json_t *mine = json_object_get(rec, "topics"), *v;
	const char *lang = language(ev, rec);
	char *body, *more, *label;
	size_t i, k;
	int chosen, rc;

	body = xstrdup(conf_text(in->conf, lang, TEXT_TOPICS));
	for (i = 0; i < in->conf->ntopics; i++) {
		chosen = 0;
		json_array_foreach(mine, k, v)
			chosen |= strcmp(json_string_value(v),
			    in->conf->topics[i].name) == 0;
		label = topic_label(in->conf, (int)i);
		xasprintf(&more, "%s\n%s %s", body, chosen ? "\xe2\x9c\x93" : "-",
		    label);
		free(label);
		free(body);
		body = more;
	}
	rc = answer(in, tx, ev->id, lang, TEXT_TOPICS, body, 1);
	free(body);
	return rc;
}

static int
on_erase(struct txn *tx, struct ingest *in, const struct in_event *ev)
{
	struct person_counts counts;
	const char *lang = NULL;
	char l[4] = { 0 };
	json_t *rec = NULL;
	int rc;

	if ((rc = sub_get(tx, ev->id, &rec)) != 0 && rc != STORE_NOTFOUND)
		return rc;
	if ((lang = language(ev, rec)) != NULL)
		(void)strlcpy(l, lang, sizeof(l));
	json_decref(rec);
	/* The platform's time: what it dates before this is older. */
	if ((rc = person_erase(tx, ev->id, ev->time > 0 ? ev->time : in->now,
	    &counts)) != 0)
		return rc;
	/* The confirmation is the only trace left, until it is sent. */
	if ((rc = answer(in, tx, ev->id, l[0] != '\0' ? l : NULL, TEXT_ERASED,
	    NULL, 0)) != 0)
		return rc;
	event(in, ev, "erase");
	return 0;
}

static int
on_message(struct txn *tx, struct ingest *in, const struct in_event *ev)
{
	enum keyword_intent k;
	json_t *rec, *all, *o;
	char *summary;
	int rc, was, topic;

	/*
	 * The citizen deleted what they sent (Instagram): it comes again
	 * under the same id, and its text must not stay.
	 */
	if (ev->type != NULL && strcmp(ev->type, "deleted") == 0) {
		if ((rc = msg_withdraw(tx, ev->pid, ev->time)) != 0)
			return rc == STORE_NOTFOUND ? 0 : rc;
		set_string(event(in, ev, "message"), "type", ev->type);
		return 0;
	}
	/* A platform's retry of something already stored. */
	if ((rc = msg_has_pid(tx, ev->pid)) != 0)
		return rc == 1 ? 0 : rc;
	if ((k = intent(in, ev, &topic)) == KEYWORD_ERASE)
		return on_erase(tx, in, ev);
	if ((rc = touch_person(tx, ev, in->now, &rec)) != 0)
		return rc;
	if ((rc = store_message(tx, in, ev, k)) != 0)
		goto out;
	switch (k) {
	case KEYWORD_SUBSCRIBE:
		rc = sub_add(tx, ev->id, "message", in->now, &was);
		if (rc == 0)
			rc = answer(in, tx, ev->id, language(ev, rec),
			    TEXT_WELCOME, NULL, 1);
		o = event(in, ev, "subscribe");
		break;
	case KEYWORD_UNSUBSCRIBE:
		rc = sub_set_state(tx, ev->id, SUB_STOPPED, in->now);
		if (rc == 0)
			rc = answer(in, tx, ev->id, language(ev, rec),
			    TEXT_GOODBYE, NULL, 1);
		o = event(in, ev, "unsubscribe");
		break;
	case KEYWORD_MYDATA:
		if ((rc = person_collect(tx, ev->id, &all)) == 0) {
			summary = person_summary(conf_text(in->conf,
			    language(ev, rec), TEXT_MYDATA), language(ev, rec),
			    all);
			rc = answer(in, tx, ev->id, language(ev, rec),
			    TEXT_MYDATA, summary, 1);
			free(summary);
		}
		json_decref(all);
		o = event(in, ev, "message");
		break;
	case KEYWORD_HELP:
		rc = answer(in, tx, ev->id, language(ev, rec), TEXT_HELP, NULL,
		    1);
		o = event(in, ev, "message");
		break;
	case KEYWORD_TOPIC_ON:
	case KEYWORD_TOPIC_OFF:
		rc = on_topic(in, tx, ev, rec, topic, k == KEYWORD_TOPIC_ON);
		o = event(in, ev, "message");
		set_string(o, "topic", in->conf->topics[topic].name);
		break;
	case KEYWORD_TOPICS:
		rc = on_topics(in, tx, ev, rec);
		o = event(in, ev, "message");
		break;
	case KEYWORD_NEWS:
		rc = on_news(in, tx, ev, rec);
		o = event(in, ev, "message");
		break;
	default:
		/* A chat message waits for the city's answer (hb-reply). */
		rc = sub_set_unanswered(tx, ev->id, ev->time);
		o = event(in, ev, "message");
		break;
	}
	/* Their window is open now: what it kept from them, if anything. */
	if (rc == 0 && k != KEYWORD_UNSUBSCRIBE)
		rc = catch_up(in, tx, ev, rec);
	set_string(o, "type", ev->type);
	set_string(o, "text", ev->text);
	set_attachment(o, ev);
	set_string(o, "name", jsonl_string(rec, "name"));
	if (k != KEYWORD_NONE)
		json_object_set_new(o, "keyword", json_string(keyword_intent_name(k)));
out:
	json_decref(rec);
	return rc;
}

/* Meta's codes for "this person cannot be reached" (platforms.md §1.5). */
#define WA_UNDELIVERABLE	131026

static int
on_status(struct txn *tx, struct ingest *in, const struct in_event *ev)
{
	json_t *o;
	int rc;

	if (ev->ref != NULL) {
		rc = delivery_receipt(tx, ev->ref, ev->status, ev->time);
		if (rc == STORE_NOTFOUND)
			rc = msg_receipt(tx, ev->ref, ev->status, ev->time);
	} else {
		rc = delivery_receipt_upto(tx, ev->id, ev->watermark,
		    ev->status, ev->time);
		if (rc == 0)
			rc = msg_receipt_upto(tx, ev->id, ev->watermark,
			    ev->status, ev->time);
	}
	if (rc != 0 && rc != STORE_NOTFOUND)
		return rc;
	o = event(in, ev, "status");
	set_string(o, "status", ev->status);
	set_string(o, "ref", ev->ref);
	if (ev->error == WA_UNDELIVERABLE) {
		rc = sub_set_state(tx, ev->id, SUB_UNREACHABLE, in->now);
		if (rc != 0 && rc != STORE_NOTFOUND)
			return rc;
		event(in, ev, "unreachable");
	}
	return 0;
}

#define TG_OFFSET	"telegram.offset"

int
ingest_tg_offset(struct txn *tx, long long *offset)
{
	return store_meta_get(tx, TG_OFFSET, offset);
}

/*
 * Was ev sent to another account than the channel's (phone_number_id,
 * page_id, account_id)?  A Meta app may serve several numbers or pages,
 * and the webhook gets them all: other tenants' users are not ours to
 * subscribe or erase.
 */
static int
other_account(const struct ingest *in, const struct in_event *ev)
{
	const char *ours = in->conf->chan[ev->chan].account;

	return ev->account != NULL && ours != NULL &&
	    strcmp(ev->account, ours) != 0;
}

/*
 * The ID hb knows the person of a WhatsApp event by: a body may name
 * them by their BSUID alone, where hb keys them on the phone it learnt
 * with the BSUID beside it (the alias index).  Otherwise theirs.  0, or
 * an error.
 */
static int
known_id(struct txn *tx, const struct in_event *ev, char *id, size_t idsz)
{
	const char *bsuid;
	json_t *rec;
	int rc;

	(void)strlcpy(id, ev->id, idsz);
	if (ev->chan != CHAN_WHATSAPP || ev->kind == IN_RENUMBER ||
	    (bsuid = strchr(ev->id, ':')) == NULL || strchr(++bsuid, '.') ==
	    NULL)
		return 0;	/* a phone number */
	if ((rc = sub_get(tx, ev->id, &rec)) == 0)
		json_decref(rec);
	else if (rc == STORE_NOTFOUND &&
	    (rc = sub_find_alias(tx, bsuid, id, idsz)) == STORE_NOTFOUND) {
		(void)strlcpy(id, ev->id, idsz);
		rc = 0;
	}
	return rc;
}

/*
 * Did ev happen before its person asked to be erased?  Then it is a
 * platform's retry, a replay or a body a dead process left, and must not
 * bring them back: 1.  Only what they send afterwards, their own new
 * Start, does.  0, 1, or an error.
 */
static int
before_erasure(struct txn *tx, const struct ingest *in,
    const struct in_event *ev)
{
	time_t at;
	int rc;

	if ((rc = ledger_erased(tx, ev->id, &at)) != 1)
		return rc;
	return (ev->time > 0 ? ev->time : in->now) <= at;
}

/* Events by the platform's time, then as they came (a stable sort). */
struct in_order {
	time_t	 time;
	size_t	 i;
};

static int
by_time(const void *a, const void *b)
{
	const struct in_order *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * The order to apply the events in: bodies committed together came in
 * any order (the spool, a batch file), and a Stopp must not be undone by
 * the Start before it.  A dateless event counts as now.
 */
static struct in_order *
time_order(const struct in_events *evs, time_t now)
{
	struct in_order *o = xcalloc(evs->n + 1, sizeof(*o));
	size_t i;

	for (i = 0; i < evs->n; i++) {
		o[i].time = evs->v[i].time > 0 ? evs->v[i].time : now;
		o[i].i = i;
	}
	qsort(o, evs->n, sizeof(*o), by_time);
	return o;
}

/* The meta entry of the time a channel's webhook was last stored. */
static void
inbound_name(enum chan c, char *buf, size_t size)
{
	(void)snprintf(buf, size, "inbound.%s", chan_name(c));
}

int
ingest_note_inbound(struct txn *tx, enum chan c, time_t now)
{
	char name[32];

	inbound_name(c, name, sizeof(name));
	return store_meta_put(tx, name, (long long)now);
}

int
ingest_last_inbound(struct txn *tx, enum chan c, time_t *when)
{
	char name[32];
	long long t;
	int rc;

	inbound_name(c, name, sizeof(name));
	*when = 0;
	if ((rc = store_meta_get(tx, name, &t)) == 0)
		*when = (time_t)t;
	return rc == STORE_NOTFOUND ? 0 : rc;
}

int
ingest_apply(struct txn *tx, void *arg)
{
	struct ingest *in = arg;
	struct in_order *order;
	const struct in_event *ev;
	struct in_event person;
	char id[HB_ID_MAX + 1];
	json_t *o;
	size_t i;
	int rc = 0;

	/* A retried transaction starts its list of events again. */
	json_array_clear(in->out);
	order = time_order(in->evs, in->now);
	for (i = 0; i < in->evs->n && rc == 0; i++) {
		/* A copy, under the ID hb knows the person by. */
		person = in->evs->v[order[i].i];
		if (other_account(in, &person))
			continue;
		if ((rc = known_id(tx, &person, id, sizeof(id))) != 0 ||
		    (rc = ingest_note_inbound(tx, person.chan, in->now)) != 0)
			break;
		person.id = id;
		ev = &person;
		if ((rc = before_erasure(tx, in, ev)) != 0) {
			rc = rc == 1 ? 0 : rc;
			continue;
		}
		switch (ev->kind) {
		case IN_MESSAGE:
			rc = on_message(tx, in, ev);
			break;
		case IN_STATUS:
			rc = on_status(tx, in, ev);
			break;
		case IN_BLOCKED:
			rc = sub_set_state(tx, ev->id, SUB_UNREACHABLE,
			    in->now);
			if (rc == STORE_NOTFOUND)
				rc = 0;
			else if (rc == 0)
				event(in, ev, "unreachable");
			break;
		case IN_RENUMBER:
			rc = person_move(tx, ev->id, ev->new_id);
			o = event(in, ev, "renumber");
			json_object_set_new(o, "id", json_string(ev->new_id));
			json_object_set_new(o, "old_id", json_string(ev->id));
			break;
		}
	}
	free(order);
	/* The offset commits with the events of the updates before it. */
	if (rc == 0 && in->tg_offset > 0)
		rc = store_meta_put(tx, TG_OFFSET, in->tg_offset);
	return rc;
}

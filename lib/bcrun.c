/* bcrun.c: the broadcasts of one run of hb-broadcast; see bcrun.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bcast.h"
#include "bcrun.h"
#include "delivery.h"
#include "jsonl.h"
#include "sub.h"
#include "xalloc.h"

void
bcrun_init(struct bcrun *r, const struct conf *conf)
{
	memset(r, 0, sizeof(*r));
	r->conf = conf;
}

static void
bc_free(struct bcrun_bc *b)
{
	int c, k;

	for (c = 0; c < CHAN_COUNT; c++)
		for (k = 0; k < 2; k++)
			sender_text_unref(b->texts[c][k]);
	media_unref(b->media);
	json_decref(b->topics);
	free(b->text);
	free(b);
}

void
bcrun_release(struct bcrun *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		bc_free(r->v[i]);
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

static int
is_state(const json_t *rec, const char *state)
{
	const char *s = jsonl_string(rec, "state");

	return s != NULL && strcmp(s, state) == 0;
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

struct bcrun_bc *
bcrun_get(struct txn *tx, struct bcrun *r, uint64_t n)
{
	struct bcrun_bc *b;
	const char *text;
	json_t *rec;
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->v[i]->n == n)
			return r->v[i];
	if (bcast_get(tx, n, &rec) != 0)
		return NULL;
	b = xcalloc(1, sizeof(*b));
	b->n = n;
	text = jsonl_string(rec, "text");
	b->text = xstrdup(text != NULL ? text : "");
	b->chans = bcast_chans(rec);
	b->media = media_from_record(r->conf->home, rec);
	b->topics = json_incref(json_object_get(rec, "topics"));
	b->cancelled = is_state(rec, "cancelled");
	b->fanning = json_object_get(rec, "due") != NULL;
	b->prio = json_is_true(json_object_get(rec, "emergency")) ? 0 : 1;
	b->test = json_is_true(json_object_get(rec, "test"));
	b->follows = (uint64_t)json_integer_value(json_object_get(rec,
	    "follows"));
	b->resumed = is_state(rec, "sending");
	b->template_fits = template_fits(r->conf, b->text);
	b->others_day = -1;
	json_decref(rec);
	r->v = xreallocarray(r->v, r->n + 1, sizeof(*r->v));
	r->v[r->n++] = b;
	return b;
}

int
bcrun_refresh(struct txn *tx, struct bcrun *r)
{
	json_t *rec;
	size_t i;
	int rc;

	for (i = 0; i < r->n; i++) {
		if ((rc = bcast_get(tx, r->v[i]->n, &rec)) == STORE_NOTFOUND)
			continue;
		if (rc != 0)
			return rc;
		if (is_state(rec, "cancelled")) {
			r->v[i]->cancelled = 1;
			r->v[i]->fanning = 0;
		}
		json_decref(rec);
	}
	return 0;
}

int
bcrun_close_finished(struct txn *tx, struct bcrun *r, time_t now)
{
	size_t i;
	int rc;

	for (i = 0; i < r->n; i++)
		if (!r->v[i]->fanning && r->v[i]->outstanding == 0 &&
		    (rc = bcast_finished(tx, r->v[i]->n, now)) != 0)
			return rc;
	return 0;
}

/*
 * The text of b for channel c and kind, with b's attachment: WhatsApp's
 * template takes it only as template_media; the text template leaves
 * it out.
 */
static struct sender_text *
text_of(const struct bcrun *r, struct bcrun_bc *b, enum chan c,
    enum platform_kind kind)
{
	int k = kind == PK_TEMPLATE;
	int left_out = k && r->conf->chan[c].template_media == NULL;

	if (b->texts[c][k] == NULL) {
		b->texts[c][k] = sender_text_new(b->text, left_out ? NULL :
		    b->media, c, kind);
		b->texts[c][k]->no_media = left_out && b->media != NULL;
	}
	return b->texts[c][k];
}

int
bcrun_fresh_refs(const struct bcrun *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->v[i]->media != NULL && r->v[i]->media->fresh != 0)
			return 1;
	return 0;
}

int
bcrun_keep_refs(struct txn *tx, struct bcrun *r)
{
	size_t i;
	int rc;

	for (i = 0; i < r->n; i++) {
		if (r->v[i]->media == NULL || r->v[i]->media->fresh == 0)
			continue;
		if ((rc = bcast_keep_media(tx, r->v[i]->n, r->v[i]->media)) !=
		    0)
			return rc;
		r->v[i]->media->fresh = 0;
	}
	return 0;
}

struct sender_job *
bcrun_job(const struct bcrun *r, struct bcrun_bc *b, const char *id,
    const json_t *sub, const json_t *rec, time_t now, const char **why)
{
	enum platform_kind kind;
	struct sender_job *j;
	enum chan c;

	if (chan_check_id(id, &c, why) == -1)
		return NULL;
	if (json_is_true(json_object_get(rec, "template")))
		kind = PK_TEMPLATE;
	else
		switch (bcast_fate(r->conf, c, sub, b->text, now, why)) {
		case FATE_TEXT:
			kind = PK_UPDATE;
			break;
		case FATE_TEMPLATE:
			kind = PK_TEMPLATE;
			break;
		default:
			return NULL;
		}
	j = sender_job_new(id, text_of(r, b, c, kind), kind, b->prio);
	j->ref = b->n;
	if (rec != NULL) {
		j->tries = (int)json_integer_value(json_object_get(rec,
		    "tries"));
		j->part = json_integer_value(json_object_get(rec, "parts"));
		if (j->part >= j->text->nparts)
			j->part = 0;
	}
	return j;
}

struct fan_walk {
	struct txn *tx;
	struct bcrun_bc *b;
	enum chan chan;
	size_t	*room;		/* the channel's */
	bcrun_hand_fn hand;
	void	*arg;
	int	 rc;
};

static int
fan_one(const void *key, size_t klen, json_t *sub, void *arg)
{
	struct fan_walk *w = arg;
	struct bcrun_bc *b = w->b;
	char id[HB_ID_MAX + 1], *pos = b->pos[w->chan];

	if (*w->room == 0)
		return STORE_STOP;
	if (klen > HB_ID_MAX)
		return 0;
	memcpy(id, key, klen);
	id[klen] = '\0';
	if (strcmp(id, pos) <= 0)
		return 0;	/* pos itself, where the walk resumed */
	(void)strlcpy(pos, id, sizeof(b->pos[w->chan]));
	if (!bcast_reaches(b->topics, sub))
		return 0;	/* not about what they chose */
	if (b->resumed && (w->rc = delivery_has(w->tx, b->n, id)) != 0)
		return w->rc == 1 ? (w->rc = 0) : w->rc;
	if ((w->rc = w->hand(w->tx, b, id, sub, w->arg)) < 0)
		return w->rc;
	if (w->rc == 1) {
		b->outstanding++;
		(*w->room)--;
	}
	return w->rc = 0;
}

/*
 * A test send's fan-out: the testers of b's channels, subscribed or not
 * (a tester who is no subscriber is treated as one who never wrote),
 * all at once: there are few.
 */
static int
fan_out_testers(struct txn *tx, const struct conf *conf, struct bcrun_bc *b,
    bcrun_hand_fn hand, void *arg)
{
	char **ids;
	size_t i, n;
	json_t *sub;
	enum chan c;
	const char *why;
	int rc = 0;

	(void)conf_testers(conf, &ids, &n);
	for (i = 0; i < n; i++) {
		if (rc == 0 && chan_check_id(ids[i], &c, &why) == 0 &&
		    (b->chans & (1u << c)) && (rc = delivery_has(tx, b->n,
		    ids[i])) == 0) {
			if ((rc = sub_get(tx, ids[i], &sub)) == STORE_NOTFOUND)
				sub = json_pack("{s:s}", "id", ids[i]);
			if (rc == 0 || rc == STORE_NOTFOUND) {
				if ((rc = hand(tx, b, ids[i], sub, arg)) == 1)
					b->outstanding++;
				rc = rc < 0 ? rc : 0;
				json_decref(sub);
			}
		} else if (rc == 1)
			rc = 0;		/* handed out before */
		free(ids[i]);
	}
	free(ids);
	b->fanned = b->chans;
	b->fanning = 0;
	return rc;
}

struct follow_walk {
	struct txn *tx;
	struct bcrun_bc *b;
	size_t	*room;
	bcrun_hand_fn hand;
	void	*arg;
	unsigned *more;
	time_t	 now;
	int	 rc;
};

json_t *
bcrun_public(const char *id)
{
	return json_pack("{s:s, s:s}", "id", id, "state", "active");
}

/*
 * The post of b to the city's public Telegram channel, once, before
 * its Telegram subscribers: 1 if handed out, 0 if not, or an error.
 */
static int
post_public(struct txn *tx, const struct conf *conf, struct bcrun_bc *b,
    bcrun_hand_fn hand, void *arg)
{
	const char *id = conf->chan[CHAN_TELEGRAM].channel;
	json_t *sub;
	int rc;

	if (id == NULL || b->posted || b->test)
		return 0;
	b->posted = 1;
	if (b->resumed && (rc = delivery_has(tx, b->n, id)) != 0)
		return rc == 1 ? 0 : rc;
	sub = bcrun_public(id);
	rc = hand(tx, b, id, sub, arg);
	json_decref(sub);
	if (rc == 1)
		b->outstanding++;
	return rc;
}

/* One delivery of the first broadcast: its recipient gets the follow-up. */
static int
follow_one(const void *key, size_t klen, json_t *first, void *arg)
{
	struct follow_walk *w = arg;
	struct bcrun_bc *b = w->b;
	const char *id = jsonl_string(first, "id"), *why;
	enum delivery_reach reach = delivery_reach_of(first);
	json_t *sub;
	enum chan c;
	int rc;

	(void)key;
	(void)klen;
	if (id == NULL || chan_check_id(id, &c, &why) == -1 ||
	    !(b->chans & (1u << c)) || reach == DELIVERY_MISSED)
		goto next;
	if (w->room[c] == 0) {
		*w->more |= 1u << c;
		return STORE_STOP;	/* from here, next time */
	}
	if (b->resumed && (rc = delivery_has(w->tx, b->n, id)) != 0) {
		if (rc == 1)
			goto next;
		return w->rc = rc;
	}
	if (reach == DELIVERY_OPEN) {
		/* It waits for the first to reach them, or not. */
		if ((w->rc = delivery_wait(w->tx, b->n, id, BCRUN_FIRST_OPEN,
		    w->now, b->prio)) != 0)
			return w->rc;
		goto next;
	}
	if (chan_is_public(id))
		sub = bcrun_public(id);
	else if ((rc = sub_get(w->tx, id, &sub)) == STORE_NOTFOUND)
		goto next;	/* gone since */
	else if (rc != 0)
		return w->rc = rc;
	if (!is_state(sub, "active")) {
		json_decref(sub);
		goto next;	/* stopped since */
	}
	rc = w->hand(w->tx, b, id, sub, w->arg);
	json_decref(sub);
	if (rc < 0)
		return w->rc = rc;
	if (rc == 1) {
		b->outstanding++;
		w->room[c]--;
	}
next:
	(void)strlcpy(b->pos[0], id != NULL ? id : "", sizeof(b->pos[0]));
	return 0;
}

/*
 * A follow-up's fan-out: once the first broadcast is handed out and
 * answered, its recipients, each channel within its room.
 */
static int
fan_out_follow_up(struct txn *tx, struct bcrun_bc *b, time_t now,
    size_t room[CHAN_COUNT], bcrun_hand_fn hand, void *arg, unsigned *more)
{
	struct follow_walk w = { tx, b, room, hand, arg, more, now, 0 };
	unsigned before = *more;
	json_t *first;
	int rc;

	if ((rc = bcast_get(tx, b->follows, &first)) == 0) {
		rc = json_object_get(first, "due") != NULL;
		json_decref(first);
		if (rc == 1)
			return 0;	/* the first is still going out */
	} else if (rc != STORE_NOTFOUND)
		return rc;
	rc = delivery_each_of_bc_after(tx, b->follows, b->pos[0][0] != '\0' ?
	    b->pos[0] : NULL, follow_one, &w);
	if (rc == 0)
		rc = w.rc;
	if (rc == 0 && *more == before) {
		b->fanned = b->chans;
		b->fanning = 0;
	}
	return rc != 0 ? rc : bcast_started(tx, b->n, now);
}

int
bcrun_fan_out(struct txn *tx, const struct conf *conf, struct bcrun_bc *b,
    time_t now, size_t room[CHAN_COUNT], bcrun_hand_fn hand, void *arg,
    unsigned *more)
{
	struct fan_walk w = { tx, b, 0, NULL, hand, arg, 0 };
	int c, rc = 0;

	if (b->test)
		return (rc = fan_out_testers(tx, conf, b, hand, arg)) != 0 ?
		    rc : bcast_started(tx, b->n, now);
	if (b->follows)
		return fan_out_follow_up(tx, b, now, room, hand, arg, more);

	for (c = 0; c < CHAN_COUNT && rc == 0; c++) {
		if (!(b->chans & (1u << c)) || (b->fanned & (1u << c)))
			continue;
		if (room[c] == 0) {
			*more |= 1u << c;
			continue;
		}
		w.chan = c;
		w.room = &room[c];
		if (c == CHAN_TELEGRAM && (rc = post_public(tx, conf, b, hand,
		    arg)) < 0)
			break;
		if (rc == 1)
			room[c]--;
		rc = sub_each_in(tx, SUB_ACTIVE, c, b->pos[c][0] != '\0' ?
		    b->pos[c] : NULL, fan_one, &w);
		if (rc == 0)
			rc = w.rc;
		if (rc == 0 && room[c] == 0)
			*more |= 1u << c;	/* perhaps more */
		else if (rc == 0)
			b->fanned |= 1u << c;
	}
	if (rc != 0)
		return rc;
	if ((b->chans & ~b->fanned) == 0)
		b->fanning = 0;	/* everyone handed out */
	return bcast_started(tx, b->n, now);
}

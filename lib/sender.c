/* sender.c: many requests in flight, each channel paced; see sender.h. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"
#include "log.h"
#include "monotime.h"
#include "sender.h"
#include "xalloc.h"

#define TIMEOUT		30L	/* seconds for an answer */
/*
 * Requests of a channel start evenly spaced, 1.1 / rate seconds apart:
 * the platform counts arrivals, which trail the starts by a varying
 * delay, and evenly spaced starts with a tenth to spare keep any second
 * of arrivals within the rate.
 */
#define SPACING		1.1
#define MAX_PAUSE	60.0	/* longer waits go back to the owner */
/*
 * Requests in flight a channel needs: its rate times the time an answer
 * takes (Little's law), with half again to spare for answers slower than
 * the average.  Until the first answers, an answer is taken to take a
 * second, as real send APIs answer in 0.1-1 s.
 */
#define HEADROOM	1.5
#define FIRST_LATENCY	1.0
#define UNPACED		16	/* requests in flight without a rate */
#define LATENCY_WEIGHT	0.1	/* of each new answer in the average */

struct queue {
	struct sender_job *head, *tail;
};

struct pace {
	long long rate;		/* per second, 0: none */
	double	 next_start;	/* the earliest the next request may start */
	double	 paused_until;
	double	 backoff;	/* the next pause without retry_after */
	double	 latency;	/* seconds an answer takes, on average */
	size_t	 answers;	/* that the average is made of */
	size_t	 inflight;	/* requests started, not answered */
	size_t	 cap;		/* requests in flight at most */
	size_t	 queued[2];	/* jobs waiting, by priority */
	int	 halted;
	struct platform_res halt;
};

struct sender {
	const struct conf *conf;
	struct http_pool *pool;
	size_t	 ceiling;	/* requests in flight at most, a channel */
	size_t	 inflight, queued;
	struct queue q[2][CHAN_COUNT];
	struct pace pace[CHAN_COUNT];
	sender_done_fn done;
	void	*arg;
};

struct sender_text *
sender_text_new(const char *text, struct media *m, enum chan c,
    enum platform_kind kind)
{
	const struct platform_limit *l = platform_limit(c);
	struct sender_text *t = xcalloc(1, sizeof(*t));
	char **rest;
	size_t n;

	t->refs = 1;
	if ((t->media = m) != NULL)
		m->refs++;
	if (kind == PK_TEMPLATE || (m != NULL &&
	    media_caption_fits(c, text))) {
		/* One part: the caller checked a template's length. */
		t->parts = xcalloc(1, sizeof(*t->parts));
		t->parts[0] = xstrdup(text);
		t->nparts = 1;
	} else if (m != NULL) {
		/* The attachment without a caption, then the text. */
		n = *text != '\0' ? split_text(text, l->max, l->unit,
		    &rest) : 0;
		t->parts = xcalloc(n + 1, sizeof(*t->parts));
		t->parts[0] = xstrdup("");
		if (n > 0)
			memcpy(t->parts + 1, rest, n * sizeof(*rest));
		if (*text != '\0')
			free(rest);
		t->nparts = n + 1;
	} else
		t->nparts = split_text(text, l->max, l->unit, &t->parts);
	return t;
}

void
sender_text_unref(struct sender_text *t)
{
	if (t != NULL && --t->refs == 0) {
		split_free(t->parts, t->nparts);
		media_unref(t->media);
		free(t);
	}
}

struct sender_job *
sender_job_new(const char *id, struct sender_text *text, enum platform_kind kind,
    int prio)
{
	struct sender_job *j = xcalloc(1, sizeof(*j));
	enum chan c;
	const char *why;

	(void)strlcpy(j->id, id, sizeof(j->id));
	j->chan = chan_check_id(id, &c, &why) == 0 ? c : CHAN_TELEGRAM;
	j->kind = kind;
	j->prio = prio > 0 ? 1 : 0;
	j->text = text;
	text->refs++;
	return j;
}

void
sender_job_free(struct sender_job *j)
{
	if (j != NULL) {
		sender_text_unref(j->text);
		free(j);
	}
}

/* How many requests channel c may have in flight, at what it measured. */
static void
set_cap(struct sender *s, struct pace *pc)
{
	double need;

	need = pc->rate > 0 ? (double)pc->rate * pc->latency * HEADROOM + 1 :
	    UNPACED;
	pc->cap = need >= (double)s->ceiling ? s->ceiling : need < 1 ? 1 :
	    (size_t)need;
}

struct sender *
sender_new(const struct conf *conf, size_t ceiling, sender_done_fn done,
    void *arg)
{
	struct sender *s = xcalloc(1, sizeof(*s));
	int c;

	s->conf = conf;
	s->ceiling = ceiling > 0 ? ceiling : 1;
	s->done = done;
	s->arg = arg;
	for (c = 0; c < CHAN_COUNT; c++) {
		s->pace[c].rate = conf->chan[c].rate;
		s->pace[c].backoff = 1;
		s->pace[c].latency = FIRST_LATENCY;
		set_cap(s, &s->pace[c]);
	}
	return s;
}

static void
push(struct queue *q, struct sender_job *j, int front)
{
	j->next = NULL;
	if (q->head == NULL)
		q->head = q->tail = j;
	else if (front) {
		j->next = q->head;
		q->head = j;
	} else {
		q->tail->next = j;
		q->tail = j;
	}
}

static struct sender_job *
pop(struct queue *q)
{
	struct sender_job *j = q->head;

	if (j != NULL && (q->head = j->next) == NULL)
		q->tail = NULL;
	return j;
}

/* Queue a job of the sender's, counted; at the front to go on next. */
static void
enqueue(struct sender *s, struct sender_job *j, int front)
{
	push(&s->q[j->prio][j->chan], j, front);
	s->pace[j->chan].queued[j->prio]++;
	s->queued++;
}

static struct sender_job *
dequeue(struct sender *s, int prio, enum chan c)
{
	struct sender_job *j;

	if ((j = pop(&s->q[prio][c])) != NULL) {
		s->pace[c].queued[prio]--;
		s->queued--;
	}
	return j;
}

size_t
sender_drop_queued(struct sender *s)
{
	struct sender_job *j;
	size_t n = 0;
	int p, c;

	for (p = 0; p < 2; p++)
		for (c = 0; c < CHAN_COUNT; c++)
			while ((j = dequeue(s, p, c)) != NULL) {
				sender_job_free(j);
				n++;
			}
	return n;
}

void
sender_free(struct sender *s)
{
	if (s == NULL)
		return;
	(void)sender_drop_queued(s);
	http_pool_free(s->pool);
	free(s);
}

void
sender_add(struct sender *s, struct sender_job *j)
{
	if (s->pace[j->chan].halted) {
		s->done(j, &s->pace[j->chan].halt, s->arg);
		return;
	}
	enqueue(s, j, 0);
}

size_t
sender_queued(const struct sender *s)
{
	return s->queued;
}

size_t
sender_inflight(const struct sender *s)
{
	return s->inflight;
}

size_t
sender_busy(const struct sender *s, enum chan c, int prio)
{
	const struct pace *pc = &s->pace[c];

	return pc->inflight + pc->queued[0] + (prio > 0 ? pc->queued[1] : 0);
}

double
sender_latency(const struct sender *s, enum chan c, size_t *answers)
{
	*answers = s->pace[c].answers;
	return s->pace[c].latency;
}

double
sender_forecast(long long rate, double latency, size_t msgs)
{
	double apart = rate > 0 ? SPACING / (double)rate : 0;

	if (latency <= 0)
		latency = FIRST_LATENCY;
	/* What the requests in flight allow, at that latency. */
	if (latency / (rate > 0 ? SENDER_CEILING : UNPACED) > apart)
		apart = latency / (rate > 0 ? SENDER_CEILING : UNPACED);
	return msgs == 0 ? 0 : (double)msgs * apart + latency;
}

/* When channel c may start its next request: now, or later. */
static double
next_slot(const struct pace *pc)
{
	return pc->paused_until > pc->next_start ? pc->paused_until :
	    pc->next_start;
}

/*
 * The next start is one spacing after this one was due, not after it
 * happened: a loop that wakes a little late each time would otherwise
 * lose that much of every slot (a millisecond of 12.5 at 80/s is a
 * tenth of the rate; at 1,000/s a slot is shorter than a turn of the
 * loop).  Only where slots are shorter than CATCH_UP, and only that far
 * behind: a schedule further behind starts again from now, so that a
 * channel that was idle sends no burst, and the starts in any second
 * stay below the rate (at 80/s, 77 at most).  Slower channels start
 * from now when late, as a late wake-up costs them little and a second
 * start close behind a late one would crowd the platform's count.
 */
#define CATCH_UP	0.05

static void
count_start(struct pace *pc, double now)
{
	double apart, behind;

	if (pc->rate <= 0)
		return;
	apart = SPACING / pc->rate;
	behind = apart < CATCH_UP ? CATCH_UP : 0;
	pc->next_start = (pc->next_start > now - behind ? pc->next_start :
	    now) + apart;
}

static void
give_back(struct sender *s, struct sender_job *j, enum platform_outcome o,
    const char *why)
{
	struct platform_res r;

	memset(&r, 0, sizeof(r));
	r.outcome = o;
	(void)strlcpy(r.why, why, sizeof(r.why));
	s->done(j, &r, s->arg);
}

/* The attachment job j sends now, if it sends one. */
static struct media *
attachment(const struct sender_job *j)
{
	return j->part == 0 ? j->text->media : NULL;
}

/* Whether j must wait for another job's upload of its attachment. */
static int
awaits_upload(const struct sender_job *j)
{
	struct media *m = attachment(j);

	return m != NULL && m->ref[j->chan] == NULL &&
	    (m->uploading & (1u << j->chan));
}

/*
 * The request for j: its next part, or the upload of its attachment
 * first where the platform has no reference for it.  0; 1 when j was
 * given back (its attachment cannot go); -1 after a message.
 */
static int
make_request(struct sender *s, struct sender_job *j, struct platform_req *req)
{
	struct media *m = attachment(j);
	char why[160];
	int rc;

	if (m != NULL && m->refused[j->chan] != NULL) {
		give_back(s, j, PO_REFUSED, m->refused[j->chan]);
		return 1;
	}
	if (m != NULL && m->ref[j->chan] == NULL) {
		if (j->chan == CHAN_INSTAGRAM) {
			if (media_publish(s->conf, m, why, sizeof(why)) == -1) {
				m->refused[j->chan] = xstrdup(why);
				give_back(s, j, PO_REFUSED, why);
				return 1;
			}
		} else {
			j->uploading = 1;
			m->uploading |= 1u << j->chan;
			if (j->chan != CHAN_TELEGRAM)
				return platform_upload(s->conf, j->chan, m,
				    req);
		}
	}
	rc = platform_request(s->conf, j->id, j->text->parts[j->part], m,
	    j->kind, req);
	if (rc == -1 && j->uploading) {
		j->uploading = 0;
		m->uploading &= ~(1u << j->chan);
	}
	return rc;
}

/* Start one job's next part.  0, or -1 when HTTP cannot be used. */
static int
start(struct sender *s, struct sender_job *j, double now)
{
	struct platform_req req;
	struct http_req hr;
	int rc;

	if ((rc = make_request(s, j, &req)) == 1)
		return 0;
	if (rc == -1) {
		give_back(s, j, PO_REFUSED, "no request could be made");
		return 0;
	}
	memset(&hr, 0, sizeof(hr));
	hr.url = req.url;
	hr.json = req.body;
	hr.form = req.upload ? &req.form : NULL;
	hr.header = req.auth;
	if (http_pool_add(s->pool, chan_name(j->chan), &hr, j) == -1) {
		platform_req_release(&req);
		enqueue(s, j, 1);
		return -1;
	}
	platform_req_release(&req);
	count_start(&s->pace[j->chan], now);
	s->pace[j->chan].inflight++;
	s->inflight++;
	j->requests++;
	j->started = now;
	return 0;
}

/*
 * Start what channel c may start, within its pace and its requests in
 * flight, emergencies first; *wake as start_ready() says.
 */
static int
start_channel(struct sender *s, enum chan c, double now, double *wake)
{
	struct pace *pc = &s->pace[c];
	struct sender_job *j;
	double t;
	int p;

	for (p = 0; p < 2; p++)
		while (s->q[p][c].head != NULL && pc->inflight < pc->cap) {
			if ((t = next_slot(pc)) > now) {
				if (*wake == 0 || t < *wake)
					*wake = t;
				return 0;
			}
			if (awaits_upload(s->q[p][c].head))
				return 0;	/* its answer wakes us */
			j = dequeue(s, p, c);
			if (start(s, j, now) == -1)
				return -1;
		}
	return 0;
}

/*
 * Start what may start.  No channel waits for another: each has its own
 * pace and requests in flight.  *wake is when something held back by
 * pacing may start (0: nothing is).  0, or -1 when HTTP cannot be used.
 */
static int
start_ready(struct sender *s, double now, double *wake)
{
	int c;

	*wake = 0;
	for (c = 0; c < CHAN_COUNT; c++)
		if (start_channel(s, c, now, wake) == -1)
			return -1;
	return 0;
}

static void
halt_channel(struct sender *s, enum chan c, const struct platform_res *r)
{
	struct sender_job *j;
	int p;

	s->pace[c].halted = 1;
	s->pace[c].halt = *r;
	s->pace[c].halt.pid[0] = '\0';
	log_warnx("%s: %s; nothing more goes to %s in this run",
	    chan_name(c), r->why, chan_name(c));
	for (p = 0; p < 2; p++)
		while ((j = dequeue(s, p, c)) != NULL)
			s->done(j, &s->pace[c].halt, s->arg);
}

/*
 * What an answer says of j's attachment on its channel: the reference
 * Telegram's upload returned, a refusal of the upload, or a stale
 * reference.  1 when j goes again (its reference was stale: the next
 * request uploads).
 */
static int
note_attachment(struct sender_job *j, int upload, const struct platform_res *r)
{
	struct media *m = attachment(j);

	if (m == NULL)
		return 0;
	if (r->outcome == PO_SENT && upload && r->ref[0] != '\0')
		media_set_ref(m, j->chan, r->ref);
	else if (r->outcome == PO_REFUSED && upload) {
		free(m->refused[j->chan]);
		m->refused[j->chan] = xstrdup(r->why);
	} else if (r->stale_ref && !upload && !j->reuploaded) {
		log_info("%s: %s: uploading the attachment again",
		    chan_name(j->chan), r->why);
		media_set_ref(m, j->chan, NULL);
		j->reuploaded = 1;
		return 1;
	}
	return 0;
}

static void
on_answer(void *tag, int result, const struct http_response *resp,
    void *arg)
{
	struct sender *s = arg;
	struct sender_job *j = tag;
	struct pace *pc = &s->pace[j->chan];
	struct platform_res r;
	double wait, now;
	enum chan c;
	int upload;

	s->inflight--;
	pc->inflight--;
	/* Every answer, or its absence after the timeout, says how long. */
	now = monotime_now();
	pc->latency += (pc->answers++ == 0 ? 1 : LATENCY_WEIGHT) *
	    (now - j->started - pc->latency);
	set_cap(s, pc);
	if ((upload = j->uploading)) {
		j->uploading = 0;
		j->text->media->uploading &= ~(1u << j->chan);
	}
	if (result != HTTP_OK) {
		give_back(s, j, PO_RETRY, "no answer");
		return;
	}
	if (upload && j->chan != CHAN_TELEGRAM) {
		platform_upload_result(j->chan, resp->status,
		    resp->retry_after, resp->body, resp->len, &r);
		if (r.outcome == PO_SENT) {
			/* Uploaded: now the message, by reference. */
			media_set_ref(j->text->media, j->chan, r.ref);
			enqueue(s, j, 1);
			return;
		}
	} else
		platform_result(j->chan, j->id, resp->status,
		    resp->retry_after, resp->body, resp->len, &r);
	if (note_attachment(j, upload, &r)) {
		enqueue(s, j, 1);
		return;
	}
	switch (r.outcome) {
	case PO_SENT:
		(void)strlcpy(j->pid, r.pid, sizeof(j->pid));
		pc->backoff = 1;
		if (++j->part < j->text->nparts) {
			enqueue(s, j, 1);
			return;
		}
		break;
	case PO_THROTTLE:
		wait = r.retry_after > 0 ? (double)r.retry_after : pc->backoff;
		if (wait <= MAX_PAUSE) {
			/*
			 * The answers to requests already in flight say the
			 * same: only the first of them makes the pause longer.
			 */
			if (pc->paused_until < now) {
				if (r.retry_after == 0 &&
				    pc->backoff < MAX_PAUSE)
					pc->backoff *= 2;
				log_info("%s: %s: pausing %.0f s",
				    chan_name(j->chan), r.why, wait);
			}
			if (pc->paused_until < now + wait)
				pc->paused_until = now + wait;
			enqueue(s, j, 1);
			return;
		}
		break;
	case PO_HALT:
		c = j->chan;	/* done() frees the job */
		s->done(j, &r, s->arg);
		if (!pc->halted)
			halt_channel(s, c, &r);
		return;
	default:
		break;
	}
	s->done(j, &r, s->arg);
}

int
sender_step(struct sender *s, int wait_ms)
{
	double now = monotime_now(), wake;
	struct timespec ts;
	int ms = wait_ms;

	if (s->pool == NULL && (s->pool = http_pool_new(TIMEOUT,
	    s->ceiling * CHAN_COUNT)) == NULL)
		return -1;
	if (start_ready(s, now, &wake) == -1)
		return -1;
	if (wake > 0 && (wake - now) * 1000 < ms)
		ms = (int)((wake - now) * 1000) + 1;
	if (s->inflight == 0) {
		if (ms > 0 && s->queued > 0) {
			ts.tv_sec = ms / 1000;
			ts.tv_nsec = (ms % 1000) * 1000000L;
			(void)nanosleep(&ts, NULL);
		}
		return 0;
	}
	return http_pool_poll(s->pool, ms, on_answer, s);
}

void
sender_filter(struct sender *s, int (*keep)(const struct sender_job *, void *),
    void *arg)
{
	struct queue kept;
	struct sender_job *j;
	int p, c;

	for (p = 0; p < 2; p++)
		for (c = 0; c < CHAN_COUNT; c++) {
			kept.head = kept.tail = NULL;
			while ((j = dequeue(s, p, c)) != NULL) {
				if (keep(j, arg))
					push(&kept, j, 0);
				else
					give_back(s, j, PO_WITHDRAWN, "withdrawn");
			}
			while ((j = pop(&kept)) != NULL)
				enqueue(s, j, 0);
		}
}

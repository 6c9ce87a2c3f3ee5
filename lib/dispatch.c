/*
 * dispatch.c: rounds of claim, send, commit; see dispatch.h.
 *
 * This file is the orchestration: the loop, the send lock and the
 * rounds.  The records change where they are owned: claiming and
 * settling of deliveries in delivery.c and of answers in outbox.c, the
 * broadcasts at work in bcrun.c, the answers in flight in journal.c.
 *
 * Every store session here is one process alone in the store (store.h),
 * so its transaction cannot deadlock; a session that fails ends the run,
 * and the next run recovers from the journal.
 */
#include <sys/file.h>
#include <sys/resource.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bcast.h"
#include "bcrun.h"
#include "calendar.h"
#include "delivery.h"
#include "dispatch.h"
#include "jsonl.h"
#include "journal.h"
#include "lockfile.h"
#include "log.h"
#include "monotime.h"
#include "outbox.h"
#include "progress.h"
#include "revoke.h"
#include "sender.h"
#include "sub.h"
#include "xalloc.h"

#define BATCH		2000	/* answers that make a round, at most */
#define CHAN_BATCH	2000	/* jobs of a channel claimed ahead, at most */
#define FD_RESERVE	64	/* descriptors for the store, logs, hooks */
#define ROUND_EVERY	1.0	/* seconds between rounds at most */

struct dispatch {
	const struct conf *conf;
	const struct store_opts *sopts;
	struct dispatch_report *rep;
	struct sender *sender;
	struct journal journal;
	struct answer *results;	/* answers not yet committed */
	size_t	 nresults, cap;
	size_t	 napplied;	/* of them, committed by this round */
	struct bcrun run;
	struct sender_job *claimed; /* claimed this round, sent after commit */
	unsigned more;		/* channels (1 << chan) whose last claim
				   stopped for room */
	int	 recovering;
	struct revoke_mark mark; /* the "revoked" file, as last seen */
	unsigned epoch;		/* revocations seen so far */
	int	 revalidate;	/* a revocation not acted on yet */
	int	 stopping;	/* SIGTERM: finish what is in flight, claim
				   nothing more */
	time_t	 now;
	int	 show;		/* progress on stderr */
	struct progress prog;
};

static volatile sig_atomic_t stop_asked;

static void
on_stop(int sig)
{
	(void)sig;
	stop_asked = 1;
}

/* The sender's callback: journal the answer, keep it for the round. */
static void
on_done(struct sender_job *j, const struct platform_res *r, void *arg)
{
	struct dispatch *d = arg;
	struct answer *a;

	/* Doubling: a round collects a thousand answers and more. */
	if (d->nresults == d->cap) {
		d->cap = d->cap > 0 ? 2 * d->cap : 256;
		d->results = xreallocarray(d->results, d->cap,
		    sizeof(*d->results));
	}
	a = &d->results[d->nresults++];
	memset(a, 0, sizeof(*a));
	a->origin = (enum answer_origin)j->origin;
	a->ref = j->ref;
	a->epoch = j->epoch;
	(void)strlcpy(a->id, j->id, sizeof(a->id));
	a->outcome = r->outcome;
	(void)strlcpy(a->why, r->why, sizeof(a->why));
	(void)strlcpy(a->pid, r->outcome == PO_SENT ? r->pid : j->pid,
	    sizeof(a->pid));
	a->parts = j->part;
	a->template = j->kind == PK_TEMPLATE;
	a->no_media = j->text->no_media;
	a->tries = j->tries;
	a->requested = j->requests > 0;
	a->retry_after = r->retry_after;
	a->at = time(NULL);
	journal_add(&d->journal, a);
	progress_count(&d->prog, j->chan);
	if (r->outcome == PO_HALT)
		d->rep->halted = 1;
	sender_job_free(j);
}

/* The answer to an announcement, written to its delivery record. */
static int
settle_delivery(struct txn *tx, struct dispatch *d, const struct answer *a)
{
	struct bcrun_bc *b = bcrun_get(tx, &d->run, a->ref);
	struct delivery_rules rules = { 1, 0, 0 };
	enum delivery_end end;
	json_t *sub;
	int rc;

	if (a->origin == ANSWER_FANOUT && b != NULL && b->outstanding > 0)
		b->outstanding--;
	/*
	 * An erased person gets no new record.  Every erasure marks the
	 * revoked file, so while the epoch is the one of the claim nobody
	 * was erased and the lookup can be spared.
	 */
	if ((d->recovering || a->epoch != d->epoch) && !chan_is_public(a->id)) {
		if ((rc = sub_get(tx, a->id, &sub)) != 0)
			return rc == STORE_NOTFOUND ? 0 : rc;
		json_decref(sub);
	}
	if (b != NULL) {
		rules.prio = b->prio;
		rules.cancelled = b->cancelled;
		rules.template_fits = b->template_fits;
	}
	if ((rc = delivery_settle(tx, a, &rules, &end)) != 0)
		return rc;
	switch (end) {
	case DELIVERY_SENT:
		d->rep->sent++;
		if (b != NULL && a->at > b->last_sent)
			b->last_sent = a->at;	/* written by apply_results */
		break;
	case DELIVERY_SKIPPED:
		d->rep->skipped++;
		break;
	case DELIVERY_FAILED:
		d->rep->failed++;
		break;
	case DELIVERY_DEFERRED:
		d->rep->deferred++;
		break;
	case DELIVERY_PENDING:
		break;
	}
	return 0;
}

static int
apply_results(struct txn *tx, struct dispatch *d)
{
	const struct answer *a;
	size_t i;
	int rc = 0, noted;

	d->napplied = d->nresults;
	for (i = 0; i < d->napplied && rc == 0; i++) {
		a = &d->results[i];
		rc = a->origin == ANSWER_OUTBOX ? outbox_settle(tx, a) :
		    settle_delivery(tx, d, a);
	}
	/* Once a round per broadcast: when it last reached anyone. */
	for (i = 0, noted = 0; i < d->run.n && rc == 0; i++)
		if (d->run.v[i]->last_sent > 0) {
			rc = bcast_note_sent(tx, d->run.v[i]->n,
			    d->run.v[i]->last_sent);
			d->run.v[i]->last_sent = 0;
			noted = 1;
		}
	/* Every broadcast's count of the others may have changed. */
	for (i = 0; noted && i < d->run.n; i++)
		d->run.v[i]->others_day = -1;
	return rc;
}

/*
 * Claiming: what each owner offers becomes a job, taking room on its
 * channel.  Each channel has room for CHAN_BATCH jobs ahead (queued, in
 * flight, or claimed this round), so that all send side by side; an
 * emergency's room does not count the regular jobs queued, which it
 * overtakes.
 */
struct claim {
	struct txn *tx;
	struct dispatch *d;
	size_t	 taken[2][CHAN_COUNT];	/* this round, by priority */
};

static size_t
room_for(const struct claim *cl, enum chan c, int prio)
{
	size_t busy = sender_busy(cl->d->sender, c, prio) + cl->taken[0][c] +
	    (prio > 0 ? cl->taken[1][c] : 0);

	return busy >= CHAN_BATCH ? 0 : CHAN_BATCH - busy;
}

/* A job claimed: to the list the round sends after its commit. */
static void
claim_job(struct claim *cl, struct sender_job *j, enum answer_origin origin)
{
	struct dispatch *d = cl->d;

	j->origin = origin;
	j->epoch = d->epoch;
	j->next = d->claimed;
	d->claimed = j;
	cl->taken[j->prio][j->chan]++;
	/* A broadcast's subscribers were counted when it began. */
	if (origin != ANSWER_FANOUT)
		progress_expect(&d->prog, j->chan, 1);
}

/* For the progress line: b's subscribers, once, when it begins. */
static int
expect_broadcast(struct claim *cl, struct bcrun_bc *b)
{
	size_t n;
	int c, rc;

	if (!cl->d->show || b->counted)
		return 0;
	b->counted = 1;
	for (c = 0; c < CHAN_COUNT; c++)
		if (b->chans & (1u << c)) {
			if ((rc = sub_count_in(cl->tx, SUB_ACTIVE, c, &n)) != 0)
				return rc;
			progress_expect(&cl->d->prog, c, n);
		}
	return 0;
}

static void
take_answer(uint64_t seq, const char *id, const char *text,
    enum platform_kind kind, int tries, void *arg)
{
	struct claim *cl = arg;
	struct sender_text *t;
	struct sender_job *j;
	const char *why;
	enum chan c;

	(void)chan_check_id(id, &c, &why);	/* checked by outbox_claim */
	t = sender_text_new(text, NULL, c, kind);
	j = sender_job_new(id, t, kind, 0);
	sender_text_unref(t);
	j->ref = seq;
	j->tries = tries;
	claim_job(cl, j, ANSWER_OUTBOX);
}

/* Whether broadcast bc counts against daily_limit: a regular one. */
static int
is_regular(uint64_t bc, void *arg)
{
	struct claim *cl = arg;
	struct bcrun_bc *b = bcrun_get(cl->tx, &cl->d->run, bc);

	return b != NULL && b->prio != 0 && !b->test && !b->follows;
}

#define LIMIT_REACHED	"this person's daily_limit is reached today"

/*
 * Has id had daily_limit regular announcements today, of broadcasts
 * other than b?  Then b waits for the next day (*until): the limit is
 * about what a person was sent on a calendar day, also when yesterday's
 * broadcast, deferred or held by the quiet hours, reaches them today.
 * Answers still in flight are not counted.  0, 1, or an error.
 */
static int
limit_reached(struct claim *cl, struct bcrun_bc *b, const char *id,
    time_t *until)
{
	struct dispatch *d = cl->d;
	size_t n;
	long day;
	int rc;

	if (b->prio == 0 || b->test || b->follows || chan_is_public(id) ||
	    d->conf->daily_limit <= 0)
		return 0;
	/*
	 * Most days one regular broadcast goes out: when no other reached
	 * anyone today, nobody can be at the limit, and the walk of each
	 * person's deliveries is spared.  The count is made once a round.
	 */
	day = calendar_day(d->now);
	if (b->others_day != day) {
		if ((rc = bcast_regular_sent_on(cl->tx, day, b->n,
		    &b->others_sent)) != 0)
			return rc < 0 ? rc : -1;
		b->others_day = day;
	}
	if (b->others_sent == 0)
		return 0;
	if ((rc = delivery_sent_on(cl->tx, id, day, b->n, is_regular, cl,
	    &n)) != 0)
		return rc < 0 ? rc : -1;
	if (n < (size_t)d->conf->daily_limit)
		return 0;
	*until = calendar_next_day(d->now);
	return 1;
}

static int
is_active(const json_t *sub)
{
	const char *state = jsonl_string(sub, "state");

	return state != NULL && strcmp(state, "active") == 0;
}

/* How long a follow-up waits before it asks again about the first. */
#define FIRST_WAIT	60

/*
 * A follow-up's delivery to id: DELIVERY_TAKE once the first reached
 * them, DELIVERY_SKIP if it never will, DELIVERY_WAIT while it may.
 */
static int
first_reached(struct claim *cl, struct bcrun_bc *b, const char *id,
    const char **why, time_t *until)
{
	enum delivery_reach r;

	if (delivery_reach(cl->tx, b->follows, id, &r) != 0)
		return -1;
	switch (r) {
	case DELIVERY_REACHED:
		return DELIVERY_TAKE;
	case DELIVERY_OPEN:
		*why = BCRUN_FIRST_OPEN;
		*until = cl->d->now + FIRST_WAIT;
		return DELIVERY_WAIT;
	default:
		*why = "the broadcast it follows up did not reach them";
		return DELIVERY_SKIP;
	}
}

/* A delivery due again: take it, or say why it is skipped. */
static int
take_delivery(uint64_t n, const char *id, const json_t *rec,
    const char **why, time_t *until, void *arg)
{
	struct claim *cl = arg;
	struct dispatch *d = cl->d;
	struct bcrun_bc *b;
	struct sender_job *j;
	json_t *sub = NULL;
	int c, rc;

	if ((b = bcrun_get(cl->tx, &d->run, n)) == NULL)
		return DELIVERY_DROP;
	if ((c = chan_lookup(id, strcspn(id, ":"))) >= 0 &&
	    room_for(cl, c, b->prio) == 0) {
		d->more |= 1u << c;
		return DELIVERY_LEAVE;	/* its channel is full: later */
	}
	if (b->cancelled) {
		*why = "cancelled";
		return DELIVERY_SKIP;
	}
	/* A follow-up goes only where the first went, and after it. */
	if (b->follows && (rc = first_reached(cl, b, id, why, until)) !=
	    DELIVERY_TAKE)
		return rc;
	/* Only "no such subscriber" means they left; an error is an error. */
	if (chan_is_public(id))
		sub = bcrun_public(id), rc = 0;
	else if ((rc = sub_get(cl->tx, id, &sub)) != 0 && rc != STORE_NOTFOUND)
		return -1;
	if (rc == STORE_NOTFOUND || !is_active(sub)) {
		json_decref(sub);
		*why = "no longer subscribed";
		return DELIVERY_SKIP;
	}
	if ((rc = limit_reached(cl, b, id, until)) != 0) {
		json_decref(sub);
		*why = LIMIT_REACHED;
		return rc == 1 ? DELIVERY_WAIT : rc;
	}
	j = bcrun_job(&d->run, b, id, sub, rec, d->now, why);
	json_decref(sub);
	if (j == NULL)
		return DELIVERY_SKIP;
	claim_job(cl, j, ANSWER_DELIVERY);
	return DELIVERY_TAKE;
}

/* A subscriber handed out: 1 for a job, 0 for a skipped record. */
static int
hand(struct txn *tx, struct bcrun_bc *b, const char *id, json_t *sub,
    void *arg)
{
	struct claim *cl = arg;
	struct dispatch *d = cl->d;
	struct sender_job *j;
	const char *why = NULL;
	time_t until;
	int rc;

	(void)tx;
	if ((rc = limit_reached(cl, b, id, &until)) != 0) {
		if (rc < 0)
			return rc;
		d->rep->deferred++;
		return delivery_wait(tx, b->n, id, LIMIT_REACHED, until,
		    b->prio);
	}
	if ((j = bcrun_job(&d->run, b, id, sub, NULL, d->now, &why)) != NULL) {
		claim_job(cl, j, ANSWER_FANOUT);
		return 1;
	}
	if (why == NULL)
		return 0;	/* not an ID hb knows */
	d->rep->skipped++;
	return delivery_skip(tx, b->n, id, why);
}

/* Room of priority prio on every channel, and in all. */
static size_t
rooms(const struct claim *cl, int prio, size_t room[CHAN_COUNT])
{
	size_t all = 0;
	int c;

	for (c = 0; c < CHAN_COUNT; c++)
		all += room[c] = room_for(cl, c, prio);
	return all;
}

/*
 * Claim work, as far as there is room: the outbox (answers are few, and
 * go whatever the room), deliveries due again, then the broadcasts that
 * are due, each emergencies first; in the quiet hours only emergencies
 * (and answers, which citizens asked for).
 */
static int
claim(struct claim *cl, int quiet)
{
	struct dispatch *d = cl->d;
	size_t room[CHAN_COUNT], n, i;
	struct bcrun_bc *b;
	uint64_t *due = NULL;
	int prio, rc = 0;

	for (prio = 0; prio < 2 && rc == 0; prio++)
		rc = outbox_claim(cl->tx, prio, d->now, CHAN_BATCH, take_answer,
		    cl, &n);
	for (prio = 0; prio < (quiet ? 1 : 2) && rc == 0; prio++) {
		if (rooms(cl, prio, room) == 0)
			continue;
		rc = delivery_claim(cl->tx, prio, d->now, rooms(cl, prio, room),
		    take_delivery, cl, &n);
		d->rep->skipped += n;
	}
	for (prio = 0; prio < (quiet ? 1 : 2) && rc == 0; prio++) {
		if ((rc = bcast_due(cl->tx, prio, d->now, &due, &n)) != 0)
			break;
		for (i = 0; i < n && rc == 0; i++)
			if ((b = bcrun_get(cl->tx, &d->run, due[i])) != NULL &&
			    !b->cancelled && b->fanning &&
			    (rc = expect_broadcast(cl, b)) == 0) {
				(void)rooms(cl, prio, room);
				rc = bcrun_fan_out(cl->tx, d->conf, b, d->now,
				    room, hand, cl, &d->more);
			}
		free(due);
		due = NULL;
	}
	return rc;
}

/*
 * Whether a queued job may still go out (after a revocation): an answer
 * while its outbox entry is there (an erasure removes all but its own
 * confirmation), an announcement while the subscriber is active and the
 * broadcast not cancelled.
 */
static int
still_wanted(const struct sender_job *j, void *arg)
{
	struct claim *cl = arg;
	struct bcrun_bc *b;
	json_t *sub;
	int ok;

	if (j->origin == ANSWER_OUTBOX)
		return outbox_has(cl->tx, j->ref) == 1;
	if (sub_get(cl->tx, j->id, &sub) != 0)
		return 0;
	ok = is_active(sub);
	json_decref(sub);
	/* bcrun_refresh() has read each broadcast once. */
	return ok && (b = bcrun_get(cl->tx, &cl->d->run, j->ref)) != NULL &&
	    !b->cancelled;
}

/* What each channel's answers take, for the next dry run's forecast. */
static int
note_latency(struct txn *tx, struct dispatch *d)
{
	size_t answers;
	double secs;
	int c, rc;

	for (c = 0; c < CHAN_COUNT; c++) {
		secs = sender_latency(d->sender, c, &answers);
		if (answers > 0 && (rc = bcast_note_latency(tx, c, secs)) != 0)
			return rc;
	}
	return 0;
}

static int
round_fn(struct txn *tx, void *arg)
{
	struct dispatch *d = arg;
	struct claim cl;
	time_t end;
	int rc;

	memset(&cl, 0, sizeof(cl));
	cl.tx = tx;
	cl.d = d;

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
		if ((rc = bcrun_refresh(tx, &d->run)) != 0)
			return rc;
		sender_filter(d->sender, still_wanted, &cl);
	}
	if ((rc = apply_results(tx, d)) != 0 ||
	    (rc = bcrun_keep_refs(tx, &d->run)) != 0 ||
	    (rc = note_latency(tx, d)) != 0)
		return rc;
	/* After a crash: give back what the dead sender had claimed. */
	if (d->recovering && ((rc = delivery_unlease(tx)) != 0 ||
	    (rc = outbox_unlease(tx)) != 0))
		return rc;
	if ((rc = bcrun_close_finished(tx, &d->run, d->now)) != 0)
		return rc;
	if (d->stopping)
		return 0;	/* claim nothing more */
	d->more = 0;
	return claim(&cl, calendar_quiet(d->conf, d->now, &end));
}

/* One round: commit, claim; then the claimed jobs go to the sender. */
static int
round_run(struct dispatch *d)
{
	struct sender_job *j, *rev = NULL;
	size_t i;
	int rc;

	d->claimed = NULL;
	d->napplied = 0;
	if (journal_flush(&d->journal) == -1)
		return -1;
	if ((rc = store_run(d->sopts, round_fn, d)) != 0)
		return rc;
	d->recovering = d->revalidate = 0;
	/* Committed: the journal's answers are in the store now. */
	if (d->napplied > 0) {
		d->nresults -= d->napplied;
		memmove(d->results, d->results + d->napplied,
		    d->nresults * sizeof(*d->results));
		if (journal_clear(&d->journal) == -1)
			return -1;
		/* Withdrawn in this round: not yet applied. */
		for (i = 0; i < d->nresults; i++)
			journal_add(&d->journal, &d->results[i]);
		if (journal_flush(&d->journal) == -1)
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


/* The send lock: one sender at a time.  The fd, -2 if busy, or -1. */
static int
send_lock(const struct store_opts *o, const struct dispatch_opts *opts,
    struct dispatch_report *rep)
{
	char path[PATH_MAX];
	int fd, rc;

	if (store_make_home(o) == -1 ||
	    store_path(path, sizeof(path), o->home, "send.lock") == -1 ||
	    (rc = lockfile_take(path, 0600, &fd)) == -1)
		return -1;
	if (rc == 0)
		return fd;
	if (!opts->wait) {
		rep->busy = 1;
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

/*
 * Requests in flight a channel may have: SENDER_CEILING, unless the file
 * descriptors this process may open say less, as each may hold a
 * connection where the platform does not multiplex.  The soft limit is
 * raised towards the hard one as far as that needs.  Fewer is worth a
 * warning only when a channel's rate may need more (answers that take
 * a second).
 */
static size_t
inflight_ceiling(const struct conf *conf)
{
	struct rlimit rl;
	rlim_t want;
	size_t chans = 0, per;
	long long fastest = 0;
	int c;

	for (c = 0; c < CHAN_COUNT; c++)
		if (conf->chan[c].enabled) {
			chans++;
			if (conf->chan[c].rate > fastest)
				fastest = conf->chan[c].rate;
		}
	if (chans == 0 || getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return SENDER_CEILING;
	want = (rlim_t)(SENDER_CEILING * chans + FD_RESERVE);
	if (rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	per = rl.rlim_cur > FD_RESERVE ? (rl.rlim_cur - FD_RESERVE) / chans :
	    1;
	if (per >= SENDER_CEILING)
		return SENDER_CEILING;
	if (per == 0)
		per = 1;
	if ((double)fastest * 1.5 + 1 > (double)per)
		log_warnx("at most %zu requests in flight a channel, as at "
		    "most %llu files may be open (ulimit -n): the rate may "
		    "not be reached", per, (unsigned long long)rl.rlim_cur);
	return per;
}

/* Does a channel that has more to claim run short of work? */
static int
runs_short(const struct dispatch *d)
{
	int c;

	for (c = 0; c < CHAN_COUNT; c++)
		if ((d->more & (1u << c)) &&
		    sender_busy(d->sender, c, 1) <= CHAN_BATCH / 2)
			return 1;
	return 0;
}

int
dispatch_run(const struct conf *conf, const struct store_opts *sopts,
    const struct dispatch_opts *opts, struct dispatch_report *rep)
{
	struct sigaction sa, oldterm, oldint;
	struct dispatch d;
	double last = 0, t;
	size_t busy;
	int lockfd, rc = 0, first = 1;

	memset(rep, 0, sizeof(*rep));
	if ((lockfd = send_lock(sopts, opts, rep)) < 0)
		return lockfd == -2 ? 0 : -1;
	memset(&d, 0, sizeof(d));
	d.conf = conf;
	d.sopts = sopts;
	d.rep = rep;
	d.recovering = 1;
	d.show = opts->progress;
	progress_init(&d.prog, monotime_now());
	bcrun_init(&d.run, conf);
	if (journal_open(&d.journal, sopts) == -1 ||
	    journal_read(&d.journal, &d.results, &d.nresults) == -1) {
		journal_close(&d.journal);
		free(d.results);
		(void)close(lockfd);
		return -1;
	}
	d.cap = d.nresults;
	d.sender = sender_new(conf, inflight_ceiling(conf), on_done, &d);
	(void)revoke_seen(sopts->home, &d.mark);
	/*
	 * SIGTERM (systemd) and SIGINT (Ctrl-C) stop the run gracefully:
	 * the requests in flight finish and their answers are committed,
	 * so that the next run sends none of them twice.
	 */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	stop_asked = 0;
	(void)sigaction(SIGTERM, &sa, &oldterm);
	(void)sigaction(SIGINT, &sa, &oldint);
	for (;;) {
		t = monotime_now();
		if (stop_asked && !d.stopping) {
			d.stopping = 1;
			rep->stopped = sender_drop_queued(d.sender) + 1;
			log_info("stopping: the %zu requests in flight finish",
			    sender_inflight(d.sender));
		}
		busy = sender_queued(d.sender) + sender_inflight(d.sender);
		if (d.stopping && busy > 0) {
			/*
			 * Only the answers now; once none is in flight, the
			 * round below commits them, claims nothing, and ends.
			 */
			if ((rc = sender_step(d.sender, 100)) != 0 ||
			    (rc = journal_flush(&d.journal)) != 0)
				break;
			continue;
		}
		if (revoke_seen(sopts->home, &d.mark)) {
			d.epoch++;
			d.revalidate = 1;
		}
		/* An upload's reference is kept at once: see media.h. */
		if (first || d.revalidate || busy == 0 ||
		    d.nresults >= BATCH / 2 ||
		    runs_short(&d) || bcrun_fresh_refs(&d.run) ||
		    (d.nresults > 0 && t - last >= ROUND_EVERY)) {
			if ((rc = round_run(&d)) != 0)
				break;
			last = t;
			first = 0;
			busy = sender_queued(d.sender) +
			    sender_inflight(d.sender);
			if (busy == 0 && d.nresults == 0)
				break;
		}
		if ((rc = sender_step(d.sender, 100)) != 0 ||
		    (rc = journal_flush(&d.journal)) != 0)
			break;
		if (d.show)
			progress_show(&d.prog, stderr, t, 0);
	}
	(void)sigaction(SIGTERM, &oldterm, NULL);
	(void)sigaction(SIGINT, &oldint, NULL);
	if (d.show)
		progress_show(&d.prog, stderr, monotime_now(), 1);
	/*
	 * After an error, what is left is found by the next run: answers in
	 * the journal, claimed work leased, handouts without a record.
	 */
	sender_free(d.sender);
	bcrun_release(&d.run);
	free(d.results);
	journal_close(&d.journal);
	(void)close(lockfd);
	return rc;
}

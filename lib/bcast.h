/*
 * bcast.h: announcements, as records in the store, and the rules they
 * follow (daily_limit, quiet hours, the window); delivery.h has what
 * became of each for each subscriber.
 *
 * A broadcast (table broadcasts, key: its number, 8 bytes big-endian):
 *
 *   n           its number, which hb-broadcast prints
 *   text        the announcement
 *   media       its picture or document (media.h), with "refs": the
 *               platforms' references once uploaded
 *   channels    the channels it goes to, by name
 *   topics      with send -t: the [topics] it is about; it reaches
 *               those who chose one of them and those who chose none
 *   emergency   true for -e; then "reason" says why
 *   operator    who sent it: the login name
 *   operator_name  the display name given with -u, if any
 *   created     when it was written; "at": when it goes out
 *   test        true for send -T: to the testers only, counting nothing
 *   follows     send -F: the broadcast this one follows up, whose
 *               recipients alone it reaches, counting nothing
 *   approved_by with approval = yes: who let a regular one go
 *   state       "waiting" (for approval), "scheduled", "sending",
 *               "sent", "cancelled"
 *   last_sent   when a delivery of it was last accepted
 *   due, prio   while it has subscribers left to hand out or answers
 *               to wait for (prio 0 for emergencies, 1 otherwise): the
 *               broadcasts-due index
 *
 * Subscribers are handed out in ID order from the active-subscriber
 * index, and a delivery record (delivery.h) is written once, with the
 * answer; a run that resumes a broadcast passes over those with a record
 * (dispatch.c).  The record holds no subscriber ID, which would outlive
 * an erasure.  This module alone writes the table and its keys.
 */
#ifndef BCAST_H
#define BCAST_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "chan.h"
#include "conf.h"
#include "hb.h"
#include "media.h"
#include "platform.h"
#include "store.h"

#define BCAST_REFUSED	10	/* the rules refuse it: see why */
#define BCAST_FINISHED	11	/* cancel: it was cancelled already */
#define BCAST_SENT	12	/* cancel: it has gone out, nothing to stop */
#define BCAST_NOT_WAITING 13	/* approve: it waits for no approval */
#define BCAST_OWN	14	/* approve: its author may not approve it */
#define BCAST_NO_FIRST	15	/* send -F: no such broadcast to follow up */

struct bcast_req {
	const char *text;
	const struct media *media;	/* or NULL */
	const json_t *topics;		/* names of [topics], or NULL: all */
	unsigned chans;		/* a bit per enum chan; 0: every channel */
	int	 emergency;
	int	 test;		/* -T: to the testers only */
	uint64_t follows;	/* -F: the broadcast it follows up, or 0 */
	const char *reason;
	const char *operator;	/* the login name (cli_operator) */
	const char *operator_name; /* -u: a display name beside it, or NULL */
	time_t	 at;		/* with scheduled: when */
	int	 scheduled;
};

/*
 * Check a new broadcast against daily_limit and the quiet hours, and
 * store it (unless dry).  A regular broadcast that breaks a rule is
 * refused with BCAST_REFUSED and a reason naming the next free time, or,
 * if scheduled, moved to that time.  *n is its number, *at when it goes
 * out.
 */
int	 bcast_create(struct txn *, const struct conf *,
	    const struct bcast_req *, time_t now, int dry, uint64_t *n,
	    time_t *at, char *why, size_t whysz);
int	 bcast_get(struct txn *, uint64_t n, json_t **rec);
int	 bcast_put(struct txn *, uint64_t n, json_t *rec);
/* Every broadcast, oldest first, appended to out. */
int	 bcast_list(struct txn *, json_t *out);
/* The number of the latest broadcast (0: none yet). */
int	 bcast_latest(struct txn *, uint64_t *n);
/*
 * Stop a broadcast: 0, STORE_NOTFOUND, BCAST_FINISHED (cancelled
 * already) or BCAST_SENT (it has gone out to everyone).  One cancelled
 * after it began still counts against daily_limit: some got it.
 */
int	 bcast_cancel(struct txn *, uint64_t n, time_t now);
/*
 * The broadcasts of priority prio due at now (at most 100), by number,
 * in *v (malloc'd), of *n.
 */
int	 bcast_due(struct txn *, int prio, time_t now, uint64_t **v,
	    size_t *n);
/*
 * Let waiting broadcast n go out, approved by approver (not its author):
 * 0, STORE_NOTFOUND, BCAST_NOT_WAITING or BCAST_OWN.
 */
int	 bcast_approve(struct txn *, uint64_t n, const char *approver,
	    time_t now);
/*
 * Make req the follow-up of broadcast first: its channels, and an
 * emergency if that was one.  0, BCAST_NO_FIRST (none, or one that
 * reached nobody: a test, a waiting or unstarted one), or an error.
 */
int	 bcast_follow_up(struct txn *, uint64_t first, struct bcast_req *req);
/* Whether a broadcast record counts against daily_limit: a regular one. */
int	 bcast_is_regular(const json_t *rec);
/* A run has begun handing out broadcast n: "scheduled" becomes "sending". */
int	 bcast_started(struct txn *, uint64_t n, time_t now);
/*
 * Every subscriber of broadcast n is handed out and answered: it leaves
 * the due index, and is "sent" unless it was cancelled.
 */
int	 bcast_finished(struct txn *, uint64_t n, time_t now);
/*
 * Broadcast n had a delivery accepted at `at' ("last_sent"): what
 * lets a run tell which broadcasts reached anyone on a day.
 */
int	 bcast_note_sent(struct txn *, uint64_t n, time_t at);
/*
 * The seconds chan's answers took on average in the latest run that
 * sent, for forecasts: note it (hb-broadcast run), or read it (0 if
 * unknown).
 */
int	 bcast_note_latency(struct txn *, enum chan, double secs);
int	 bcast_latency(struct txn *, enum chan, double *secs);
/*
 * How many regular broadcasts other than except had a delivery accepted
 * on calendar day `day' (a walk of the broadcasts, one a day or so).
 */
int	 bcast_regular_sent_on(struct txn *, long day, uint64_t except,
	    size_t *n);
/* Keep the platforms' references of broadcast n's attachment m. */
int	 bcast_keep_media(struct txn *, uint64_t n, const struct media *m);
/*
 * The attachments (their SHA-256, as keys of the object wanted) that
 * broadcasts not yet finished will send: their copies must stay.
 */
int	 bcast_media_wanted(struct txn *, json_t *wanted);
/*
 * Whether a broadcast about topics (NULL or []: about nothing in
 * particular) reaches subscriber sub: yes if sub chose none of the
 * topics at all, or one of these.
 */
int	 bcast_reaches(const json_t *topics, const json_t *sub);
/*
 * The announcements that went out since `since' (not cancelled, not
 * test sends) that reach sub (bcast_reaches), newest first, appended to
 * out as their records.
 */
int	 bcast_recent(struct txn *, time_t since, const json_t *sub,
	    json_t *out);
/* The channel bits of a broadcast record. */
unsigned bcast_chans(const json_t *rec);

/*
 * Why Messenger and Instagram subscribers outside their window are
 * skipped: the deliveries a catch-up brings later (ingest.c).
 */
#define BCAST_WHY_WINDOW	"outside the 24 hour window"

/* How one subscriber gets an announcement. */
enum bcast_fate {
	FATE_TEXT,
	FATE_TEMPLATE,		/* WhatsApp outside the 24 hour window */
	FATE_SKIP		/* see why */
};

enum bcast_fate bcast_fate(const struct conf *, enum chan,
	    const json_t *sub, const char *text, time_t now,
	    const char **why);

/* Delivery counts of one channel. */
struct bcast_counts {
	size_t	 recipients, sent, delivered, read, failed, deferred,
		 skipped, waiting;
	size_t	 no_media;	/* sent without the attachment (a template) */
	size_t	 templates;	/* sent as the WhatsApp template (cost) */
	size_t	 late;		/* skipped for the window, then brought by
				   a catch-up when they wrote */
	json_t	*why;		/* reason -> count: failed, skipped, deferred */
};

/* The counts per channel of broadcast n (release with the function). */
int	 bcast_status(struct txn *, uint64_t n,
	    struct bcast_counts[CHAN_COUNT]);
void	 bcast_counts_release(struct bcast_counts[CHAN_COUNT]);
/*
 * Keep broadcast n's counts in its record rec (as "counts"), which
 * status reads from then on: its deliveries may go (hb-purge expire).
 */
int	 bcast_keep_counts(struct txn *, uint64_t n, json_t *rec);

/* What a send would do, per channel, without storing anything. */
struct bcast_plan {
	size_t	 recipients, text, template, skipped, parts;
	size_t	 no_media;	/* templates that leave the attachment out */
	double	 latency;	/* seconds an answer took in the last run,
				   0 if none has sent yet */
	json_t	*why;
};

int	 bcast_plan(struct txn *, const struct conf *, const struct bcast_req *,
	    time_t now, struct bcast_plan[CHAN_COUNT]);

/*
 * The oldest broadcast, sent before `before', that still has its
 * delivery records (hb-purge expire): its number and record (a new
 * reference), or STORE_NOTFOUND.
 */
int	 bcast_oldest_receipts(struct txn *, time_t before, uint64_t *n,
	    json_t **rec);

#endif /* BCAST_H */

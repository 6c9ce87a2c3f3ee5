/*
 * sender.h: sending many messages at once, within each platform's rules.
 *
 * The sender knows nothing of the store.  Its owner (dispatch.c for
 * hb-broadcast, hb-reply for one answer) hands it
 * jobs, each one text (perhaps in several parts) for one subscriber,
 * and gets each job back once through done(), with what the platform
 * answered.  In between the sender keeps requests in flight over reused
 * connections (http.c), each channel on its own, and paces each:
 *
 *   - a channel keeps as many requests in flight as its rate needs at
 *     the time its answers take, on average (rate x latency, Little's
 *     law, with half again to spare), up to the ceiling, or 16 when it
 *     has no rate: a slow channel holds no other back, and a fast one
 *     does not open more than it needs (after kill -9, what was in
 *     flight may go out twice);
 *   - requests start evenly spaced, at most `rate' a second (the
 *     channel's rate in hb.conf, 0 for no limit), with a tenth to spare
 *     so that the platform, which counts arrivals, never sees more;
 *   - when the platform says to slow down (Telegram's 429 retry_after,
 *     Meta's 130429, 4, 613) the channel pauses for as long as it said,
 *     or 1, 2, 4... seconds, and the job waits at the head of its queue;
 *   - a halt (a bad token, a locked account) ends the channel's sending
 *     for this run: its queued jobs come back through done() with
 *     PO_HALT, unsent (no requests: it was not their try).
 *
 * On each channel, jobs of priority 0 (emergencies) start before any of
 * priority 1, which only the requests already in flight precede.  The
 * parts of one job go out in order, each after the last was accepted.
 *
 * An attachment goes up once a channel: the first job that needs it
 * uploads it (on Telegram, its send is the upload), the jobs behind it
 * wait for the answer, and all send the platform's reference from then
 * on (media.h).  A reference the platform no longer knows is uploaded
 * again; an attachment the platform refused fails every job that
 * carries it on that channel, without more uploads.
 */
#ifndef SENDER_H
#define SENDER_H

#include <stddef.h>
#include <stdint.h>

#include "chan.h"
#include "conf.h"
#include "hb.h"
#include "media.h"
#include "platform.h"

/*
 * A text cut into parts, shared by the jobs that send it.  With a
 * picture or document, part 0 is the attachment, with parts[0] its
 * caption ("" for none: the text did not fit, and follows it).
 */
struct sender_text {
	int	 refs;
	char	**parts;
	size_t	 nparts;
	struct media *media;
	int	 no_media;	/* its owner's attachment is left out */
};

/* m (or NULL) is referenced, not copied. */
struct sender_text *sender_text_new(const char *text, struct media *m,
	    enum chan, enum platform_kind);
void	 sender_text_unref(struct sender_text *);

struct sender_job {
	struct sender_job *next;
	char	 id[HB_ID_MAX + 1];	/* the subscriber */
	enum chan chan;
	int	 prio;			/* 0 goes first */
	enum platform_kind kind;
	struct sender_text *text;
	size_t	 part;			/* parts accepted so far */
	int	 uploading;		/* its request uploads the attachment */
	int	 reuploaded;		/* its reference was stale once */
	char	 pid[160];		/* the platform's id of the last part */
	int	 requests;		/* requests made for it */
	double	 started;		/* when the last one started */
	/* The owner's: where the job came from. */
	int	 origin;
	uint64_t ref;
	unsigned epoch;
	int	 tries;
};

struct sender_job *sender_job_new(const char *id, struct sender_text *,
	    enum platform_kind, int prio);
void	 sender_job_free(struct sender_job *);

struct sender;

typedef void (*sender_done_fn)(struct sender_job *,
    const struct platform_res *, void *arg);

#define SENDER_CEILING	2048	/* requests in flight a channel, at most */

/* ceiling: requests in flight a channel may have at most. */
struct sender *sender_new(const struct conf *, size_t ceiling,
	    sender_done_fn, void *arg);
void	 sender_free(struct sender *);
void	 sender_add(struct sender *, struct sender_job *);
/* Jobs queued, and requests in flight. */
size_t	 sender_queued(const struct sender *);
size_t	 sender_inflight(const struct sender *);
/*
 * Channel c's work: requests in flight and jobs queued of priority 0,
 * and of priority 1 too when prio is 1 (what an emergency waits for).
 */
size_t	 sender_busy(const struct sender *, enum chan c, int prio);
/*
 * The seconds channel c's answers took on average, and how many it had
 * (0: the figure is a guess).
 */
double	 sender_latency(const struct sender *, enum chan c, size_t *answers);
/*
 * Seconds to send msgs messages at rate (0: no limit), when an answer
 * takes latency seconds (0: not known), with the pacing's margin and
 * the ceiling of requests in flight: a dry run's forecast.
 */
double	 sender_forecast(long long rate, double latency, size_t msgs);
/*
 * Start what the limits allow, then wait at most wait_ms for answers and
 * hand back the jobs that are done.  0, or -1 when HTTP cannot be used.
 */
int	 sender_step(struct sender *, int wait_ms);
/*
 * Forget the queued jobs, without done(): their owner will find them
 * again (a graceful stop).  How many there were.
 */
size_t	 sender_drop_queued(struct sender *);
/*
 * Hand back through done(), with PO_WITHDRAWN, every queued job that
 * keep() says no to (an erasure, a cancelled broadcast).
 */
void	 sender_filter(struct sender *, int (*keep)(const struct sender_job *,
	    void *), void *arg);

#endif /* SENDER_H */

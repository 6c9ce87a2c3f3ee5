/*
 * bcrun.h: the broadcasts that one run of hb-broadcast works on.
 *
 * Each broadcast is read from the store once and kept for the run with
 * its text cut into parts per channel and kind, how far its handing out
 * has come, and how many subscribers it has handed out that have no
 * answer committed yet (then it is not finished).  The store keeps no
 * position (an ID there would outlive its person's erasure): a run that
 * resumes a broadcast starts from the beginning and passes over whoever
 * has a delivery record already, so after a crash only the handouts in
 * flight, which have none, go again.
 */
#ifndef BCRUN_H
#define BCRUN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "chan.h"
#include "conf.h"
#include "hb.h"
#include "media.h"
#include "sender.h"
#include "store.h"

/* Why a follow-up's delivery waits. */
#define BCRUN_FIRST_OPEN	"waiting for the broadcast it follows up"

struct bcrun_bc {
	uint64_t n;
	int	 prio;		/* 0 for emergencies */
	int	 cancelled;
	int	 test;		/* send -T: the testers, counting nothing */
	int	 posted;	/* its post to [telegram] channel is handed out */
	uint64_t follows;	/* send -F: the broadcast it follows up */
	int	 fanning;	/* subscribers left to hand out */
	int	 resumed;	/* begun by an earlier run */
	int	 counted;	/* its subscribers, for the progress line */
	char	*text;
	struct media *media;	/* its picture or document, or NULL */
	json_t	*topics;	/* what it is about, or NULL: everyone */
	unsigned chans;
	struct sender_text *texts[CHAN_COUNT][2];	/* free text, template */
	int	 template_fits;	/* could go as the WhatsApp template */
	unsigned fanned;	/* channels whose subscribers are handed out */
	char	 pos[CHAN_COUNT][HB_ID_MAX + 1]; /* each channel's last
				   handed out, in this run */
	size_t	 outstanding;	/* handed out, no answer committed */
	time_t	 last_sent;	/* an accepted delivery in this round */
	long	 others_day;	/* the day others_sent counts, or -1 */
	size_t	 others_sent;	/* regular broadcasts but this one that
				   reached anyone that day */
};

struct bcrun {
	const struct conf *conf;
	struct bcrun_bc **v;
	size_t	 n;
};

void	 bcrun_init(struct bcrun *, const struct conf *);
void	 bcrun_release(struct bcrun *);
/* Broadcast n, read on first use; NULL if it is gone. */
struct bcrun_bc *bcrun_get(struct txn *, struct bcrun *, uint64_t n);
/* After a revocation: which of the broadcasts were cancelled since. */
int	 bcrun_refresh(struct txn *, struct bcrun *);
/* The record a public channel's post is made with, as if subscribed. */
json_t	*bcrun_public(const char *id);
/*
 * Keep in the store the references of attachments uploaded since the
 * last call, so that a resumed run sends them and uploads nothing.
 */
int	 bcrun_keep_refs(struct txn *, struct bcrun *);
/* Whether an attachment was uploaded since: then a round keeps it. */
int	 bcrun_fresh_refs(const struct bcrun *);
/* Close each broadcast that is handed out and answered (bcast_finished). */
int	 bcrun_close_finished(struct txn *, struct bcrun *, time_t now);

/*
 * The job that takes broadcast b to subscriber id on their channel;
 * sub is their record, rec the delivery record of an earlier try or
 * NULL.  NULL when the rules skip them, with the reason in *why.
 */
struct sender_job *bcrun_job(const struct bcrun *, struct bcrun_bc *b,
	    const char *id, const json_t *sub, const json_t *rec, time_t now,
	    const char **why);

/*
 * Hand out b's active subscribers, each channel in ID order from where
 * this run left off, to hand(), which returns 1 if it took one (then it
 * is outstanding, and the channel's room goes down), 0 if not, or an
 * error.  A channel stops when its room is 0; then its bit (1 << chan)
 * is set in *more.  Every channel gets its turn in each call, so that
 * all send side by side.  A test send (send -T) goes to conf's testers
 * instead, all in one call.  A follow-up (send -F) goes to whom the
 * broadcast it follows reached, once that one is handed out and
 * answered, from its delivery records in ID order (pos[0]); one of
 * them still open is written waiting (DELIVERY_WAIT), and is taken when
 * the first has reached them (dispatch.c).
 */
typedef int (*bcrun_hand_fn)(struct txn *, struct bcrun_bc *,
    const char *id, json_t *sub, void *arg);
int	 bcrun_fan_out(struct txn *, const struct conf *, struct bcrun_bc *,
	    time_t now, size_t room[CHAN_COUNT], bcrun_hand_fn hand,
	    void *arg, unsigned *more);

#endif /* BCRUN_H */

/* spool.c: group commit of webhooks; see spool.h. */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "readall.h"
#include "monotime.h"
#include "isolate.h"
#include "spool.h"
#include "xalloc.h"

#define CLAIMED	".claimed"
#define REFUSED	".failed"	/* the store could not take it */

int
spool_put(const struct store_opts *o, enum chan chan, const char *body,
    size_t len, char *path, size_t pathsz)
{
	char dir[PATH_MAX], tmp[PATH_MAX];
	struct timespec ts;
	int fd;

	clock_gettime(CLOCK_REALTIME, &ts);
	if ((size_t)snprintf(dir, sizeof(dir), "%s/spool", o->home) >=
	    sizeof(dir) || (size_t)snprintf(path, pathsz,
	    "%s/%s.%ld.%lld.%09ld", dir, chan_name(chan), (long)getpid(),
	    (long long)ts.tv_sec, ts.tv_nsec) >= pathsz ||
	    /* Written under another name, so nobody claims half a body. */
	    (size_t)snprintf(tmp, sizeof(tmp), "%s/tmp.%ld", dir,
	    (long)getpid()) >= sizeof(tmp))
		return log_errorx("spool: '%s' is too long a path", o->home);
	/* With a group, the owner reads a guest's body as a member. */
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    o->has_group ? 0640 : 0600)) == -1)
		return log_error("spool: '%s'", tmp);
	if (o->has_group)
		(void)fchmod(fd, 0640);	/* whatever the umask */
	if (write(fd, body, len) != (ssize_t)len) {
		close(fd);
		unlink(tmp);
		return log_error("spool: '%s'", tmp);
	}
	close(fd);
	if (rename(tmp, path) == -1) {
		unlink(tmp);
		return log_error("spool: '%s'", path);
	}
	return 0;
}

int
spool_withdraw(const char *path)
{
	if (unlink(path) == 0)
		return 0;
	return errno == ENOENT ? 1 : log_error("spool: '%s'", path);
}

enum spool_state
spool_state(const char *path)
{
	char claimed[PATH_MAX], refused[PATH_MAX];

	/* In the order a body moves through them, so no move is missed. */
	(void)snprintf(claimed, sizeof(claimed), "%s" CLAIMED, path);
	(void)snprintf(refused, sizeof(refused), "%s" REFUSED, path);
	if (access(path, F_OK) == 0 || access(claimed, F_OK) == 0)
		return SPOOL_PENDING;
	return access(refused, F_OK) == 0 ? SPOOL_REFUSED : SPOOL_COMMITTED;
}

static int
has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);

	return n > k && strcmp(name + n - k, suffix) == 0;
}

/* Claim path, whose events start at evs->v[first]. */
static void
add_claim(struct spool_claim *c, const char *path, size_t first)
{
	c->paths = xreallocarray(c->paths, c->n + 1, sizeof(*c->paths));
	c->first = xreallocarray(c->first, c->n + 2, sizeof(*c->first));
	c->first[c->n] = first;
	c->paths[c->n++] = xstrdup(path);
}

/*
 * Read and parse one claimed body; a bad one is logged and dropped.
 * -1 if it cannot be read at all (a guest's body the owner may not
 * read: not in the group), which is then no body to commit.
 */
static int
load(const char *path, const char *name, struct in_events *evs)
{
	char err[256], *body;
	size_t len;
	int chan;

	chan = chan_lookup(name, strcspn(name, "."));
	if (readall(path, &body, &len) != 0)
		return -1;
	if (chan < 0 || inbound_parse(chan, body, len, evs, err,
	    sizeof(err)) == -1)
		log_errorx("spool: '%s' dropped: %s", name, chan < 0 ?
		    "no channel" : err);
	free(body);
	return 0;
}

/* Rename a claimed body to its name with the suffix CLAIMED changed. */
static void
rename_claimed(const char *path, const char *suffix, char *name,
    size_t namesz)
{
	(void)snprintf(name, namesz, "%.*s%s",
	    (int)(strlen(path) - strlen(CLAIMED)), path, suffix);
	if (rename(path, name) == -1)
		log_error("spool: '%s'", name);
}

int
spool_claim(const char *home, size_t max, struct in_events *evs,
    struct spool_claim *c)
{
	char dir[PATH_MAX], from[PATH_MAX], to[PATH_MAX];
	struct dirent *d;
	size_t first;
	DIR *dp;

	memset(c, 0, sizeof(*c));
	if ((size_t)snprintf(dir, sizeof(dir), "%s/spool", home) >=
	    sizeof(dir))
		return log_errorx("spool: '%s' is too long a path", home);
	if ((dp = opendir(dir)) == NULL)
		return errno == ENOENT ? 0 : log_error("spool: '%s'", dir);
	while (c->n < max && (d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.' || strncmp(d->d_name, "tmp.", 4) == 0 ||
		    has_suffix(d->d_name, REFUSED))
			continue;
		if ((size_t)snprintf(from, sizeof(from), "%s/%s", dir,
		    d->d_name) >= sizeof(from) || (size_t)snprintf(to,
		    sizeof(to), "%s" CLAIMED, from) >= sizeof(to))
			continue;
		if (has_suffix(d->d_name, CLAIMED))
			(void)strlcpy(to, from, sizeof(to));	/* left by the dead */
		else if (rename(from, to) == -1)
			continue;	/* withdrawn meanwhile */
		first = evs->n;
		if (load(to, d->d_name, evs) == -1) {
			/* Its webhook gets 503; the operator a message. */
			rename_claimed(to, REFUSED, from, sizeof(from));
			log_errorx("spool: kept as '%s'", from);
			continue;
		}
		add_claim(c, to, first);
	}
	closedir(dp);
	if (c->n > 0)
		c->first[c->n] = evs->n;
	return 0;
}

void
spool_settle(struct spool_claim *c, const enum part *part)
{
	char name[PATH_MAX];
	size_t i;

	for (i = 0; i < c->n; i++) {
		switch (part[i]) {
		case PART_COMMITTED:
			if (unlink(c->paths[i]) == -1 && errno != ENOENT)
				log_error("spool: '%s'", c->paths[i]);
			break;
		case PART_REFUSED:
			rename_claimed(c->paths[i], REFUSED, name,
			    sizeof(name));
			log_errorx("spool: the store could not take a body; "
			    "kept as '%s'", name);
			break;
		case PART_WAITING:
			rename_claimed(c->paths[i], "", name, sizeof(name));
			break;
		}
		free(c->paths[i]);
	}
	free(c->paths);
	free(c->first);
	memset(c, 0, sizeof(*c));
}

int
spool_expire(const char *home, time_t max_age, size_t *removed)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct dirent *d;
	struct stat sb;
	time_t now = time(NULL);
	DIR *dp;

	*removed = 0;
	(void)snprintf(dir, sizeof(dir), "%s/spool", home);
	if ((dp = opendir(dir)) == NULL)
		return errno == ENOENT ? 0 : log_error("%s", dir);
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.' ||
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    d->d_name) >= sizeof(path) || stat(path, &sb) == -1 ||
		    now - sb.st_mtime < max_age)
			continue;
		if (unlink(path) == 0)
			(*removed)++;
	}
	closedir(dp);
	return 0;
}

/*
 * One round as the holder of the store's lock: claim up to SPOOL_BATCH
 * waiting bodies, commit them, together as a rule but each apart from
 * any the store cannot take (isolate.h), and settle each.  0 with
 * *claimed set to how many bodies it took, or the store's error.
 */
struct round {
	const struct spool_commit *sc;
	struct in_events *evs;
	const struct spool_claim *claim;
};

static int
apply_bodies(struct txn *tx, size_t lo, size_t hi, json_t *out, void *arg)
{
	const struct round *r = arg;
	struct in_events some = { r->evs->v + r->claim->first[lo],
	    r->claim->first[hi] - r->claim->first[lo] };

	return r->sc->apply(tx, &some, out, r->sc->arg);
}

static int
commit_round(const struct spool_commit *sc, struct store *st, json_t *events,
    size_t *claimed)
{
	struct in_events evs = { NULL, 0 };
	struct spool_claim claim;
	struct round r = { sc, &evs, &claim };
	enum part *part;
	int rc;

	rc = spool_claim(sc->store->home, SPOOL_BATCH, &evs, &claim);
	*claimed = claim.n;
	if (rc == 0 && claim.n > 0) {
		part = xreallocarray(NULL, claim.n, sizeof(*part));
		rc = isolate_commit(st, claim.n, apply_bodies, &r, part, events);
		spool_settle(&claim, part);
		free(part);
	}
	in_events_release(&evs);
	return rc;
}

/*
 * What the owner of a settled body answers: 0 (200) once it is
 * committed; for one the store could not take, or still pending, rc.
 */
static int
settled(enum spool_state state, int rc)
{
	if (state == SPOOL_REFUSED)
		log_errorx("spool: the store could not take this webhook; "
		    "answered 503 for the platform to send it again");
	return state == SPOOL_COMMITTED ? 0 : rc;
}

/*
 * Commit every body waiting in the spool, own among them (if not NULL),
 * as the holder of the lock, in one store session: a round per
 * transaction, and more rounds while bodies keep arriving (SPOOL_ROUNDS
 * at most, so that our own answer is not held back for long, or more
 * while own still waits).  Under load, the webhooks that came in during
 * one commit go in the next, and their processes need no session of
 * their own.  The store gets a dup of the lock, so the lock stays ours,
 * through lockfd, until the spool is in order again.
 */
static int
commit_spool(const struct spool_commit *sc, int lockfd, const char *own,
    json_t *events)
{
	enum spool_state state = own != NULL ? SPOOL_PENDING :
	    SPOOL_COMMITTED;
	struct store *st = NULL;
	size_t claimed = 1;
	int fd, rc, round;

	if ((fd = dup(lockfd)) == -1)
		rc = log_error("dup");
	else
		rc = store_open_locked(&st, sc->store, fd);
	for (round = 0; rc == 0 && claimed > 0 &&
	    (round < SPOOL_ROUNDS || state == SPOOL_PENDING); round++) {
		rc = commit_round(sc, st, events, &claimed);
		/* Even a failing round may have committed own first. */
		if (own != NULL)
			state = spool_state(own);
	}
	if (store_close(st) != 0 && rc == 0)
		rc = -1;
	if (state == SPOOL_PENDING)
		(void)spool_withdraw(own);
	store_unlock(lockfd);
	if (own == NULL)
		return rc;
	/* Committed is committed, whatever failed after. */
	return settled(state, rc != 0 ? rc : -1);
}

#define SETTLED	(-2)	/* wait_turn: own was committed or refused */

/*
 * Wait until the store's lock is ours (0) or another process has
 * settled own (SETTLED); STORE_BUSY after `limit' seconds.  Trying
 * the lock and looking at the spool in turn, rather than queueing for
 * the lock, spares each waiter a turn in the store just to learn that
 * its body is in.  A guest never tries the lock: the owner commits.
 */
static int
wait_turn(const struct spool_commit *sc, const char *own, unsigned limit,
    int *lockfd)
{
	const struct timespec tick = { 0, 1000 * 1000 };
	double start = monotime_now();
	int rc;

	for (;;) {
		if (!sc->guest &&
		    (rc = store_lock(sc->store, 0, lockfd)) != STORE_BUSY)
			return rc;
		if (spool_state(own) != SPOOL_PENDING)
			return SETTLED;
		if (monotime_now() - start >= limit) {
			if (sc->guest)
				log_errorx("spool: the webhook waited %u s in "
				    "'%s/spool'; is hb-ingest spool running "
				    "as the store's owner?", limit,
				    sc->store->home);
			else
				log_errorx("store: '%s' is busy (waited %u s), "
				    "try again later", sc->store->home, limit);
			return STORE_BUSY;
		}
		nanosleep(&tick, NULL);
	}
}

int
spool_commit(const struct spool_commit *sc, const char *own, json_t *events)
{
	int lockfd, rc;

	rc = wait_turn(sc, own, sc->lock_wait, &lockfd);
	if (rc != 0 && rc != SETTLED) {
		/* Not claimed yet: withdrawn, nothing stored, try again. */
		if ((rc = spool_withdraw(own)) != 1)
			return rc == 0 ? STORE_BUSY : -1;
		/* Claimed: another process is committing it; wait for that. */
		rc = wait_turn(sc, own, sc->watchdog, &lockfd);
	}
	if (rc == 0 && spool_state(own) != SPOOL_PENDING) {
		store_unlock(lockfd);	/* settled meanwhile */
		rc = SETTLED;
	}
	if (rc == SETTLED)
		return settled(spool_state(own), -1);
	if (rc != 0)
		return rc;
	return commit_spool(sc, lockfd, own, events);
}

int
spool_drain(const struct spool_commit *sc, json_t *events)
{
	int lockfd, rc;

	if ((rc = store_lock(sc->store, sc->lock_wait, &lockfd)) != 0)
		return rc;
	return commit_spool(sc, lockfd, NULL, events);
}

int
spool_waiting(const char *home)
{
	char dir[PATH_MAX];
	struct dirent *d;
	DIR *dp;
	int n = 0;

	(void)snprintf(dir, sizeof(dir), "%s/spool", home);
	if ((dp = opendir(dir)) == NULL)
		return 0;
	while (n == 0 && (d = readdir(dp)) != NULL)
		n = d->d_name[0] != '.' && strncmp(d->d_name, "tmp.", 4) != 0 &&
		    !has_suffix(d->d_name, REFUSED);
	closedir(dp);
	return n;
}

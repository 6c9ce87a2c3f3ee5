/*
 * hb-ingest: receive what citizens send.  See hb-ingest(1).
 *
 * As a CGI program (GATEWAY_INTERFACE is set) it answers one webhook;
 * otherwise it reads webhook bodies from files or stdin (batch mode),
 * or polls Telegram (poll).  Each body is checked and parsed before the
 * store is opened, and hooks run after it is closed.
 */
#include <ctype.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgi.h"
#include "cli.h"
#include "export.h"
#include "hb.h"
#include "hook.h"
#include "inbound.h"
#include "ingest.h"
#include "jsonl.h"
#include "log.h"
#include "spool.h"
#include "webhook.h"
#include "tgpoll.h"

#define BATCH		1000	/* bodies per store session in batch mode */
#define CGI_LOCK_WAIT	5	/* a platform waits a few seconds at most */
#define SPOOL_BATCH	1000	/* bodies committed together at most */
#define SPOOL_ROUNDS	8	/* commits in one store session, as a rule */
#define POLL_TIMEOUT	25	/* seconds of a getUpdates long poll */

static struct cli cli;

static void __attribute__((noreturn))
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: hb-ingest [-qrv] [-c channel] [-d dir] [-f file] "
	    "[file ...]\n"
	    "       hb-ingest [-qv] [-d dir] [-f file] poll [-1]\n"
	    "       hb-ingest [-n] [-f file]\n");
	exit(status);
}

/*
 * Store the events: one store session.  *out (a new reference) gets the
 * events that happened, to print and to run hooks for once the store
 * is closed.
 */
static int
commit(struct in_events *evs, int replay, long long tg_offset, json_t **out)
{
	struct ingest in = { .conf = &cli.conf, .evs = evs, .replay = replay,
	    .tg_offset = tg_offset, .now = time(NULL), .out = json_array() };
	int rc;

	rc = store_run(&cli.store, ingest_apply, &in);
	in_events_release(evs);
	*out = in.out;
	return rc;
}

/* The store could not take the body: the platform is to retry. */
static int
busy(void)
{
	return cgi_respond(503, "Retry-After: 10", "try again\n") == 0 ?
	    0 : EX_IOERR;
}

/* Batch and poll: commit, print the events, run the hooks in order. */
static int
commit_batch(struct in_events *evs, int replay, long long tg_offset)
{
	json_t *out;
	size_t i;
	int rc;

	if ((rc = commit(evs, replay, tg_offset, &out)) == 0) {
		for (i = 0; i < json_array_size(out); i++)
			jsonl_write(stdout, json_array_get(out, i));
		if (!replay)
			hook_run(&cli.conf, out, HOOK_WAIT);
	}
	json_decref(out);
	return rc;
}

/*
 * Parse a body as CGI mode would take it: a channel without a section
 * in hb.conf is refused (CGI answers 404), as its settings (Get Started)
 * are unknown.
 */
static int
parse_configured(int chan, const json_t *body, struct in_events *evs,
    char *err, size_t errsz)
{
	struct in_events got = { NULL, 0 };
	size_t i;

	if (inbound_parse_json(chan, body, &got, err, errsz) == -1)
		return -1;
	for (i = 0; i < got.n; i++)
		if (!cli.conf.chan[got.v[i].chan].enabled) {
			(void)snprintf(err, errsz, "%s is not configured",
			    chan_name(got.v[i].chan));
			in_events_release(&got);
			return -1;
		}
	in_events_move(evs, &got);
	return 0;
}

/* Batch mode: every JSON document of every input, a batch at a time. */
static int
batch(int argc, char **argv, int chan, int replay)
{
	struct in_events evs = { NULL, 0 };
	size_t len, off, line, mark, bodies = 0, bad = 0;
	char err[256], *buf;
	const char *name;
	json_error_t je;
	json_t *o;
	FILE *fp;
	int k, rc = 0;

	for (k = 0; k < (argc > 0 ? argc : 1) && rc == 0; k++) {
		name = argc > 0 ? argv[k] : "stdin";
		if ((fp = argc > 0 ? fopen(name, "r") : stdin) == NULL ||
		    export_slurp(fp, &buf, &len) == -1) {
			log_error("%s", name);
			return EX_NOINPUT;
		}
		if (fp != stdin)
			fclose(fp);
		for (off = 0, line = 1, mark = 0; rc == 0; ) {
			while (off < len && isspace((unsigned char)buf[off]))
				off++;
			for (; mark < off; mark++)
				line += buf[mark] == '\n';
			if (off >= len)
				break;
			o = json_loadb(buf + off, len - off,
			    JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &je);
			if (o == NULL) {
				jsonl_error(&je, err, sizeof(err));
				log_errorx("%s:%zu: not JSON: %s", name, line,
				    err);
				bad++;
				/* Go on at the next line. */
				while (off < len && buf[off] != '\n')
					off++;
				continue;
			}
			off += je.position;
			if (parse_configured(chan, o, &evs, err,
			    sizeof(err)) == -1) {
				log_errorx("%s:%zu: %s", name, line, err);
				bad++;
			}
			json_decref(o);
			if (++bodies % BATCH == 0)
				rc = commit_batch(&evs, replay, 0);
		}
		free(buf);
	}
	if (rc == 0)
		rc = commit_batch(&evs, replay, 0);
	in_events_release(&evs);
	if (rc != 0)
		return cli_status(rc);
	if ((rc = cli_flush()) != 0)
		return rc;
	return bad > 0 ? EX_DATAERR : 0;
}

static volatile sig_atomic_t stop;

static void
on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static int
read_offset(struct txn *tx, void *arg)
{
	return ingest_tg_offset(tx, arg);
}

/*
 * Poll mode: Telegram's getUpdates in a loop (or once), each round's
 * updates and the next offset committed together.  SIGTERM and SIGINT
 * end the loop after the round.
 */
static int
poll_telegram(int once)
{
	const struct chan_conf *tg = &cli.conf.chan[CHAN_TELEGRAM];
	struct in_events evs = { NULL, 0 };
	struct sigaction sa;
	long long offset, id;
	long retry_after, wait = 1;
	json_t *updates, *u;
	char err[256];
	size_t i;
	int rc;

	if (!tg->enabled) {
		log_errorx("%s: no [telegram] section", cli.conf.path);
		return EX_CONFIG;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	while (!stop) {
		if ((rc = store_run(&cli.store, read_offset, &offset)) != 0)
			return cli_status(rc);
		rc = tgpoll_fetch(tg, offset, once ? 0 : POLL_TIMEOUT, &updates,
		    &retry_after);
		if (rc == TGPOLL_PERMFAIL)
			return EX_UNAVAILABLE;
		if (rc == TGPOLL_TEMPFAIL) {
			if (once)
				return EX_TEMPFAIL;
			/* Back off, as Telegram asks or doubling to a minute. */
			wait = retry_after > 0 ? retry_after : wait * 2 > 60 ?
			    60 : wait * 2;
			sleep(wait);
			continue;
		}
		wait = 1;
		json_array_foreach(updates, i, u) {
			id = json_integer_value(json_object_get(u, "update_id"));
			if (id >= offset)
				offset = id + 1;
			/* A bad update is skipped, or it would stop us for ever. */
			if (inbound_parse_json(CHAN_TELEGRAM, u, &evs, err,
			    sizeof(err)) == -1)
				log_errorx("telegram update %lld: %s", id, err);
		}
		rc = json_array_size(updates) > 0 ?
		    commit_batch(&evs, 0, offset) : 0;
		json_decref(updates);
		if (rc != 0)
			return cli_status(rc);
		if ((rc = cli_flush()) != 0 || once)
			return rc;
	}
	return 0;
}

/*
 * One round as the holder of the store's lock: claim up to SPOOL_BATCH
 * waiting bodies, commit them in one transaction, and remove them (or
 * hand them back if the commit failed).  0 with *claimed set to how
 * many bodies it took, or an error.
 */
static int
commit_round(struct store *st, json_t *events, size_t *claimed)
{
	struct ingest in = { .conf = &cli.conf, .now = time(NULL),
	    .out = json_array() };
	struct in_events evs = { NULL, 0 };
	struct spool_claim claim;
	int rc;

	in.evs = &evs;
	if ((rc = spool_claim(cli.home, SPOOL_BATCH, &evs, &claim)) == 0 &&
	    claim.n > 0)
		rc = store_txn(st, ingest_apply, &in);
	*claimed = claim.n;
	if (rc == 0) {
		spool_done(&claim);
		json_array_extend(events, in.out);
	} else
		spool_unclaim(&claim);
	in_events_release(&evs);
	json_decref(in.out);
	return rc;
}

/*
 * Commit every body waiting in the spool, ours among them, as the
 * holder of the lock, in one store session: a transaction per round,
 * and more rounds while bodies keep arriving (SPOOL_ROUNDS at most, so
 * that our own answer is not held back for long).  Under load, the
 * webhooks that came in during one commit go in the next, and their
 * processes need no session of their own.  The events go to the array
 * events, for the hooks.  On failure ours is withdrawn: the answer is
 * 503.  The store gets a dup of the lock, so the lock stays ours,
 * through lockfd, until the spool is in order again.
 */
static int
commit_spool(int lockfd, const char *own, json_t *events)
{
	struct store *st = NULL;
	size_t claimed = 1;
	int fd, rc, round;

	if ((fd = dup(lockfd)) == -1)
		rc = log_error("dup");
	else
		rc = store_open_locked(&st, &cli.store, fd);
	for (round = 0; rc == 0 && claimed > 0 &&
	    (round < SPOOL_ROUNDS || spool_pending(own)); round++)
		rc = commit_round(st, events, &claimed);
	if (store_close(st) != 0 && rc == 0)
		rc = -1;
	if (rc != 0)
		(void)spool_withdraw(own);
	store_unlock(lockfd);
	return rc;
}

#define COMMITTED	(-2)	/* wait_turn: another process committed it */

/*
 * Wait until the store's lock is ours (0) or another process has
 * committed our spooled body (COMMITTED); STORE_BUSY after `limit'
 * seconds.  Trying the lock and looking at the spool in turn, rather
 * than queueing for the lock, spares each waiter a turn in the store
 * just to learn that its body is in.
 */
static int
wait_turn(const char *own, long long limit, int *lockfd)
{
	const struct timespec tick = { 0, 1000 * 1000 };
	struct timespec start, now;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if ((rc = store_lock(&cli.store, 0, lockfd)) != STORE_BUSY)
			return rc;
		if (!spool_pending(own))
			return COMMITTED;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= limit) {
			log_errorx("store: '%s' is busy (waited %lld s), try "
			    "again later", cli.home, limit);
			return STORE_BUSY;
		}
		nanosleep(&tick, NULL);
	}
}

/* CGI mode: one webhook request, committed with whatever else waits. */
static int
cgi(void)
{
	struct webhook wh;
	char own[PATH_MAX];
	json_t *events;
	sigset_t ending;
	int lockfd, rc;

	log_use_syslog(1);
	webhook_request(&cli.conf, &wh);
	if (wh.status != 0) {
		rc = cgi_respond(wh.status, wh.header, wh.text);
		webhook_release(&wh);
		return rc == 0 ? 0 : EX_IOERR;
	}
	if ((rc = store_make_home(&cli.store)) == 0)
		rc = spool_put(cli.home, wh.chan, wh.body, wh.len, own,
		    sizeof(own));
	webhook_release(&wh);
	if (rc != 0)
		return busy();
	rc = wait_turn(own, cli.store.lock_wait < CGI_LOCK_WAIT ?
	    cli.store.lock_wait : CGI_LOCK_WAIT, &lockfd);
	if (rc != 0 && rc != COMMITTED) {
		/* Not claimed yet: withdrawn, nothing stored, try again. */
		if (spool_withdraw(own) != 1)
			return busy();
		/* Claimed: another process is committing it; wait for that. */
		rc = wait_turn(own, cli.conf.watchdog, &lockfd);
	}
	events = json_array();	/* what happened, for the hooks */
	if (rc == 0) {
		if (spool_pending(own))
			rc = commit_spool(lockfd, own, events);
		else
			store_unlock(lockfd);	/* committed meanwhile */
	} else if (rc == COMMITTED)
		rc = 0;
	if (rc != 0) {
		json_decref(events);
		return busy();
	}
	/*
	 * 200 only now: the body is committed.  A web server may end a CGI
	 * program once its answer is complete (lighttpd sends SIGTERM), and
	 * the events still have to reach the hook runner: hold those
	 * signals off until the end.
	 */
	sigemptyset(&ending);
	sigaddset(&ending, SIGTERM);
	sigaddset(&ending, SIGHUP);
	sigaddset(&ending, SIGINT);
	(void)sigprocmask(SIG_BLOCK, &ending, NULL);
	rc = cgi_respond(200, NULL, "ok\n");
	/* The platform has its answer; the hooks run on their own. */
	fclose(stdout);
	hook_run(&cli.conf, events, HOOK_DETACH);
	json_decref(events);
	return rc == 0 ? 0 : EX_IOERR;
}

int
main(int argc, char *argv[])
{
	int ch, chan = -1, replay = 0, once = 0, status;

	cli_init(&cli, argv[0]);
	if (getenv("GATEWAY_INTERFACE") != NULL) {
		if ((status = cli_configure(&cli)) != 0) {
			cgi_respond(503, NULL, "not configured\n");
			return status;
		}
		status = cgi();
		cli_release(&cli);
		return status;
	}
	while ((ch = getopt(argc, argv, CLI_OPTIONS "1c:r")) != -1) {
		if (cli_option(&cli, ch, optarg, usage))
			continue;
		switch (ch) {
		case '1':
			once = 1;
			break;
		case 'c':
			chan = cli_channel(optarg, usage);
			break;
		case 'r':
			replay = 1;
			break;
		default:
			usage(EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if ((status = cli_configure(&cli)) != 0)
		return status;
	if (argc > 0 && strcmp(argv[0], "poll") == 0) {
		if (argc != 1 || chan >= 0 || replay)
			usage(EX_USAGE);
		status = poll_telegram(once);
	} else {
		if (once)
			usage(EX_USAGE);
		status = batch(argc, argv, chan, replay);
	}
	cli_release(&cli);
	return status;
}

/*
 * hb-ingest: receive what citizens send.  See hb-ingest(1).
 *
 * As a CGI program (GATEWAY_INTERFACE is set) it answers one webhook;
 * otherwise it reads webhook bodies from files or stdin (batch mode),
 * or polls Telegram (poll).  Each body is checked and parsed before the
 * store is opened, and hooks run after it is closed.
 */
#include <sys/inotify.h>

#include <ctype.h>
#include <getopt.h>
#include <poll.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgi.h"
#include "cli.h"
#include "hb.h"
#include "hook.h"
#include "inbound.h"
#include "ingest.h"
#include "isolate.h"
#include "jsonl.h"
#include "log.h"
#include "readall.h"
#include "spool.h"
#include "webhook.h"
#include "xalloc.h"
#include "tgpoll.h"

#define BATCH		1000	/* bodies per store session in batch mode */
#define CGI_LOCK_WAIT	5	/* a platform waits a few seconds at most */
#define POLL_TIMEOUT	25	/* seconds of a getUpdates long poll */

static struct cli cli;

static void __attribute__((noreturn))
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: hb-ingest [-qrv] [-c channel] [-d dir] [-f file] "
	    "[file ...]\n"
	    "       hb-ingest [-qv] [-d dir] [-f file] poll [-1]\n"
	    "       hb-ingest [-qv] [-d dir] [-f file] spool [-1]\n"
	    "       hb-ingest [-n] [-f file]\n");
	exit(status);
}

/*
 * The documents of a batch: where each one's events start in the list,
 * and where it came from, to name one the store could not take.
 */
struct docs {
	size_t	*first;		/* n + 1 entries: the last is the end */
	const char **name;
	size_t	*line;
	size_t	 n;
};

static void
docs_add(struct docs *d, size_t first, const char *name, size_t line)
{
	d->first = xreallocarray(d->first, d->n + 2, sizeof(*d->first));
	d->name = xreallocarray(d->name, d->n + 1, sizeof(*d->name));
	d->line = xreallocarray(d->line, d->n + 1, sizeof(*d->line));
	d->first[d->n] = first;
	d->name[d->n] = name;
	d->line[d->n++] = line;
}

static void
docs_release(struct docs *d)
{
	free(d->first);
	free(d->name);
	free(d->line);
	memset(d, 0, sizeof(*d));
}

struct batch_commit {
	const struct ingest *in;
	const struct docs *docs;
};

static int
apply_docs(struct txn *tx, size_t lo, size_t hi, json_t *out, void *arg)
{
	const struct batch_commit *b = arg;
	struct in_events some = { b->in->evs->v + b->docs->first[lo],
	    b->docs->first[hi] - b->docs->first[lo] };
	struct ingest in = *b->in;

	in.evs = &some;
	in.out = out;
	return ingest_apply(tx, &in);
}

/*
 * Store the events of the documents: one store session, each document
 * apart from any the store cannot take (isolate.h), which are named
 * and counted in *refused.  *out (a new reference) gets the events
 * that happened, to print and to run hooks for once the store is
 * closed.
 */
static int
commit(struct in_events *evs, struct docs *docs, int replay,
    long long tg_offset, json_t **out, size_t *refused)
{
	struct ingest in = { .conf = &cli.conf, .evs = evs, .replay = replay,
	    .tg_offset = tg_offset, .now = time(NULL) };
	struct batch_commit b = { &in, docs };
	struct store *st;
	enum part *part;
	size_t i;
	int rc;

	*out = json_array();
	*refused = 0;
	if (docs->n == 0)
		return 0;
	docs->first[docs->n] = evs->n;
	part = xreallocarray(NULL, docs->n, sizeof(*part));
	if ((rc = store_open(&st, &cli.store)) == 0) {
		rc = isolate_commit(st, docs->n, apply_docs, &b, part, *out);
		if (store_close(st) != 0 && rc == 0)
			rc = -1;
		for (i = 0; rc == 0 && i < docs->n; i++)
			if (part[i] == PART_REFUSED) {
				log_errorx("%s:%zu: the store could not take "
				    "it", docs->name[i], docs->line[i]);
				(*refused)++;
			}
	}
	free(part);
	in_events_release(evs);
	docs_release(docs);
	return rc;
}

/* The store could not take the body: the platform is to retry. */
static int
busy(void)
{
	return cgi_respond(503, "Retry-After: 10", "try again\n") == 0 ?
	    0 : EX_IOERR;
}

/*
 * Batch and poll: commit, print the events, run the hooks in order;
 * *refused counts the documents the store could not take.
 */
static int
commit_batch(struct in_events *evs, struct docs *docs, int replay,
    long long tg_offset, size_t *refused)
{
	json_t *out;
	size_t i;
	int rc;

	if ((rc = commit(evs, docs, replay, tg_offset, &out, refused)) == 0) {
		ingest_audit(out);
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
	struct docs docs = { NULL, NULL, NULL, 0 };
	size_t len, off, line, mark, bodies = 0, bad = 0, refused;
	char err[256], *buf;
	const char *name;
	json_error_t je;
	json_t *o;
	int k, rc = 0;

	for (k = 0; k < (argc > 0 ? argc : 1) && rc == 0; k++) {
		name = argc > 0 ? argv[k] : "stdin";
		if (readall(argc > 0 ? name : NULL, &buf, &len) != 0) {
			in_events_release(&evs);
			return EX_NOINPUT;
		}
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
			docs_add(&docs, evs.n, name, line);
			if (parse_configured(chan, o, &evs, err,
			    sizeof(err)) == -1) {
				log_errorx("%s:%zu: %s", name, line, err);
				bad++;
			}
			json_decref(o);
			if (++bodies % BATCH == 0) {
				rc = commit_batch(&evs, &docs, replay, 0,
				    &refused);
				bad += refused;
			}
		}
		free(buf);
	}
	if (rc == 0) {
		rc = commit_batch(&evs, &docs, replay, 0, &refused);
		bad += refused;
	}
	in_events_release(&evs);
	docs_release(&docs);
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

/* SIGTERM and SIGINT end a loop (poll, spool) after its round. */
static void
catch_stop(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
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
	struct docs docs = { NULL, NULL, NULL, 0 };
	long long offset, id;
	long retry_after, wait = 1;
	json_t *updates, *u;
	char err[256];
	size_t i, refused;
	int rc;

	if (!tg->enabled) {
		log_errorx("%s: no [telegram] section", cli.conf.path);
		return EX_CONFIG;
	}
	catch_stop();
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
		rc = 0;
		if (json_array_size(updates) > 0) {
			/*
			 * One part: the offset commits with all of them, and
			 * an update the store cannot take is not skipped but
			 * left to Telegram, which sends it again.
			 */
			docs_add(&docs, 0, "telegram update",
			    (size_t)(offset - 1));
			rc = commit_batch(&evs, &docs, 0, offset, &refused);
			if (rc == 0 && refused > 0)
				rc = -1;
		}
		json_decref(updates);
		if (rc != 0)
			return cli_status(rc);
		if ((rc = cli_flush()) != 0 || once)
			return rc;
	}
	return 0;
}

/* The spool's commit of a round's events (spool.h). */
static int
apply_events(struct txn *tx, struct in_events *evs, json_t *out, void *arg)
{
	struct ingest in = { .conf = &cli.conf, .evs = evs, .now = time(NULL),
	    .out = out };

	return ingest_apply(tx, &in);
}

/* Is this process in group gid?  The owner reads guests' bodies so. */
static int
in_group(gid_t gid)
{
	gid_t *v;
	int i, n, found;

	if (getegid() == gid)
		return 1;
	if ((n = getgroups(0, NULL)) <= 0)
		return 0;
	v = xreallocarray(NULL, n, sizeof(*v));
	n = getgroups(n, v);
	for (i = 0, found = 0; i < n && !found; i++)
		found = v[i] == gid;
	free(v);
	return found;
}

/*
 * hb-ingest spool: the owner's committer for a web server that runs as
 * another user (hb(7)).  Commits what waits in the spool, then each
 * body as it arrives (inotify tells), until SIGTERM; with once, what
 * waits now.  The hooks run here, as the owner.
 */
static int
serve_spool(int once)
{
	struct spool_commit sc = { &cli.store, cli.store.lock_wait,
	    cli.conf.watchdog, apply_events, NULL, 0 };
	char dir[PATH_MAX], buf[4096];
	struct pollfd pfd;
	json_t *events;
	int rc = 0;

	if (store_make_home(&cli.store) == -1 ||
	    store_path(dir, sizeof(dir), cli.home, "spool") == -1)
		return EX_IOERR;
	if (store_mine(&cli.store) != 1) {
		log_errorx("spool: '%s' is another user's store", cli.home);
		return EX_NOPERM;
	}
	if (cli.store.has_group && !in_group(cli.store.gid)) {
		log_errorx("spool: this user is not in the group of '%s' and "
		    "could not read the web server's webhooks", cli.home);
		return EX_CONFIG;
	}
	/* Watched before the first look, so that no arrival is missed. */
	pfd.events = POLLIN;
	if ((pfd.fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) == -1 ||
	    inotify_add_watch(pfd.fd, dir, IN_MOVED_TO | IN_CREATE) == -1) {
		log_error("inotify '%s'", dir);
		return EX_OSERR;
	}
	catch_stop();
	while (!stop) {
		events = json_array();
		rc = spool_waiting(cli.home) ? spool_drain(&sc, events) : 0;
		ingest_audit(events);
		if (json_array_size(events) > 0)
			hook_run(&cli.conf, events, HOOK_DETACH);
		json_decref(events);
		/* A busy store is tried again; a broken one ends us. */
		if (rc == -1 || (once && (rc != 0 || !spool_waiting(cli.home))))
			break;
		if (spool_waiting(cli.home))
			continue;
		/* A second at most: a body renamed in while we looked. */
		if (poll(&pfd, 1, 1000) > 0)
			while (read(pfd.fd, buf, sizeof(buf)) > 0)
				;
	}
	close(pfd.fd);
	return rc == -1 ? EX_IOERR : rc == STORE_BUSY ? EX_TEMPFAIL : 0;
}

/* CGI mode: one webhook request, committed with whatever else waits. */
static int
cgi(void)
{
	struct spool_commit sc = { &cli.store, cli.store.lock_wait <
	    CGI_LOCK_WAIT ? cli.store.lock_wait : CGI_LOCK_WAIT,
	    cli.conf.watchdog, apply_events, NULL, 0 };
	struct webhook wh;
	char own[PATH_MAX];
	json_t *events;
	sigset_t ending;
	int rc;

	log_use_syslog(1);
	webhook_request(&cli.conf, &wh);
	if (wh.status != 0) {
		rc = cgi_respond(wh.status, wh.header, wh.text);
		webhook_release(&wh);
		return rc == 0 ? 0 : EX_IOERR;
	}
	if ((rc = store_make_home(&cli.store)) == 0 &&
	    (rc = store_mine(&cli.store)) >= 0) {
		sc.guest = rc == 0;
		rc = spool_put(&cli.store, wh.chan, wh.body, wh.len, own,
		    sizeof(own));
	}
	webhook_release(&wh);
	if (rc != 0)
		return busy();
	events = json_array();	/* what happened, for the hooks */
	/* A full disk ends a process inside the store: answer 503 first. */
	store_last_words(cgi_respond_busy_now);
	if ((rc = spool_commit(&sc, own, events)) != 0) {
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
	ingest_audit(events);
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
	/* Only polling asks a platform: the rest never read a token. */
	cli.sends = argc > 0 && strcmp(argv[0], "poll") == 0;
	if ((status = cli_configure(&cli)) != 0)
		return status;
	if (argc > 0 && strcmp(argv[0], "poll") == 0) {
		if (argc != 1 || chan >= 0 || replay)
			usage(EX_USAGE);
		status = poll_telegram(once);
	} else if (argc > 0 && strcmp(argv[0], "spool") == 0) {
		if (argc != 1 || chan >= 0 || replay)
			usage(EX_USAGE);
		status = serve_spool(once);
	} else {
		if (once)
			usage(EX_USAGE);
		status = batch(argc, argv, chan, replay);
	}
	cli_release(&cli);
	return status;
}

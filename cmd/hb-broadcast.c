/*
 * hb-broadcast: announcements to every subscriber -- send, run, list,
 * status, cancel.  See hb-broadcast(1).
 *
 * The sending itself is lib/dispatch.c; this file reads the text and
 * the options, asks the store, and prints.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bcast.h"
#include "calendar.h"
#include "check.h"
#include "cli.h"
#include "delivery.h"
#include "dispatch.h"
#include "hb.h"
#include "jsonl.h"
#include "log.h"
#include "media.h"
#include "sender.h"
#include "xalloc.h"

static struct cli cli;
static struct bcast_req req;
static int dry;			/* -n */
static const char *at_arg;	/* -a */
static const char *chan_arg;	/* -c */
static const char *media_arg;	/* -m */
static const char *topic_arg;	/* -t */
static const char *follow_arg;	/* -F */

/* Who does this, for the audit lines: "login" or "login (-u name)". */
static const char *
operator_who(void)
{
	static char buf[CLI_WHO_SIZE];

	return cli_who(req.operator, req.operator_name, buf, sizeof(buf));
}

static void __attribute__((noreturn))
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: hb-broadcast [-nqv] [-d dir] [-f file] send [-e -r reason | -T] "
	    "[-u operator]\n"
	    "                    [-c channel,...] [-t topic,...] [-F ID] [-a time] "
	    "[-m picture] [file]\n"
	    "       hb-broadcast [-qv] [-d dir] [-f file] run\n"
	    "       hb-broadcast [-j] [-d dir] [-f file] list\n"
	    "       hb-broadcast [-j] [-d dir] [-f file] status ID\n"
	    "       hb-broadcast [-qv] [-d dir] [-f file] cancel ID\n"
	    "       hb-broadcast [-qv] [-d dir] [-f file] retry ID\n"
	    "       hb-broadcast [-qv] [-d dir] [-f file] approve [-u operator] "
	    "ID\n"
	    "       hb-broadcast [-d dir] [-f file] check [-c channel,...]\n");
	exit(status);
}

/* The channels of -c, or every configured one; 0 after a message. */
static unsigned
channels(void)
{
	char *list, *p, *name;
	unsigned bits = 0;
	int c;

	if (chan_arg == NULL) {
		for (c = 0; c < CHAN_COUNT; c++)
			if (cli.conf.chan[c].enabled)
				bits |= 1u << c;
		if (bits == 0)
			log_errorx("no channel is configured");
		return bits;
	}
	list = p = xstrdup(chan_arg);
	while ((name = strsep(&p, ",")) != NULL) {
		c = cli_channel(name, usage);
		if (!cli.conf.chan[c].enabled) {
			log_errorx("channel '%s' is not configured", name);
			free(list);
			return 0;
		}
		bits |= 1u << c;
	}
	free(list);
	return bits;
}

struct create {
	uint64_t first;		/* -F */
	time_t	 now;
	uint64_t n;
	time_t	 at;
	char	 why[400];
	struct bcast_plan plan[CHAN_COUNT];
};

static int
create_fn(struct txn *tx, void *arg)
{
	struct create *cr = arg;
	int rc;

	if (cr->first != 0 && (rc = bcast_follow_up(tx, cr->first,
	    &req)) != 0)
		return rc;
	if (dry && (rc = bcast_plan(tx, &cli.conf, &req, cr->now,
	    cr->plan)) != 0)
		return rc;
	rc = bcast_create(tx, &cli.conf, &req, cr->now, dry, &cr->n, &cr->at,
	    cr->why, sizeof(cr->why));
	/* A refusal is an answer, not a failed transaction. */
	return rc == BCAST_REFUSED ? 0 : rc;
}

/* What n WhatsApp templates cost, where template_price says. */
static void
set_cost(json_t *o, int c, size_t n)
{
	double price = cli.conf.chan[c].template_price;

	if (c == CHAN_WHATSAPP && price > 0)
		json_object_set_new(o, "cost", json_real(price * (double)n));
}

static void
print_cost(int c, size_t n, const char *verb)
{
	double price = cli.conf.chan[c].template_price;

	if (c == CHAN_WHATSAPP && price > 0 && n > 0)
		fprintf(stderr, "hb-broadcast: %s: %zu template messages at "
		    "%g %s %.2f\n", chan_name(c), n, price, verb,
		    price * (double)n);
}

static void
print_plan(struct create *cr)
{
	const struct bcast_plan *p;
	double secs, longest = 0;
	size_t msgs;
	const char *k;
	json_t *v, *o;
	char buf[32];
	int c, last = -1;

	if (!cli.json)
		printf("channel\trecipients\ttext\ttemplate\tskipped\tparts\t"
		    "seconds\tno_media\n");
	for (c = 0; c < CHAN_COUNT; c++) {
		if (!(req.chans & (1u << c)))
			continue;
		p = &cr->plan[c];
		msgs = p->text * p->parts + p->template;
		secs = sender_forecast(cli.conf.chan[c].rate, p->latency,
		    msgs);
		if (secs > longest) {
			longest = secs;
			last = c;
		}
		o = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:f, s:o, s:I}",
		    "channel", chan_name(c), "recipients",
		    (json_int_t)p->recipients, "text", (json_int_t)p->text,
		    "template", (json_int_t)p->template, "skipped",
		    (json_int_t)p->skipped, "parts", (json_int_t)p->parts,
		    "seconds", secs, "latency", p->latency > 0 ?
		    json_real(p->latency) : json_null(), "no_media",
		    (json_int_t)p->no_media);
		json_object_set_new(o, "why", p->why != NULL ?
		    json_incref(p->why) : json_object());
		set_cost(o, c, p->template);
		if (cli.json)
			jsonl_write(stdout, o);
		else {
			printf("%s\t%zu\t%zu\t%zu\t%zu\t%zu\t%.0f\t%zu\n",
			    chan_name(c), p->recipients, p->text, p->template,
			    p->skipped, p->parts, secs, p->no_media);
		}
		json_decref(o);
	}
	(void)fflush(stdout);	/* the table before the reasons */
	for (c = 0; c < CHAN_COUNT && !cli.json; c++)
		json_object_foreach(cr->plan[c].why, k, v)
			fprintf(stderr, "hb-broadcast: %s: %lld skipped: %s\n",
			    chan_name(c), json_integer_value(v), k);
	for (c = 0; c < CHAN_COUNT && !cli.json; c++)
		print_cost(c, cr->plan[c].template, "would cost");
	for (c = 0; c < CHAN_COUNT && !cli.json; c++)
		if (cr->plan[c].no_media > 0)
			fprintf(stderr, "hb-broadcast: %s: %zu get the text "
			    "template without the attachment (no "
			    "template_media)\n", chan_name(c),
			    cr->plan[c].no_media);
	if (cr->why[0] != '\0' && !req.scheduled)
		return;
	if (!cli.json && last >= 0)
		fprintf(stderr, "hb-broadcast: would go out %s, taking about "
		    "%.0f s; %s finishes last%s\n", calendar_format(cr->at, buf),
		    longest, chan_name(last), cr->plan[last].latency > 0 ? "" :
		    " (answer times not measured yet: 1 s assumed)");
	else if (!cli.json)
		fprintf(stderr, "hb-broadcast: would go out %s, to nobody\n",
		    calendar_format(cr->at, buf));
}

static void
release_plan(struct create *cr)
{
	int c;

	for (c = 0; c < CHAN_COUNT; c++)
		json_decref(cr->plan[c].why);
}

/* The exit status of a broadcast sent in the foreground; status. */
struct outcome {
	uint64_t n;
	struct bcast_counts counts[CHAN_COUNT];
	json_t	*rec;		/* status: the broadcast's record */
};

static int
outcome_fn(struct txn *tx, void *arg)
{
	struct outcome *o = arg;

	return bcast_status(tx, o->n, o->counts);
}

/* A stopped run: what was in flight is recorded, the rest waits. */
static int
stopped(void)
{
	log_warnx("stopped; what was in flight is recorded, and hb-broadcast "
	    "run sends the rest");
	return EX_TEMPFAIL;
}

static int
send_now(uint64_t n)
{
	struct dispatch_opts opts = { 0, 1 };
	struct dispatch_report rep;
	struct outcome o;
	size_t open = 0;
	int rc, c;

	opts.progress = isatty(STDERR_FILENO) && cli.verbosity >= 0;
	if ((rc = dispatch_run(&cli.conf, &cli.store, &opts, &rep)) != 0)
		return cli_status(rc);
	if (rep.stopped)
		return stopped();
	memset(&o, 0, sizeof(o));
	o.n = n;
	if ((rc = store_run(&cli.store, outcome_fn, &o)) != 0)
		return cli_status(rc);
	for (c = 0; c < CHAN_COUNT; c++)
		open += o.counts[c].deferred + o.counts[c].waiting;
	bcast_counts_release(o.counts);
	if (rep.halted)
		return EX_UNAVAILABLE;
	if (open > 0) {
		log_warnx("%zu deliveries deferred; hb-broadcast run sends "
		    "them later", open);
		return EX_TEMPFAIL;
	}
	return 0;
}

static uint64_t
parse_id(const char *s)
{
	const char *errstr;
	long long n = strtonum(s, 1, LLONG_MAX, &errstr);

	if (errstr != NULL) {
		log_errorx("bad broadcast ID '%s'", s);
		usage(EX_USAGE);
	}
	return (uint64_t)n;
}

/* The topics of -t, each one of [topics]: 0, or the exit status. */
static int
topics(json_t *out)
{
	char *list, *p, *name;
	int rc = 0;

	if (req.emergency) {
		log_errorx("an emergency goes to everyone: no -t with -e");
		return EX_USAGE;
	}
	list = p = xstrdup(topic_arg);
	while (rc == 0 && (name = strsep(&p, ",")) != NULL) {
		if (conf_topic(&cli.conf, name) < 0) {
			log_errorx("no topic '%s' in [topics] of %s", name,
			    cli.conf.path != NULL ? cli.conf.path : "hb.conf");
			rc = EX_DATAERR;
		} else
			json_array_append_new(out, json_string(name));
	}
	free(list);
	return rc;
}

/*
 * Check the picture or document of -m against every channel's limits
 * and, unless -n, keep a copy for the run.  Nothing is stored before
 * every channel can take it.  0, or the exit status.
 */
static int
attach(const char *path)
{
	struct media *m;
	char why[200];
	int c, ex, refused = 0;

	if ((m = media_open(path, &ex)) == NULL)
		return ex;
	for (c = 0; c < CHAN_COUNT; c++)
		if ((req.chans & (1u << c)) && media_fits(&cli.conf, c,
		    m->type, m->size, why, sizeof(why)) == -1) {
			log_errorx("%s%s: %s", dry ? "would be refused: " : "",
			    path, why);
			refused = 1;
		}
	if (refused || (!dry && media_keep(m, cli.conf.home) == -1)) {
		media_unref(m);
		return refused ? EX_DATAERR : EX_CANTCREAT;
	}
	req.media = m;
	return 0;
}

static int
cmd_send(int argc, char **argv)
{
	json_t *chosen = json_array();
	struct create cr;
	char *text = NULL, buf[32];
	int rc;

	if (argc > 1 || (req.emergency && req.reason == NULL) ||
	    (!req.emergency && req.reason != NULL) ||
	    (req.test && (req.emergency || at_arg != NULL)) ||
	    (follow_arg != NULL && (req.emergency || req.test || chan_arg ||
	    topic_arg)))
		usage(EX_USAGE);
	if (at_arg != NULL) {
		if (calendar_parse(at_arg, &req.at) == -1) {
			log_errorx("bad time '%s' (YYYY-MM-DDTHH:MM)", at_arg);
			usage(EX_USAGE);
		}
		req.scheduled = 1;
	}
	if ((req.chans = channels()) == 0) {
		json_decref(chosen);
		return EX_CONFIG;
	}
	if (req.test && (cli.conf.testers == NULL ||
	    strspn(cli.conf.testers, " ,") == strlen(cli.conf.testers))) {
		log_errorx("no testers in %s", cli.conf.path != NULL ?
		    cli.conf.path : "hb.conf");
		json_decref(chosen);
		return EX_CONFIG;
	}
	if (topic_arg != NULL) {
		req.topics = chosen;
		if ((rc = topics(chosen)) != 0)
			goto done;
	}
	if (media_arg != NULL && (rc = attach(media_arg)) != 0)
		goto done;
	if ((rc = cli_read_text(argc == 1 ? argv[0] : NULL, "announcement",
	    media_arg != NULL, &text)) != 0)
		goto done;
	req.text = text;
	memset(&cr, 0, sizeof(cr));
	cr.now = time(NULL);
	if (follow_arg != NULL)
		cr.first = parse_id(follow_arg);
	rc = store_run(&cli.store, create_fn, &cr);
	if (rc == BCAST_NO_FIRST) {
		log_errorx("broadcast %s reached nobody to follow up: no such "
		    "broadcast, a test, or one that never began", follow_arg);
		rc = EX_DATAERR;
		goto done;
	}
	if (rc == 0 && dry)
		print_plan(&cr);
	release_plan(&cr);
	rc = rc != 0 ? cli_status(rc) : 0;
done:
	free(text);
	media_unref((struct media *)req.media);
	json_decref(chosen);
	if (rc != 0)
		return rc;
	if (cr.why[0] != '\0' && !req.scheduled) {
		log_errorx("%s %s", dry ? "would be refused:" : "refused:",
		    cr.why);
		return cli_flush() != 0 ? EX_IOERR : EX_TEMPFAIL;
	}
	if (dry)
		return cli_flush();
	printf("%llu\n", (unsigned long long)cr.n);
	if ((rc = cli_flush()) != 0)
		return rc;
	if (req.emergency)
		log_audit("emergency broadcast %llu by %s: %s",
		    (unsigned long long)cr.n, operator_who(), req.reason);
	else
		log_audit("%s %llu by %s", req.test ? "test broadcast" :
		    "broadcast", (unsigned long long)cr.n, operator_who());
	if (cli.conf.approval && !req.emergency && !req.test) {
		/* Not an error, but what the operator must know. */
		log_warnx("broadcast %llu waits for another operator's "
		    "hb-broadcast approve %llu", (unsigned long long)cr.n,
		    (unsigned long long)cr.n);
		return 0;
	}
	if (req.scheduled) {
		if (cr.why[0] != '\0')
			log_warnx("%s; broadcast %llu moved to %s", cr.why,
			    (unsigned long long)cr.n, calendar_format(cr.at, buf));
		return 0;
	}
	return send_now(cr.n);
}

static int
cmd_run(int argc, char **argv)
{
	struct dispatch_opts opts = { 0, 0 };
	struct dispatch_report rep;
	int rc;

	(void)argv;
	if (argc != 0)
		usage(EX_USAGE);
	opts.progress = isatty(STDERR_FILENO) && cli.verbosity >= 0;
	if ((rc = dispatch_run(&cli.conf, &cli.store, &opts, &rep)) != 0)
		return cli_status(rc);
	if (rep.busy)
		log_info("another hb-broadcast is sending; nothing to do");
	else
		log_info("%zu sent, %zu failed, %zu skipped, %zu deferred",
		    rep.sent, rep.failed, rep.skipped, rep.deferred);
	if (rep.stopped)
		return stopped();
	return rep.halted ? EX_UNAVAILABLE : 0;
}

static int
list_fn(struct txn *tx, void *arg)
{
	return bcast_list(tx, arg);
}

/* The exported form of a broadcast record: times as RFC 3339. */
static json_t *
export_bcast(const json_t *rec)
{
	static const char *const times[] = { "created", "at", "started",
	    "finished", "cancelled", NULL };
	json_t *o = jsonl_export(rec, times);

	json_object_del(o, "due");
	json_object_del(o, "prio");
	return o;
}

static int
cmd_list(int argc, char **argv)
{
	json_t *all = json_array(), *rec, *o, *v;
	char buf[32], by[160], kind[64], *chans;
	const char *text, *who;
	size_t i, k;
	int rc;

	(void)argv;
	if (argc != 0)
		usage(EX_USAGE);
	if ((rc = store_run(&cli.store, list_fn, all)) != 0) {
		json_decref(all);
		return cli_status(rc);
	}
	json_array_foreach(all, i, rec) {
		o = export_bcast(rec);
		if (cli.json) {
			jsonl_write(stdout, o);
			json_decref(o);
			continue;
		}
		chans = NULL;
		json_array_foreach(json_object_get(rec, "channels"), k, v) {
			char *s;

			xasprintf(&s, "%s%s%s", chans ? chans : "", chans ?
			    "," : "", json_string_value(v));
			free(chans);
			chans = s;
		}
		text = jsonl_string(rec, "text");
		who = jsonl_string(rec, "operator");
		if (jsonl_string(rec, "approved_by") != NULL) {
			(void)snprintf(by, sizeof(by), "%s/%s", who,
			    jsonl_string(rec, "approved_by"));
			who = by;
		}
		(void)snprintf(kind, sizeof(kind), "%s",
		    json_is_true(json_object_get(rec, "emergency")) ?
		    "emergency" : json_is_true(json_object_get(rec, "test")) ?
		    "test" : "regular");
		if (json_object_get(rec, "follows") != NULL)
			(void)snprintf(kind + strlen(kind), sizeof(kind) -
			    strlen(kind), " follow-up of %lld",
			    json_integer_value(json_object_get(rec,
			    "follows")));
		printf("%lld\t%s\t%s\t%s\t%s\t%s\t%.*s\n",
		    json_integer_value(json_object_get(rec, "n")),
		    jsonl_string(rec, "state"),
		    calendar_format(json_integer_value(json_object_get(rec, "at")),
		    buf), kind, who, chans ? chans : "",
		    (int)strcspn(text, "\n"), text);
		free(chans);
		json_decref(o);
	}
	json_decref(all);
	return cli_flush();
}

static int
status_fn(struct txn *tx, void *arg)
{
	struct outcome *o = arg;
	int rc;

	json_decref(o->rec);
	o->rec = NULL;
	if ((rc = bcast_get(tx, o->n, &o->rec)) != 0)
		return rc;
	return outcome_fn(tx, arg);
}

static int
cmd_status(int argc, char **argv)
{
	static const char *const names[] = { "recipients", "sent",
	    "delivered", "read", "failed", "deferred", "skipped" };
	struct outcome o;
	const struct bcast_counts *k;
	size_t vals[7];
	const char *why;
	json_t *j, *v;
	int rc, c, i;

	if (argc != 1)
		usage(EX_USAGE);
	memset(&o, 0, sizeof(o));
	o.n = parse_id(argv[0]);
	if ((rc = store_run(&cli.store, status_fn, &o)) != 0) {
		if (rc == STORE_NOTFOUND)
			log_errorx("no broadcast %s", argv[0]);
		return cli_status(rc);
	}
	/* Who is behind it, and what it follows up, before the table. */
	if (!cli.json && jsonl_string(o.rec, "approved_by") != NULL)
		fprintf(stderr, "hb-broadcast: broadcast %s by %s, approved by "
		    "%s\n", argv[0], jsonl_string(o.rec, "operator"),
		    jsonl_string(o.rec, "approved_by"));
	if (!cli.json && json_object_get(o.rec, "follows") != NULL)
		fprintf(stderr, "hb-broadcast: broadcast %s follows up "
		    "broadcast %lld\n", argv[0], json_integer_value(
		    json_object_get(o.rec, "follows")));
	json_decref(o.rec);
	if (!cli.json) {
		printf("channel");
		for (i = 0; i < 7; i++)
			printf("\t%s", names[i]);
		printf("\n");
	}
	for (c = 0; c < CHAN_COUNT; c++) {
		k = &o.counts[c];
		if (k->recipients == 0)
			continue;
		vals[0] = k->recipients, vals[1] = k->sent;
		vals[2] = k->delivered, vals[3] = k->read;
		vals[4] = k->failed, vals[5] = k->deferred + k->waiting;
		vals[6] = k->skipped;
		j = json_pack("{s:s}", "channel", chan_name(c));
		for (i = 0; i < 7; i++)
			json_object_set_new(j, names[i], json_integer(vals[i]));
		json_object_set_new(j, "why", k->why != NULL ?
		    json_incref(k->why) : json_object());
		json_object_set_new(j, "no_media", json_integer(k->no_media));
		json_object_set_new(j, "templates", json_integer(k->templates));
		json_object_set_new(j, "late", json_integer(k->late));
		set_cost(j, c, k->templates);
		if (cli.json)
			jsonl_write(stdout, j);
		else {
			printf("%s", chan_name(c));
			for (i = 0; i < 7; i++)
				printf("\t%zu", vals[i]);
			printf("\n");
		}
		json_decref(j);
	}
	/* Why some failed or were skipped: after the table, on stderr. */
	(void)fflush(stdout);
	for (c = 0; c < CHAN_COUNT && !cli.json; c++)
		json_object_foreach(o.counts[c].why, why, v)
			fprintf(stderr, "hb-broadcast: %s: %lld: %s\n",
			    chan_name(c), json_integer_value(v), why);
	for (c = 0; c < CHAN_COUNT && !cli.json; c++)
		print_cost(c, o.counts[c].templates, "cost");
	for (c = 0; c < CHAN_COUNT && !cli.json; c++)
		if (o.counts[c].late > 0)
			fprintf(stderr, "hb-broadcast: %s: %zu: late, brought "
			    "by a catch-up when they wrote\n", chan_name(c),
			    o.counts[c].late);
	for (c = 0; c < CHAN_COUNT && !cli.json; c++)
		if (o.counts[c].no_media > 0)
			fprintf(stderr, "hb-broadcast: %s: %zu: the text "
			    "template, without the attachment\n",
			    chan_name(c), o.counts[c].no_media);
	bcast_counts_release(o.counts);
	return cli_flush();
}

struct cancel {
	uint64_t n;
	int	 rc;
};

static int
cancel_fn(struct txn *tx, void *arg)
{
	struct cancel *cn = arg;

	cn->rc = bcast_cancel(tx, cn->n, time(NULL));
	return cn->rc == BCAST_FINISHED || cn->rc == BCAST_SENT ? 0 : cn->rc;
}

static int
cmd_cancel(int argc, char **argv)
{
	struct cancel cn;
	int rc;

	if (argc != 1)
		usage(EX_USAGE);
	cn.n = parse_id(argv[0]);
	if ((rc = store_run(&cli.store, cancel_fn, &cn)) != 0) {
		if (rc == STORE_NOTFOUND)
			log_errorx("no broadcast %s", argv[0]);
		return cli_status(rc);
	}
	if (cn.rc == BCAST_SENT) {
		log_errorx("broadcast %s has gone out to everyone already; "
		    "nothing is left to cancel", argv[0]);
		return EX_UNAVAILABLE;
	}
	if (cn.rc == BCAST_FINISHED)
		log_warnx("broadcast %s was cancelled already", argv[0]);
	else
		log_audit("broadcast %s cancelled by %s", argv[0],
		    operator_who());
	return 0;
}

struct retry {
	uint64_t n;
	size_t	 again;
	int	 cancelled;
};

static int
retry_fn(struct txn *tx, void *arg)
{
	struct retry *r = arg;
	const char *state;
	json_t *rec;
	int rc;

	if ((rc = bcast_get(tx, r->n, &rec)) != 0)
		return rc;
	state = jsonl_string(rec, "state");
	r->cancelled = state != NULL && strcmp(state, "cancelled") == 0;
	rc = r->cancelled ? 0 : delivery_retry(tx, r->n, json_is_true(
	    json_object_get(rec, "emergency")) ? 0 : 1, time(NULL), &r->again);
	json_decref(rec);
	return rc;
}

/* retry: a broadcast's failed deliveries go again, now. */
static int
cmd_retry(int argc, char **argv)
{
	struct retry r;
	int rc;

	if (argc != 1)
		usage(EX_USAGE);
	memset(&r, 0, sizeof(r));
	r.n = parse_id(argv[0]);
	if ((rc = store_run(&cli.store, retry_fn, &r)) != 0) {
		if (rc == STORE_NOTFOUND)
			log_errorx("no broadcast %s", argv[0]);
		return cli_status(rc);
	}
	if (r.cancelled) {
		log_errorx("broadcast %s was cancelled", argv[0]);
		return EX_DATAERR;
	}
	if (r.again == 0) {
		log_info("broadcast %s has no failed deliveries", argv[0]);
		return 0;
	}
	log_audit("%zu failed deliveries of broadcast %s sent again by %s",
	    r.again, argv[0], operator_who());
	return send_now(r.n);
}

struct approve {
	uint64_t n;
	int	 rc;
};

static int
approve_fn(struct txn *tx, void *arg)
{
	struct approve *a = arg;

	a->rc = bcast_approve(tx, a->n, req.operator, time(NULL));
	return a->rc == BCAST_OWN || a->rc == BCAST_NOT_WAITING ? 0 : a->rc;
}

static int
cmd_approve(int argc, char **argv)
{
	struct approve a;
	int rc;

	if (argc != 1)
		usage(EX_USAGE);
	a.n = parse_id(argv[0]);
	if ((rc = store_run(&cli.store, approve_fn, &a)) != 0) {
		if (rc == STORE_NOTFOUND)
			log_errorx("no broadcast %s", argv[0]);
		return cli_status(rc);
	}
	if (a.rc == BCAST_OWN) {
		log_errorx("broadcast %s is %s's own: another operator "
		    "approves it", argv[0], req.operator);
		return EX_NOPERM;
	}
	if (a.rc == BCAST_NOT_WAITING) {
		log_errorx("broadcast %s waits for no approval", argv[0]);
		return EX_DATAERR;
	}
	log_audit("broadcast %s approved by %s", argv[0], operator_who());
	return 0;
}

/*
 * Ask each platform whether the set-up works: one line a channel,
 * "ok" or "problem" and what was found; exit 0 only when all is well.
 */
static int
cmd_check(int argc, char **argv)
{
	char why[1024];
	unsigned chans;
	int c, rc, bad = 0;

	(void)argv;
	if (argc != 0)
		usage(EX_USAGE);
	if ((chans = channels()) == 0)
		return EX_CONFIG;
	for (c = 0; c < CHAN_COUNT; c++) {
		if (!(chans & (1u << c)))
			continue;
		rc = check_channel(&cli.conf, c, why, sizeof(why));
		bad |= rc == -1;
		printf("%s\t%s\t%s\n", chan_name(c), rc == 0 ? "ok" :
		    "problem", why);
	}
	if (cli_flush() != 0)
		return EX_IOERR;
	return bad ? EX_UNAVAILABLE : 0;
}

static const struct cli_verb verbs[] = {
	{ "send", cmd_send },
	{ "check", cmd_check },
	{ "approve", cmd_approve },
	{ "run", cmd_run },
	{ "list", cmd_list },
	{ "status", cmd_status },
	{ "cancel", cmd_cancel },
	{ "retry", cmd_retry },
	{ NULL, NULL }
};

int
main(int argc, char *argv[])
{
	int ch, status;

	cli_init(&cli, argv[0]);
	while ((ch = getopt(argc, argv, CLI_OPTIONS "a:c:eF:m:r:t:Tu:")) != -1) {
		switch (ch) {
		case 'a':
			at_arg = optarg;
			continue;
		case 'c':
			chan_arg = optarg;
			continue;
		case 'e':
			req.emergency = 1;
			continue;
		case 'm':
			media_arg = optarg;
			continue;
		case 'n':
			dry = 1;	/* here -n is send's dry run */
			continue;
		case 'r':
			req.reason = optarg;
			continue;
		case 't':
			topic_arg = optarg;
			continue;
		case 'T':
			req.test = 1;
			continue;
		case 'F':
			follow_arg = optarg;
			continue;
		case 'u':
			cli_display_name(optarg, usage);
			req.operator_name = optarg;
			continue;
		}
		if (!cli_option(&cli, ch, optarg, usage))
			usage(EX_USAGE);
	}
	argc -= optind;
	argv += optind;
	req.operator = cli_operator();
	cli.sends = 1;
	if ((status = cli_configure(&cli)) != 0)
		return status;
	if (argc > 0 && strcmp(argv[0], "send") != 0 &&
	    strcmp(argv[0], "check") != 0 && chan_arg != NULL)
		usage(EX_USAGE);
	if (argc > 0 && strcmp(argv[0], "send") != 0 && (at_arg ||
	    media_arg || topic_arg || follow_arg || dry || req.emergency ||
	    req.reason ||
	    req.test || (req.operator_name &&
	    strcmp(argv[0], "approve") != 0)))
		usage(EX_USAGE);
	status = cli_run_verb(verbs, argc, argv, usage);
	cli_release(&cli);
	return status;
}

/*
 * hb-reply: the 1:1 chat between a citizen and the city -- inbox, show,
 * send, fetch, follow, done.  See hb-reply(1).
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "fetch.h"
#include "hb.h"
#include "jsonl.h"
#include "log.h"
#include "media.h"
#include "reply.h"
#include "sub.h"
#include "sender.h"
#include "timefmt.h"
#include "xalloc.h"

#define FOLLOW_BATCH	1000	/* messages per store session */
#define FOLLOW_PAUSE	1	/* seconds between looks at the store */

static struct cli cli;
static const char *operator;	/* cli_operator() */
static const char *operator_name; /* -u */
static const char *after;	/* -s */
static int keep_open;		/* -k */
static const char *media_arg;	/* send -m */
static const char *out_arg;	/* fetch -o */

static void __attribute__((noreturn))
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: hb-reply [-j] [-d dir] [-f file] inbox\n"
	    "       hb-reply [-j] [-d dir] [-f file] show ID\n"
	    "       hb-reply [-qv] [-d dir] [-f file] send [-k] [-u operator] "
	    "[-m picture] ID [file]\n"
	    "       hb-reply [-qv] [-d dir] [-f file] fetch [-o file] ID N\n"
	    "       hb-reply [-d dir] [-f file] follow [-s seq]\n"
	    "       hb-reply [-qv] [-d dir] [-f file] done ID\n");
	exit(status);
}

/* How long ago: "45m", "3h", "2d". */
static const char *
age(json_int_t since, char buf[32])
{
	long long s = (long long)(time(NULL) - since);

	if (s < 3600)
		(void)snprintf(buf, 32, "%lldm", s < 0 ? 0 : s / 60);
	else if (s < 86400)
		(void)snprintf(buf, 32, "%lldh", s / 3600);
	else
		(void)snprintf(buf, 32, "%lldd", s / 86400);
	return buf;
}

static int
inbox_fn(struct txn *tx, void *arg)
{
	return reply_inbox(tx, arg);
}

static int
cmd_inbox(int argc, char **argv)
{
	json_t *all = json_array(), *o;
	char buf[32], t[TIMEFMT_SIZE], *line;
	size_t i;
	int rc;

	(void)argv;
	if (argc != 0)
		usage(EX_USAGE);
	if ((rc = store_run(&cli.store, inbox_fn, all)) != 0) {
		json_decref(all);
		return cli_status(rc);
	}
	json_array_foreach(all, i, o) {
		json_int_t since = json_integer_value(json_object_get(o,
		    "since"));

		if (cli.json) {
			json_object_set_new(o, "since", json_string(
			    timefmt_rfc3339(since, t)));
			jsonl_write(stdout, o);
			continue;
		}
		cli_print_field(jsonl_string(o, "id"), 0);
		cli_print_field(jsonl_string(o, "channel"), 0);
		cli_print_field(jsonl_string(o, "name"), 0);
		cli_print_field(age(since, buf), 0);
		line = jsonl_string(o, "text") != NULL ? xstrndup(
		    jsonl_string(o, "text"), strcspn(jsonl_string(o, "text"),
		    "\n")) : NULL;
		cli_print_field(line, 1);
		free(line);
	}
	json_decref(all);
	return cli_flush();
}

/* How a message's picture, location or contact reads in a line. */
static const struct {
	const char *type, *label;
} labels[] = {
	{ "image", "Bild" }, { "photo", "Bild" }, { "document", "Dokument" },
	{ "file", "Dokument" }, { "video", "Video" }, { "video_note", "Video" },
	{ "animation", "Video" }, { "audio", "Audio" }, { "voice", "Audio" },
	{ "sticker", "Sticker" }, { "location", "Ort" }, { "venue", "Ort" },
	{ "contacts", "Kontakt" }, { "contact", "Kontakt" },
};

/* Append a space and piece to *s (malloc'd), unless piece is NULL. */
static void
add(char **s, const char *piece)
{
	char *t;

	if (piece == NULL)
		return;
	xasprintf(&t, "%s %s", *s, piece);
	free(*s);
	*s = t;
}

/*
 * The text column of show: the text, or for a picture, document,
 * location or contact what it is and holds, as
 * "[Bild] Schlagloch vor Nr. 12 (fetch 7)".  malloc'd.
 */
static char *
describe(const json_t *m)
{
	const char *type = jsonl_string(m, "type"), *text, *label = NULL;
	const json_t *media = json_object_get(m, "media"), *o, *v;
	char buf[64], *s;
	size_t i;

	text = jsonl_string(m, "text");
	for (i = 0; type != NULL && i < sizeof(labels) / sizeof(labels[0]);
	    i++)
		if (strcmp(labels[i].type, type) == 0)
			label = labels[i].label;
	if (label == NULL && media == NULL)
		return xstrdup(text != NULL ? text : "");
	xasprintf(&s, "[%s]", label != NULL ? label : type);
	if ((o = json_object_get(m, "location")) != NULL) {
		(void)snprintf(buf, sizeof(buf), "%.4f %.4f",
		    json_number_value(json_object_get(o, "latitude")),
		    json_number_value(json_object_get(o, "longitude")));
		add(&s, buf);
		add(&s, jsonl_string(o, "name"));
		add(&s, jsonl_string(o, "address"));
	}
	o = json_object_get(m, "contact");
	json_array_foreach(json_object_get(o, "names"), i, v)
		add(&s, json_string_value(v));
	json_array_foreach(json_object_get(o, "numbers"), i, v)
		add(&s, json_string_value(v));
	add(&s, jsonl_string(media, "name"));
	add(&s, text);
	if (jsonl_string(media, "ref") != NULL) {
		(void)snprintf(buf, sizeof(buf), "(fetch %lld)",
		    json_integer_value(json_object_get(m, "seq")));
		add(&s, buf);
	}
	return s;
}

struct show {
	const char *id;
	json_t	*out;
	int	 known;
};

static int
show_fn(struct txn *tx, void *arg)
{
	struct show *sh = arg;
	json_t *sub;
	int rc;

	json_array_clear(sh->out);
	if ((rc = sub_get(tx, sh->id, &sub)) == 0) {
		sh->known = 1;
		json_decref(sub);
	} else if (rc != STORE_NOTFOUND)
		return rc;
	return reply_conversation(tx, sh->id, sh->out);
}

static int
cmd_show(int argc, char **argv)
{
	struct show sh = { NULL, json_array(), 0 };
	const char *dir, *who;
	char whobuf[CLI_WHO_SIZE];
	char *line;
	json_t *m;
	size_t i;
	int rc;

	if (argc != 1)
		usage(EX_USAGE);
	sh.id = argv[0];
	if ((rc = store_run(&cli.store, show_fn, &sh)) != 0 ||
	    (!sh.known && json_array_size(sh.out) == 0)) {
		json_decref(sh.out);
		if (rc == 0)
			log_errorx("no conversation with '%s'", sh.id);
		return rc == 0 ? EX_DATAERR : cli_status(rc);
	}
	json_array_foreach(sh.out, i, m) {
		if (cli.json) {
			jsonl_write(stdout, m);
			continue;
		}
		dir = jsonl_string(m, "dir");
		who = dir != NULL && strcmp(dir, "out") == 0 ?
		    cli_who(jsonl_string(m, "operator"), jsonl_string(m,
		    "operator_name"), whobuf, sizeof(whobuf)) : NULL;
		cli_print_field(jsonl_string(m, "time"), 0);
		cli_print_field(dir, 0);
		cli_print_field(jsonl_string(m, "type"), 0);
		cli_print_field(jsonl_string(m, "state"), 0);
		cli_print_field(who, 0);
		line = describe(m);
		cli_print_field(line, 1);
		free(line);
	}
	json_decref(sh.out);
	return cli_flush();
}

/* send: prepare in the store, send with it closed, record the result. */
struct answer {
	const char *id;
	const char *text;
	struct media *media;
	uint64_t seq;
	enum platform_kind kind;
	char	 why[300];
	const char *state;
	struct platform_res res;
	int	 done;
};

static int
prepare_fn(struct txn *tx, void *arg)
{
	struct answer *a = arg;
	int rc;

	rc = reply_prepare(tx, &cli.conf, a->id, a->text, operator,
	    operator_name, keep_open ? REPLY_KEEP_OPEN : 0, time(NULL), &a->seq, &a->kind,
	    a->why, sizeof(a->why));
	if (rc == 0 && a->media != NULL)
		rc = reply_attach(tx, a->seq, a->media);
	return rc == REPLY_WINDOW ? 0 : rc;
}

static int
result_fn(struct txn *tx, void *arg)
{
	struct answer *a = arg;

	return reply_result(tx, a->seq, a->state, a->res.pid, a->res.why,
	    a->kind, time(NULL));
}

static void
on_answer(struct sender_job *j, const struct platform_res *r, void *arg)
{
	struct answer *a = arg;

	a->res = *r;
	if (r->outcome == PO_SENT)
		(void)strlcpy(a->res.pid, j->pid, sizeof(a->res.pid));
	a->done = 1;
	sender_job_free(j);
}

/*
 * The picture or document of send -m, if channel c takes it: 0, or the
 * exit status after a message.
 */
static int
attach(const char *path, enum chan c, struct media **m)
{
	char why[200];
	int ex;

	if ((*m = media_open(path, &ex)) == NULL)
		return ex;
	if (media_fits(&cli.conf, c, (*m)->type, (*m)->size, why,
	    sizeof(why)) == -1) {
		log_errorx("%s: %s", path, why);
		media_unref(*m);
		*m = NULL;
		return EX_DATAERR;
	}
	/* A copy named by its hash, as broadcasts have (scrub removes it). */
	if (media_keep(*m, cli.conf.home) == -1) {
		media_unref(*m);
		*m = NULL;
		return EX_CANTCREAT;
	}
	return 0;
}

static int
cmd_send(int argc, char **argv)
{
	struct answer a;
	struct sender *s;
	struct sender_text *t;
	const char *why;
	char *text;
	enum chan c;
	int rc, status = 0;

	if (argc < 1 || argc > 2)
		usage(EX_USAGE);
	memset(&a, 0, sizeof(a));
	a.id = argv[0];
	if (chan_check_id(a.id, &c, &why) == -1) {
		log_errorx("bad ID '%s': %s", a.id, why);
		return EX_DATAERR;
	}
	if (!cli.conf.chan[c].enabled) {
		log_errorx("channel '%s' is not configured", chan_name(c));
		return EX_CONFIG;
	}
	if (media_arg != NULL && (rc = attach(media_arg, c, &a.media)) != 0)
		return rc;
	if ((rc = cli_read_text(argc == 2 ? argv[1] : NULL, "answer",
	    a.media != NULL, &text)) != 0) {
		media_unref(a.media);
		return rc;
	}
	a.text = text;
	if ((rc = store_run(&cli.store, prepare_fn, &a)) != 0) {
		free(text);
		media_unref(a.media);
		if (rc == STORE_NOTFOUND)
			log_errorx("no subscriber '%s'", a.id);
		return cli_status(rc);
	}
	if (a.why[0] != '\0') {
		log_errorx("not sent: %s", a.why);
		free(text);
		media_unref(a.media);
		return EX_UNAVAILABLE;
	}
	s = sender_new(&cli.conf, 1, on_answer, &a);
	t = sender_text_new(text, a.media, c, a.kind);
	sender_add(s, sender_job_new(a.id, t, a.kind, 0));
	sender_text_unref(t);
	while (!a.done && sender_step(s, 1000) == 0)
		;
	sender_free(s);
	free(text);
	if (!a.done) {
		a.res.outcome = PO_RETRY;
		(void)strlcpy(a.res.why, "no HTTP", sizeof(a.res.why));
	}
	if (a.res.outcome == PO_SENT)
		a.state = "sent";
	else if (platform_outcome_temporary(a.res.outcome) &&
	    a.media == NULL) {
		a.state = "queued";
		log_warnx("%s: %s; the answer is kept, hb-broadcast run sends "
		    "it", a.id, a.res.why);
		status = EX_TEMPFAIL;
	} else if (platform_outcome_temporary(a.res.outcome)) {
		/* hb-broadcast run sends texts only: try it again. */
		a.state = "failed";
		log_errorx("%s: not sent: %s; send it again later", a.id,
		    a.res.why);
		status = EX_TEMPFAIL;
	} else {
		a.state = "failed";
		log_errorx("%s: not sent: %s", a.id, a.res.why);
		status = EX_UNAVAILABLE;
	}
	media_unref(a.media);
	if ((rc = store_run(&cli.store, result_fn, &a)) != 0)
		return cli_status(rc);
	return status;
}

struct fetch {
	const char *id;
	uint64_t seq;
	json_t	*media;
};

static int
fetch_fn(struct txn *tx, void *arg)
{
	struct fetch *f = arg;

	json_decref(f->media);
	return reply_media(tx, f->id, f->seq, &f->media);
}

static int
cmd_fetch(int argc, char **argv)
{
	struct fetch f = { NULL, 0, NULL };
	enum fetch_result fr;
	const char *errstr, *why;
	char reason[300];
	enum chan c;
	FILE *out;
	int rc;

	if (argc != 2)
		usage(EX_USAGE);
	f.id = argv[0];
	if (chan_check_id(f.id, &c, &why) == -1) {
		log_errorx("bad ID '%s': %s", f.id, why);
		return EX_DATAERR;
	}
	f.seq = (uint64_t)strtonum(argv[1], 1, LLONG_MAX, &errstr);
	if (errstr != NULL) {
		log_errorx("bad message number '%s'", argv[1]);
		usage(EX_USAGE);
	}
	if (out_arg == NULL && isatty(STDOUT_FILENO)) {
		log_errorx("not writing a file to a terminal: use -o file");
		return EX_USAGE;
	}
	if ((rc = store_run(&cli.store, fetch_fn, &f)) != 0) {
		if (rc == STORE_NOTFOUND)
			log_errorx("no message %s of '%s'", argv[1], f.id);
		else if (rc == REPLY_NOMEDIA)
			log_errorx("message %s of '%s' has no picture or "
			    "document", argv[1], f.id);
		return rc == REPLY_NOMEDIA ? EX_DATAERR : cli_status(rc);
	}
	if ((out = out_arg != NULL ? fopen(out_arg, "w") : stdout) == NULL) {
		log_error("%s", out_arg);
		json_decref(f.media);
		return EX_CANTCREAT;
	}
	fr = fetch_media(&cli.conf, c, jsonl_string(f.media, "ref"), out,
	    reason, sizeof(reason));
	json_decref(f.media);
	if ((out_arg != NULL ? fclose(out) : fflush(out)) == EOF &&
	    fr == FETCH_OK) {
		log_error("%s", out_arg != NULL ? out_arg : "stdout");
		fr = FETCH_TEMPFAIL;
		(void)strlcpy(reason, "", sizeof(reason));
	}
	if (fr == FETCH_OK)
		return 0;
	if (out_arg != NULL)
		(void)unlink(out_arg);	/* no half a picture */
	if (reason[0] != '\0')
		log_errorx("message %s of '%s': %s", argv[1], f.id, reason);
	return fr == FETCH_TEMPFAIL ? EX_TEMPFAIL : EX_UNAVAILABLE;
}

struct follow {
	uint64_t after;
	json_t	*out;
};

static int
follow_fn(struct txn *tx, void *arg)
{
	struct follow *f = arg;

	json_array_clear(f->out);
	return reply_follow(tx, f->after, FOLLOW_BATCH, f->out);
}

static int
cmd_follow(int argc, char **argv)
{
	struct follow f = { 0, json_array() };
	const char *errstr;
	json_t *o;
	size_t i;
	int rc;

	(void)argv;
	if (argc != 0)
		usage(EX_USAGE);
	if (after != NULL) {
		f.after = (uint64_t)strtonum(after, 0, LLONG_MAX, &errstr);
		if (errstr != NULL) {
			log_errorx("bad sequence number '%s'", after);
			usage(EX_USAGE);
		}
	}
	for (;;) {
		if ((rc = store_run(&cli.store, follow_fn, &f)) != 0 &&
		    rc != STORE_BUSY)
			break;
		json_array_foreach(f.out, i, o) {
			jsonl_write(stdout, o);
			f.after = (uint64_t)json_integer_value(
			    json_object_get(o, "seq"));
		}
		/* Print after the store is closed; a gone reader ends us. */
		if ((rc = cli_flush()) != 0)
			break;
		if (json_array_size(f.out) < FOLLOW_BATCH)
			sleep(FOLLOW_PAUSE);
	}
	json_decref(f.out);
	return rc == EX_IOERR ? 0 : cli_status(rc);
}

static int
done_fn(struct txn *tx, void *arg)
{
	return reply_done(tx, arg);
}

static int
cmd_done(int argc, char **argv)
{
	int rc;

	if (argc != 1)
		usage(EX_USAGE);
	if ((rc = store_run(&cli.store, done_fn, argv[0])) == STORE_NOTFOUND)
		log_errorx("no subscriber '%s'", argv[0]);
	return cli_status(rc);
}

static const struct cli_verb verbs[] = {
	{ "inbox", cmd_inbox },
	{ "show", cmd_show },
	{ "send", cmd_send },
	{ "fetch", cmd_fetch },
	{ "follow", cmd_follow },
	{ "done", cmd_done },
	{ NULL, NULL }
};

int
main(int argc, char *argv[])
{
	int ch, status;

	cli_init(&cli, argv[0]);
	while ((ch = getopt(argc, argv, CLI_OPTIONS "km:o:s:u:")) != -1) {
		switch (ch) {
		case 'k':
			keep_open = 1;
			continue;
		case 'm':
			media_arg = optarg;
			continue;
		case 'o':
			out_arg = optarg;
			continue;
		case 's':
			after = optarg;
			continue;
		case 'u':
			cli_display_name(optarg, usage);
			operator_name = optarg;
			continue;
		}
		if (!cli_option(&cli, ch, optarg, usage))
			usage(EX_USAGE);
	}
	argc -= optind;
	argv += optind;
	cli.sends = 1;
	if ((status = cli_configure(&cli)) != 0)
		return status;
	if (argc > 0 && (((operator_name != NULL || keep_open || media_arg) &&
	    strcmp(argv[0], "send") != 0) ||
	    (out_arg != NULL && strcmp(argv[0], "fetch") != 0) ||
	    (after != NULL && strcmp(argv[0], "follow") != 0)))
		usage(EX_USAGE);
	operator = cli_operator();
	status = cli_run_verb(verbs, argc, argv, usage);
	cli_release(&cli);
	return status;
}

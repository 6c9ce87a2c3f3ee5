/*
 * hb-subscribe: manage subscribers -- add, remove, list, show, stats,
 * import.  See hb-subscribe(1).
 *
 * Work goes to the store in batches, each in its own store session, so
 * that webhooks get their turn in between, and output is printed only
 * after the store is closed (a slow reader on a pipe must not hold the
 * store).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "bcast.h"
#include "cli.h"
#include "hb.h"
#include "import.h"
#include "jsonl.h"
#include "ledger.h"
#include "log.h"
#include "metrics.h"
#include "person.h"
#include "readall.h"
#include "sub.h"
#include "xalloc.h"

#define BATCH		500	/* records written per store session */
#define LIST_BATCH	1000	/* records listed per store session */

static struct cli cli;
static int filter_chan = -1;	/* -c */
static int filter_state = -1;	/* -s */
static json_t *filter_topic;	/* -t, as a broadcast's "topics" */
static int prometheus;		/* stats -P */
static int force;		/* -F: add or import erased people too */

#define ADD_ERASED	(-2)	/* add: on the erasure ledger, not added */

static void __attribute__((noreturn))
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: hb-subscribe [-jnqvV] [-d dir] [-f file] add [-F] [ID ...]\n"
	    "       hb-subscribe [-qv] [-d dir] [-f file] remove [ID ...]\n"
	    "       hb-subscribe [-j] [-d dir] [-f file] list [-c channel] "
	    "[-s state] [-t topic]\n"
	    "       hb-subscribe [-j] [-d dir] [-f file] show ID ...\n"
	    "       hb-subscribe [-j] [-d dir] [-f file] stats [-P]\n"
	    "       hb-subscribe [-qv] [-d dir] [-f file] import [-F] "
	    "[file ...]\n");
	exit(status);
}

static int
add_batch(struct txn *tx, void *arg)
{
	struct batch *b = arg;
	size_t i;
	int rc;

	for (i = b->off; i < b->off + b->len; i++) {
		/* Someone who asked to be forgotten comes back on their own. */
		if (!force && (rc = ledger_erased(tx, b->items->v[i],
		    NULL)) != 0) {
			if (rc < 0)
				return rc;
			b->items->result[i] = ADD_ERASED;
		} else if ((rc = sub_add(tx, b->items->v[i], "admin", b->now,
		    &b->items->result[i])) != 0)
			return rc;
	}
	return 0;
}

static int
remove_batch(struct txn *tx, void *arg)
{
	struct batch *b = arg;
	size_t i;
	int rc;

	for (i = b->off; i < b->off + b->len; i++) {
		rc = sub_set_state(tx, b->items->v[i], SUB_STOPPED, b->now);
		if (rc != 0 && rc != STORE_NOTFOUND)
			return rc;
		b->items->result[i] = rc;
	}
	return 0;
}

static void
report_add(struct batch_items *it, size_t i)
{
	if (it->result[i] == ADD_ERASED)
		log_errorx("%s: erased on request before (on the erasure "
		    "ledger); not added, -F adds it all the same", it->v[i]);
	else if (it->result[i] == SUB_ACTIVE)
		log_info("%s: already active", it->v[i]);
	else if (it->result[i] < 0)
		log_info("%s: added", it->v[i]);
	else
		log_info("%s: active again (was %s)", it->v[i],
		    sub_state_name(it->result[i]));
}

static void
report_remove(struct batch_items *it, size_t i)
{
	if (it->result[i] == STORE_NOTFOUND)
		log_warnx("no subscriber '%s'", it->v[i]);
	else
		log_info("%s: stopped", it->v[i]);
}

static int
cmd_add_remove(int argc, char **argv, int add)
{
	struct batch_items it = { 0 };
	size_t i;
	int rc, status = 0;

	if (batch_read_ids(&it, argc, argv, stdin) == -1) {
		batch_release(&it);
		return EX_DATAERR;
	}
	rc = batch_run(&cli.store, &it, BATCH, add ? add_batch : remove_batch,
	    add ? report_add : report_remove);
	if (rc != 0)
		status = cli_status(rc);
	else
		for (i = 0; i < it.n; i++)
			if (it.result[i] == (add ? ADD_ERASED : STORE_NOTFOUND))
				status = EX_DATAERR;
	batch_release(&it);
	return status;
}

static int
cmd_add(int argc, char **argv)
{
	return cmd_add_remove(argc, argv, 1);
}

static int
cmd_remove(int argc, char **argv)
{
	return cmd_add_remove(argc, argv, 0);
}

/* One batch of list, in a store session of its own. */
struct listing {
	struct sub_page page;
	json_t	*out;
};

static int
list_batch(struct txn *tx, void *arg)
{
	struct listing *l = arg;

	json_array_clear(l->out);
	return sub_page_next(tx, &l->page, LIST_BATCH, l->out);
}

static int
print_records(const json_t *a)
{
	json_t *rec, *o;
	size_t i;

	json_array_foreach(a, i, rec) {
		if (!bcast_reaches(filter_topic, rec))
			continue;
		o = sub_export(rec);
		if (cli.json)
			jsonl_write(stdout, o);
		else {
			cli_print_field(jsonl_string(o, "id"), 0);
			cli_print_field(jsonl_string(o, "channel"), 0);
			cli_print_field(jsonl_string(o, "state"), 0);
			cli_print_field(jsonl_string(o, "since"), 0);
			cli_print_field(jsonl_string(o, "last_inbound"), 0);
			cli_print_field(jsonl_string(o, "name"), 1);
		}
		json_decref(o);
	}
	return ferror(stdout) ? -1 : 0;
}

static int
cmd_list(int argc, char **argv)
{
	struct listing l;
	int rc;

	if (argc != 0)
		usage(EX_USAGE);
	sub_page_init(&l.page, filter_chan, filter_state);
	l.out = json_array();
	do {
		if ((rc = store_run(&cli.store, list_batch, &l)) != 0) {
			json_decref(l.out);
			return cli_status(rc);
		}
		if (print_records(l.out) == -1)
			break;
	} while (!l.page.done);
	json_decref(l.out);
	return cli_flush();
}

/* Everything stored about one person: the answer to an access request. */
struct person {
	const char *id;
	json_t	*all;
};

static int
show_batch(struct txn *tx, void *arg)
{
	struct person *p = arg;

	return person_collect(tx, p->id, &p->all);
}

static int
cmd_show(int argc, char **argv)
{
	struct batch_items it = { 0 };
	struct person p;
	size_t i;
	int rc, status = 0;

	if (argc == 0)
		usage(EX_USAGE);
	if (batch_read_ids(&it, argc, argv, stdin) == -1) {
		batch_release(&it);
		return EX_DATAERR;
	}
	for (i = 0; i < it.n && status != EX_IOERR; i++) {
		p.id = it.v[i];
		p.all = NULL;
		rc = store_run(&cli.store, show_batch, &p);
		if (rc == STORE_NOTFOUND) {
			log_errorx("no subscriber '%s'", p.id);
			status = EX_DATAERR;
		} else if (rc != 0) {
			json_decref(p.all);
			status = cli_status(rc);
			break;
		} else if (json_dumpf(p.all, stdout, JSON_SORT_KEYS |
		    (cli.json ? JSON_COMPACT : JSON_INDENT(2))) == -1 ||
		    putchar('\n') == EOF)
			status = EX_IOERR;
		json_decref(p.all);
	}
	batch_release(&it);
	rc = cli_flush();
	return status != 0 ? status : rc;
}

/* Subscribers per channel and state, counted from the state index. */
static size_t counts[CHAN_COUNT][SUB_NSTATES];
/* Active subscribers per topic chosen; [CONF_TOPICS_MAX]: none chosen. */
static size_t topic_counts[CONF_TOPICS_MAX + 1];

static int
count_topics(const void *key, size_t klen, json_t *rec, void *arg)
{
	const json_t *mine = json_object_get(rec, "topics"), *v;
	const char *state = jsonl_string(rec, "state");
	size_t i;
	int t;

	(void)key;
	(void)klen;
	(void)arg;
	if (state == NULL || strcmp(state, "active") != 0)
		return 0;
	if (json_array_size(mine) == 0)
		topic_counts[CONF_TOPICS_MAX]++;
	json_array_foreach(mine, i, v)
		if ((t = conf_topic(&cli.conf, json_string_value(v))) >= 0)
			topic_counts[t]++;
	return 0;
}

static int
stats_batch(struct txn *tx, void *arg)
{
	int rc;

	(void)arg;
	memset(topic_counts, 0, sizeof(topic_counts));
	if ((rc = sub_count(tx, counts)) != 0 || cli.conf.ntopics == 0)
		return rc;
	return sub_each(tx, count_topics, NULL);
}

/* stats, with [topics]: the active subscribers who chose each. */
static void
print_topics(void)
{
	json_t *o;
	size_t i;

	if (cli.conf.ntopics == 0)
		return;
	if (!cli.json)
		printf("\ntopic\tactive\n");
	for (i = 0; i <= cli.conf.ntopics; i++) {
		size_t n = topic_counts[i < cli.conf.ntopics ? i :
		    CONF_TOPICS_MAX];
		const char *name = i < cli.conf.ntopics ?
		    cli.conf.topics[i].name : "(none: everything)";

		if (!cli.json) {
			printf("%s\t%zu\n", name, n);
			continue;
		}
		o = json_pack("{s:s*, s:I}", "topic", i < cli.conf.ntopics ?
		    name : NULL, "active", (json_int_t)n);
		jsonl_write(stdout, o);
		json_decref(o);
	}
}

static int
metrics_fn(struct txn *tx, void *arg)
{
	return metrics_collect(tx, &cli.conf, arg);
}

/* stats -P: the Prometheus text format, for a textfile collector. */
static int
print_metrics(void)
{
	struct metrics m;
	int rc;

	memset(&m, 0, sizeof(m));
	if ((rc = store_run(&cli.store, metrics_fn, &m)) != 0) {
		metrics_release(&m);
		return cli_status(rc);
	}
	rc = metrics_print(stdout, &cli.conf, &m, cli.store.home, time(NULL));
	metrics_release(&m);
	return rc != 0 ? EX_IOERR : cli_flush();
}

static int
cmd_stats(int argc, char **argv)
{
	size_t total[SUB_NSTATES + 1] = { 0 }, sum;
	json_t *o;
	int c, s, rc;

	(void)argv;
	if (argc != 0)
		usage(EX_USAGE);
	if (prometheus)
		return print_metrics();
	if ((rc = store_run(&cli.store, stats_batch, NULL)) != 0)
		return cli_status(rc);
	if (!cli.json) {
		printf("channel");
		for (s = 0; s < SUB_NSTATES; s++)
			printf("\t%s", sub_state_name(s));
		printf("\ttotal\n");
	}
	for (c = 0; c <= CHAN_COUNT; c++) {
		o = json_pack("{s:s}", "channel", c < CHAN_COUNT ?
		    chan_name(c) : "all");
		sum = 0;
		for (s = 0; s < SUB_NSTATES; s++) {
			size_t n = c < CHAN_COUNT ? counts[c][s] : total[s];

			if (c < CHAN_COUNT)
				total[s] += n;
			sum += n;
			json_object_set_new(o, sub_state_name(s),
			    json_integer(n));
		}
		json_object_set_new(o, "total", json_integer(sum));
		if (cli.json)
			jsonl_write(stdout, o);
		else {
			printf("%s", jsonl_string(o, "channel"));
			for (s = 0; s < SUB_NSTATES; s++)
				printf("\t%lld", json_integer_value(
				    json_object_get(o, sub_state_name(s))));
			printf("\t%zu\n", sum);
		}
		json_decref(o);
	}
	print_topics();
	return cli_flush();
}

/* Import: every record is checked before anything is written. */
struct import {
	struct batch_items recs;	/* compact JSON of each checked record */
	time_t	 now;
};

static int
import_one(json_t *exp, const char *name, size_t line, void *arg)
{
	struct import *im = arg;
	char err[256];
	json_t *rec;

	if ((rec = sub_import(exp, im->now, err, sizeof(err))) == NULL)
		return log_errorx("%s:%zu: %s", name, line, err);
	batch_add(&im->recs, json_dumps(rec, JSON_COMPACT));
	json_decref(rec);
	return 0;
}

/* Is each record's ID on the erasure ledger?  result: 1 if so. */
static int
ledger_batch(struct txn *tx, void *arg)
{
	struct batch *b = arg;
	json_t *rec;
	size_t i;
	int rc = 0;

	for (i = b->off; i < b->off + b->len && rc >= 0; i++) {
		rec = json_loads(b->items->v[i], 0, NULL);
		rc = ledger_erased(tx, jsonl_string(rec, "id"), NULL);
		json_decref(rec);
		b->items->result[i] = rc == 1;
	}
	return rc < 0 ? rc : 0;
}

static size_t ledgered;

static void
report_ledgered(struct batch_items *it, size_t i)
{
	json_t *rec;

	if (!it->result[i])
		return;
	ledgered++;
	rec = json_loads(it->v[i], 0, NULL);
	if (force)
		log_warnx("%s: erased on request before; imported all the "
		    "same (-F)", jsonl_string(rec, "id"));
	else
		log_errorx("%s: erased on request before (on the erasure "
		    "ledger); -F imports it all the same",
		    jsonl_string(rec, "id"));
	json_decref(rec);
}

static int
import_batch(struct txn *tx, void *arg)
{
	struct batch *b = arg;
	json_t *rec;
	size_t i;
	int rc;

	for (i = b->off; i < b->off + b->len; i++) {
		rec = json_loads(b->items->v[i], 0, NULL);
		rc = sub_put_new(tx, rec);
		json_decref(rec);
		if (rc != 0 && rc != STORE_EXISTS)
			return rc;
		b->items->result[i] = rc;
	}
	return 0;
}

static void
report_import(struct batch_items *it, size_t i)
{
	json_t *rec;

	if (it->result[i] != STORE_EXISTS)
		return;
	rec = json_loads(it->v[i], 0, NULL);
	log_info("%s: already present, left as it is",
	    jsonl_string(rec, "id"));
	json_decref(rec);
}

static int
cmd_import(int argc, char **argv)
{
	struct import im = { { 0 }, 0 };
	size_t bad = 0, len, i, skipped = 0;
	const char *name;
	char *buf;
	int k, rc;

	im.now = time(NULL);
	for (k = 0; k < (argc > 0 ? argc : 1); k++) {
		name = argc > 0 ? argv[k] : "stdin";
		if (readall(argc > 0 ? name : NULL, &buf, &len) != 0) {
			batch_release(&im.recs);
			return EX_NOINPUT;
		}
		bad += import_parse(name, buf, len, import_one, &im);
		free(buf);
	}
	if (bad > 0) {
		log_errorx("%zu bad record%s, nothing imported", bad,
		    bad == 1 ? "" : "s");
		batch_release(&im.recs);
		return EX_DATAERR;
	}
	/* Nobody who asked to be forgotten comes back unasked. */
	if ((rc = batch_run(&cli.store, &im.recs, BATCH, ledger_batch,
	    report_ledgered)) != 0) {
		batch_release(&im.recs);
		return cli_status(rc);
	}
	if (ledgered > 0 && !force) {
		log_errorx("%zu erased %s, nothing imported", ledgered,
		    ledgered == 1 ? "person" : "people");
		batch_release(&im.recs);
		return EX_DATAERR;
	}
	rc = batch_run(&cli.store, &im.recs, BATCH, import_batch, report_import);
	for (i = 0; i < im.recs.n; i++)
		skipped += im.recs.result[i] == STORE_EXISTS;
	if (rc == 0)
		log_info("imported %zu, %zu already present",
		    im.recs.n - skipped, skipped);
	batch_release(&im.recs);
	return cli_status(rc);
}

static const struct cli_verb verbs[] = {
	{ "add", cmd_add },
	{ "remove", cmd_remove },
	{ "list", cmd_list },
	{ "show", cmd_show },
	{ "stats", cmd_stats },
	{ "import", cmd_import },
	{ NULL, NULL }
};

int
main(int argc, char *argv[])
{
	const char *errstr = NULL;
	int ch, status;

	cli_init(&cli, argv[0]);
	while ((ch = getopt(argc, argv, CLI_OPTIONS "c:FPs:t:")) != -1) {
		if (cli_option(&cli, ch, optarg, usage))
			continue;
		switch (ch) {
		case 'F':
			force = 1;
			break;
		case 'P':
			prometheus = 1;
			break;
		case 'c':
			filter_chan = cli_channel(optarg, usage);
			break;
		case 's':
			if ((filter_state = sub_state_lookup(optarg)) < 0)
				errstr = "unknown state";
			break;
		case 't':
			json_decref(filter_topic);
			filter_topic = json_pack("[s]", optarg);
			break;
		default:
			usage(EX_USAGE);
		}
		if (errstr != NULL) {
			log_errorx("%s '%s'", errstr, optarg);
			usage(EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if ((status = cli_configure(&cli)) != 0)
		return status;
	if (filter_topic != NULL && conf_topic(&cli.conf, json_string_value(
	    json_array_get(filter_topic, 0))) < 0) {
		log_errorx("no topic '%s' in [topics]", json_string_value(
		    json_array_get(filter_topic, 0)));
		return EX_USAGE;
	}
	if (argc > 0 && (((filter_chan >= 0 || filter_state >= 0 ||
	    filter_topic != NULL) &&
	    strcmp(argv[0], "list") != 0) ||
	    (prometheus && strcmp(argv[0], "stats") != 0) ||
	    (force && strcmp(argv[0], "import") != 0 &&
	    strcmp(argv[0], "add") != 0)))
		usage(EX_USAGE);
	status = cli_run_verb(verbs, argc, argv, usage);
	json_decref(filter_topic);
	cli_release(&cli);
	return status;
}

/*
 * hb-purge: erasure that leaves nothing behind -- erase, expire,
 * filter, scrub, and backups that forget the erased: backup, restore,
 * ledger.  See hb-purge(1).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backup.h"
#include "batch.h"
#include "bcast.h"
#include "cli.h"
#include "expire.h"
#include "hb.h"
#include "jsonl.h"
#include "ledger.h"
#include "log.h"
#include "media.h"
#include "person.h"
#include "readall.h"
#include "scrub.h"
#include "sub.h"
#include "timefmt.h"
#include "xalloc.h"

#define FILTER_BATCH	1000	/* lines checked per store session */

static struct cli cli;
static struct person_counts *receipts;	/* one per ID erased */
static size_t erased;			/* how many, for the audit line */
static const char *ledger_arg;		/* restore -l */

static void __attribute__((noreturn))
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: hb-purge [-jqv] [-d dir] [-f file] erase [ID ...]\n"
	    "       hb-purge [-qv] [-d dir] [-f file] expire\n"
	    "       hb-purge [-qv] [-d dir] [-f file] filter\n"
	    "       hb-purge [-qv] [-d dir] [-f file] scrub\n"
	    "       hb-purge [-qv] [-d dir] [-f file] backup dir\n"
	    "       hb-purge [-qv] [-d dir] [-f file] restore [-l ledger] dir\n"
	    "       hb-purge [-jqv] [-d dir] [-f file] ledger\n");
	exit(status);
}

/* One person, one transaction: batch_run's batches are of one. */
static int
erase_one(struct txn *tx, void *arg)
{
	struct batch *b = arg;

	return person_erase(tx, b->items->v[b->off], b->now,
	    &receipts[b->off]);
}

static void
print_receipt(struct batch_items *it, size_t i)
{
	const struct person_counts *c = &receipts[i];
	char when[TIMEFMT_SIZE];
	json_t *o;

	erased++;
	timefmt_rfc3339(time(NULL), when);
	if (!cli.json) {
		printf("%s\tsubscriber %zu\tmessages %zu\tdeliveries %zu\t"
		    "outbox %zu\t%s\n", it->v[i], c->subscribers, c->messages,
		    c->deliveries, c->outbox, when);
		return;
	}
	o = json_pack("{s:s, s:I, s:I, s:I, s:I, s:s}", "id", it->v[i],
	    "subscriber", (json_int_t)c->subscribers, "messages",
	    (json_int_t)c->messages, "deliveries", (json_int_t)c->deliveries,
	    "outbox", (json_int_t)c->outbox, "time", when);
	jsonl_write(stdout, o);
	json_decref(o);
}

static int
cmd_erase(int argc, char **argv)
{
	struct batch_items it = { 0 };
	int rc;

	if (batch_read_ids(&it, argc, argv, stdin) == -1) {
		batch_release(&it);
		return EX_DATAERR;
	}
	receipts = xcalloc(it.n + 1, sizeof(*receipts));
	rc = batch_run(&cli.store, &it, 1, erase_one, print_receipt);
	free(receipts);
	batch_release(&it);
	/* Who erased how many; never whom. */
	if (erased > 0)
		log_audit("%zu %s erased by %s", erased, erased == 1 ?
		    "person" : "people", cli_operator());
	if (rc != 0)
		return cli_status(rc);
	return cli_flush();
}

/*
 * filter: lines in, out those of people not on the ledger, and of those
 * who came back after their erasure (the line's "since" is later).
 */
struct filter {
	char	**lines;
	char	(*ids)[HB_ID_MAX + 1];
	int	*erased;
	time_t	*at;		/* when they were erased */
	size_t	 n;
};

static int
filter_batch(struct txn *tx, void *arg)
{
	struct filter *f = arg;
	size_t i;
	int rc;

	for (i = 0; i < f->n; i++) {
		if (f->ids[i][0] == '\0')
			continue;	/* a blank line */
		if ((rc = ledger_erased(tx, f->ids[i], &f->at[i])) < 0)
			return rc;
		f->erased[i] = rc == 1 &&
		    sub_since_from_line(f->lines[i]) <= f->at[i];
	}
	return 0;
}

/* Check the batch against the ledger and write out what may stay. */
static int
filter_flush(struct filter *f, size_t *kept, size_t *dropped)
{
	size_t i;
	int rc;

	if (f->n > 0 && (rc = store_run(&cli.store, filter_batch, f)) != 0)
		return cli_status(rc);
	for (i = 0; i < f->n; i++) {
		if (f->erased[i])
			(*dropped)++;
		else {
			fputs(f->lines[i], stdout);
			(*kept) += f->ids[i][0] != '\0';
		}
		free(f->lines[i]);
		f->erased[i] = 0;
	}
	f->n = 0;
	return 0;
}

static int
cmd_filter(int argc, char **argv)
{
	struct filter f;
	char *line = NULL, err[256];
	size_t cap = 0, lineno = 0, kept = 0, dropped = 0;
	ssize_t len;
	int rc = 0;

	(void)argv;
	if (argc != 0)
		usage(EX_USAGE);
	f.lines = xcalloc(FILTER_BATCH, sizeof(*f.lines));
	f.ids = xcalloc(FILTER_BATCH, sizeof(*f.ids));
	f.erased = xcalloc(FILTER_BATCH, sizeof(*f.erased));
	f.at = xcalloc(FILTER_BATCH, sizeof(*f.at));
	f.n = 0;
	while (rc == 0 && (len = getline(&line, &cap, stdin)) != -1) {
		lineno++;
		if (strlen(line) != (size_t)len) {
			log_errorx("stdin:%zu: a NUL byte", lineno);
			rc = EX_DATAERR;
			break;
		}
		switch (sub_id_from_line(line, f.ids[f.n], sizeof(f.ids[0]),
		    err, sizeof(err))) {
		case 1:
			f.ids[f.n][0] = '\0';	/* blank: passed on */
			break;
		case -1:
			log_errorx("stdin:%zu: %s", lineno, err);
			rc = EX_DATAERR;
			continue;
		}
		f.lines[f.n++] = xstrdup(line);
		if (f.n == FILTER_BATCH)
			rc = filter_flush(&f, &kept, &dropped);
	}
	if (rc == 0 && ferror(stdin)) {
		log_error("stdin");
		rc = EX_IOERR;
	}
	if (rc == 0)
		rc = filter_flush(&f, &kept, &dropped);
	while (f.n > 0)
		free(f.lines[--f.n]);
	free(line);
	free(f.lines);
	free(f.ids);
	free(f.erased);
	free(f.at);
	if (rc == 0)
		rc = cli_flush();
	if (cli.verbosity >= 0 && rc == 0)
		fprintf(stderr, "hb-purge: %zu kept, %zu erased %s removed\n",
		    kept, dropped, dropped == 1 ? "person" : "people");
	return rc;
}

static int
cmd_expire(int argc, char **argv)
{
	struct expire_report r;
	int rc;

	(void)argv;
	if (argc != 0)
		usage(EX_USAGE);
	if ((rc = expire_run(&cli.store, &cli.conf, time(NULL), &r)) != 0)
		return cli_status(rc);
	if (cli.verbosity >= 0)
		fprintf(stderr, "hb-purge: expired %zu messages, %zu delivery "
		    "records (%zu broadcasts keep their counts), %zu stopped "
		    "or unreachable subscribers\n", r.messages, r.deliveries,
		    r.broadcasts, r.subscribers);
	return 0;
}

static int
wanted_fn(struct txn *tx, void *arg)
{
	json_object_clear(arg);
	return bcast_media_wanted(tx, arg);
}

static int
is_wanted(const char *sha, void *arg)
{
	return json_object_get(arg, sha) != NULL;
}

static int
cmd_scrub(int argc, char **argv)
{
	struct scrub_report r;
	json_t *wanted;
	size_t media;
	int rc;

	(void)argv;
	if (argc != 0)
		usage(EX_USAGE);
	if ((rc = scrub_store(&cli.store, &r)) == SCRUB_JOURNAL) {
		log_errorx("a sender's journal is not empty: run hb-broadcast "
		    "run first");
		return EX_TEMPFAIL;
	}
	/* The pictures and documents no broadcast will send any more. */
	wanted = json_object();
	if (rc == 0)
		rc = store_run(&cli.store, wanted_fn, wanted);
	media = rc == 0 ? media_sweep(&cli.conf, is_wanted, wanted) : 0;
	json_decref(wanted);
	if (rc != 0)
		return cli_status(rc);
	if (cli.verbosity >= 0)
		fprintf(stderr, "hb-purge: scrubbed: %zu files rewritten, %zu "
		    "old log files, %zu abandoned webhook bodies and %zu "
		    "attachments removed; %lld bytes before, %lld after\n",
		    r.files, r.logs, r.spool, media, (long long)r.before,
		    (long long)r.after);
	return 0;
}

static int
cmd_backup(int argc, char **argv)
{
	struct backup_report r;
	int rc;

	if (argc != 1)
		usage(EX_USAGE);
	if ((rc = backup_take(&cli.store, argv[0], &r)) != 0)
		return rc == BACKUP_NOT_EMPTY ? EX_CANTCREAT : cli_status(rc);
	log_info("backup: %zu files, %lld bytes", r.files, r.bytes);
	return 0;
}

/* The entries of an exported ledger (hb-purge ledger's lines). */
static int
read_ledger(const char *path, struct ledger_entry **v, size_t *n)
{
	char *buf, *line, *next;
	size_t len, lineno = 0;

	*v = NULL;
	*n = 0;
	if (readall(path, &buf, &len) != 0)
		return EX_NOINPUT;
	for (line = buf; line != NULL && *line != '\0'; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (*line == '\0')
			continue;
		*v = xreallocarray(*v, *n + 1, sizeof(**v));
		if (ledger_parse(line, &(*v)[*n]) == -1) {
			log_errorx("%s:%zu: not a line of hb-purge ledger",
			    path, lineno);
			free(buf);
			free(*v);
			*v = NULL;
			return EX_DATAERR;
		}
		(*n)++;
	}
	free(buf);
	return 0;
}

static int
cmd_restore(int argc, char **argv)
{
	struct backup_report r;
	struct ledger_entry *newer = NULL;
	char when[TIMEFMT_SIZE];
	size_t n = 0;
	int rc;

	if (argc != 1)
		usage(EX_USAGE);
	if (ledger_arg != NULL && (rc = read_ledger(ledger_arg, &newer,
	    &n)) != 0)
		return rc;
	rc = backup_restore(&cli.store, argv[0], newer, n, &r);
	free(newer);
	if (rc == BACKUP_NOT_EMPTY)
		return EX_CANTCREAT;
	if (rc == BACKUP_INCOMPLETE)
		return EX_NOINPUT;
	if (rc != 0)
		return cli_status(rc);
	timefmt_rfc3339(r.taken, when);
	if (ledger_arg == NULL)
		log_warnx("restored the backup of %s without a newer ledger "
		    "(-l): people erased since are not erased again", when);
	log_audit("backup of %s restored by %s: %zu newer ledger entries, "
	    "%zu %s erased again", when, cli_operator(), r.kept, r.erased,
	    r.erased == 1 ? "person" : "people");
	return 0;
}

static int
print_entry(const struct ledger_entry *le, void *arg)
{
	char line[LEDGER_LINE_SIZE];
	json_t *o;
	char *tab;

	(void)arg;
	ledger_format(le, line);
	if (!cli.json) {
		puts(line);
		return 0;
	}
	tab = strchr(line, '\t');
	*tab = '\0';
	o = json_pack("{s:s, s:s}", "hash", line, "time", tab + 1);
	jsonl_write(stdout, o);
	json_decref(o);
	return 0;
}

static int
ledger_fn(struct txn *tx, void *arg)
{
	(void)arg;
	return ledger_each(tx, print_entry, NULL);
}

static int
cmd_ledger(int argc, char **argv)
{
	int rc;

	(void)argv;
	if (argc != 0)
		usage(EX_USAGE);
	if ((rc = store_run(&cli.store, ledger_fn, NULL)) != 0)
		return cli_status(rc);
	return cli_flush();
}

static const struct cli_verb verbs[] = {
	{ "backup", cmd_backup },
	{ "ledger", cmd_ledger },
	{ "restore", cmd_restore },
	{ "erase", cmd_erase },
	{ "expire", cmd_expire },
	{ "filter", cmd_filter },
	{ "scrub", cmd_scrub },
	{ NULL, NULL }
};

int
main(int argc, char *argv[])
{
	int ch, status;

	cli_init(&cli, argv[0]);
	while ((ch = getopt(argc, argv, CLI_OPTIONS "l:")) != -1)
		if (ch == 'l')
			ledger_arg = optarg;
		else if (!cli_option(&cli, ch, optarg, usage))
			usage(EX_USAGE);
	argc -= optind;
	argv += optind;
	if (ledger_arg != NULL && (argc == 0 || strcmp(argv[0], "restore") != 0))
		usage(EX_USAGE);
	if ((status = cli_configure(&cli)) != 0)
		return status;
	status = cli_run_verb(verbs, argc, argv, usage);
	cli_release(&cli);
	return status;
}

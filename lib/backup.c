/* backup.c: copies of the store that forget the erased; see backup.h. */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "backup.h"
#include "hb.h"
#include "jsonl.h"
#include "log.h"
#include "person.h"
#include "readall.h"
#include "scrub.h"
#include "xalloc.h"

#define INFO	"backup.info"

/*
 * Is name one of the store's own files, to be copied?  Not the locks,
 * not Berkeley DB's region files (each environment makes its own), not
 * the spool (its bodies are not committed, their webhooks not answered).
 */
static int
belongs(const char *name)
{
	return name[0] != '.' && strcmp(name, "lock") != 0 &&
	    strcmp(name, "send.lock") != 0 && strncmp(name, "__db.", 5) != 0 &&
	    strcmp(name, INFO) != 0;
}

/* Make the directory fsync'd, so that the names in it are durable. */
static int
sync_dir(const char *dir)
{
	int fd, rc;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return log_error("'%s'", dir);
	rc = fsync(fd);
	close(fd);
	return rc == 0 ? 0 : log_error("'%s'", dir);
}

/* Copy from to the new file to, owner-only, synced. */
static int
copy_file(const char *from, const char *to, struct backup_report *r)
{
	char buf[65536];
	ssize_t n = 0;
	int in, out;

	if ((in = open(from, O_RDONLY | O_CLOEXEC)) == -1)
		return log_error("'%s'", from);
	if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1) {
		close(in);
		return log_error("'%s'", to);
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, n) != n) {
			n = -1;
			break;
		}
		r->bytes += n;
	}
	if (n == 0 && fsync(out) == -1)
		n = -1;
	close(in);
	if (close(out) == -1 || n != 0)
		return log_error("'%s'", to);
	r->files++;
	return 0;
}

/* Copy the store's files of directory from (and its media/) into to. */
static int
copy_dir(const char *from, const char *to, int top, struct backup_report *r)
{
	char src[PATH_MAX], dst[PATH_MAX];
	struct dirent *d;
	struct stat sb;
	DIR *dp;
	int rc = 0;

	if ((dp = opendir(from)) == NULL)
		return errno == ENOENT && !top ? 0 : log_error("'%s'", from);
	while (rc == 0 && (d = readdir(dp)) != NULL) {
		if (!belongs(d->d_name))
			continue;
		if ((size_t)snprintf(src, sizeof(src), "%s/%s", from,
		    d->d_name) >= sizeof(src) || (size_t)snprintf(dst,
		    sizeof(dst), "%s/%s", to, d->d_name) >= sizeof(dst)) {
			rc = log_errorx("'%s/%s' is too long a path", from,
			    d->d_name);
			break;
		}
		if (lstat(src, &sb) == -1)
			rc = log_error("'%s'", src);
		else if (S_ISREG(sb.st_mode))
			rc = copy_file(src, dst, r);
		else if (S_ISDIR(sb.st_mode) && top &&
		    strcmp(d->d_name, "media") == 0) {
			if (mkdir(dst, 0700) == -1 && errno != EEXIST)
				rc = log_error("'%s'", dst);
			else
				rc = copy_dir(src, dst, 0, r);
		}
	}
	closedir(dp);
	return rc == 0 ? sync_dir(to) : rc;
}

/* A directory to write into: made, or there and empty but for skip. */
static int
empty_dir(const char *dir, int (*skip)(const char *))
{
	struct dirent *d;
	DIR *dp;
	int used = 0;

	if (mkdir(dir, 0700) == 0)
		return 0;
	if (errno != EEXIST || (dp = opendir(dir)) == NULL)
		return log_error("'%s'", dir);
	while (!used && (d = readdir(dp)) != NULL)
		used = strcmp(d->d_name, ".") != 0 &&
		    strcmp(d->d_name, "..") != 0 && !skip(d->d_name);
	closedir(dp);
	return used ? BACKUP_NOT_EMPTY : 0;
}

static int
skip_nothing(const char *name)
{
	(void)name;
	return 0;
}

/* What an unused store directory holds: the lock and an empty spool. */
static int
skip_fresh(const char *name)
{
	return strcmp(name, "lock") == 0 || strcmp(name, "spool") == 0;
}

static int
make_key_fn(struct txn *tx, void *arg)
{
	(void)arg;
	return ledger_have_key(tx, 1);
}

static int
write_info(const char *dir, time_t taken)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	json_t *o;
	int rc;

	(void)snprintf(path, sizeof(path), "%s/" INFO, dir);
	(void)snprintf(tmp, sizeof(tmp), "%s/" INFO ".tmp", dir);
	o = json_pack("{s:i, s:I}", "v", 1, "taken", (json_int_t)taken);
	rc = json_dump_file(o, tmp, JSON_COMPACT);
	json_decref(o);
	if (rc == -1 || rename(tmp, path) == -1)
		return log_error("'%s'", path);
	return sync_dir(dir);
}

int
backup_take(const struct store_opts *o, const char *dir,
    struct backup_report *r)
{
	struct store *st;
	int lockfd, fd, rc;

	memset(r, 0, sizeof(*r));
	if ((rc = empty_dir(dir, skip_nothing)) != 0) {
		if (rc == BACKUP_NOT_EMPTY)
			log_errorx("'%s' is not empty", dir);
		return rc;
	}
	if ((rc = store_lock(o, o->lock_wait, &lockfd)) != 0)
		return rc;
	r->taken = time(NULL);
	/* The store gets a dup: the lock stays ours while we copy. */
	if ((fd = dup(lockfd)) == -1)
		rc = log_error("dup");
	else if ((rc = store_open_locked(&st, o, fd)) == 0) {
		if ((rc = store_txn(st, make_key_fn, NULL)) == 0)
			rc = store_checkpoint(st);
		if (store_close(st) != 0 && rc == 0)
			rc = -1;
	}
	if (rc == 0)
		rc = copy_dir(o->home, dir, 1, r);
	store_unlock(lockfd);
	return rc == 0 ? write_info(dir, r->taken) : rc;
}

/* The restore's work inside the store. */
struct again {
	struct ledger_entry *v;	/* to erase again, sorted by hash */
	size_t	 n;
	const struct ledger_entry *newer;
	size_t	 nnewer;
	json_t	*ids;		/* every ID in the store: its person's ID */
	struct backup_report *r;
};

static int
by_hash(const void *a, const void *b)
{
	return memcmp(((const struct ledger_entry *)a)->hash,
	    ((const struct ledger_entry *)b)->hash, LEDGER_HASH_SIZE);
}

/*
 * Which of the newer entries does the copy not know (or know with an
 * older time: erased again after coming back)?  Keep them all.
 */
static int
sort_out_fn(struct txn *tx, void *arg)
{
	struct again *a = arg;
	time_t have;
	size_t i;
	int rc;

	a->n = 0;
	a->r->kept = 0;
	if (a->nnewer == 0)
		return 0;
	/* Entries made with a key the copy lacks would match nobody. */
	if ((rc = ledger_have_key(tx, 0)) != 0) {
		if (rc == 1)
			log_errorx("store: the backup has no ledger.key, so "
			    "the newer ledger cannot be matched");
		return rc == 1 ? LEDGER_NOKEY : rc;
	}
	for (i = 0; i < a->nnewer; i++) {
		if ((rc = ledger_lookup(tx, a->newer[i].hash, &have)) < 0)
			return rc;
		if (rc == 0 || have < a->newer[i].when) {
			a->v[a->n++] = a->newer[i];
			a->r->kept++;
		}
		if ((rc = ledger_keep(tx, &a->newer[i])) != 0)
			return rc;
	}
	qsort(a->v, a->n, sizeof(*a->v), by_hash);
	return 0;
}

static void
add_id(json_t *ids, const char *id, size_t len, const char *person)
{
	char *s = xstrndup(id, len);

	if (json_object_get(ids, s) == NULL)
		json_object_set_new(ids, s, json_string(person != NULL ?
		    person : s));
	free(s);
}

/* A subscriber: its ID, and its alias (WhatsApp's BSUID) as an ID. */
static int
each_sub(const void *key, size_t klen, json_t *v, void *arg)
{
	char *id = xstrndup(key, klen), alias[HB_ID_MAX + 1];
	const char *a = jsonl_string(v, "alias");

	add_id(arg, id, klen, NULL);
	if (a != NULL && (size_t)snprintf(alias, sizeof(alias), "%.*s:%s",
	    (int)strcspn(id, ":"), id, a) < sizeof(alias))
		add_id(arg, alias, strlen(alias), id);
	free(id);
	return 0;
}

/* A record of a person's (message, delivery, outbox): its "id". */
static int
each_part(const void *key, size_t klen, json_t *v, void *arg)
{
	const char *id = jsonl_string(v, "id");

	(void)key;
	(void)klen;
	if (id != NULL)
		add_id(arg, id, strlen(id), NULL);
	return 0;
}

static int
collect_fn(struct txn *tx, void *arg)
{
	static const enum store_table parts[] = { T_MESSAGES, T_DELIVERIES,
	    T_OUTBOX };
	struct again *a = arg;
	size_t i;
	int rc;

	json_object_clear(a->ids);
	if ((rc = store_each(tx, T_SUBSCRIBERS, NULL, 0, each_sub,
	    a->ids)) != 0)
		return rc;
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if ((rc = store_each(tx, parts[i], NULL, 0, each_part,
		    a->ids)) != 0)
			return rc;
	return 0;
}

/* The people the newer ledger names: a->ids whose hash is in a->v. */
static int
match_fn(struct txn *tx, void *arg)
{
	struct again *a = arg;
	struct ledger_entry probe;
	const char *id;
	json_t *person, *targets;
	int rc;

	targets = json_object();
	json_object_foreach(a->ids, id, person) {
		if ((rc = ledger_hash_id(tx, id, probe.hash)) != 0) {
			json_decref(targets);
			return rc == 1 ? 0 : rc;
		}
		if (bsearch(&probe, a->v, a->n, sizeof(*a->v), by_hash) != NULL)
			json_object_set(targets, json_string_value(person),
			    json_true());
	}
	json_decref(a->ids);
	a->ids = targets;
	return 0;
}

static int
forget_fn(struct txn *tx, void *arg)
{
	struct person_counts c;

	memset(&c, 0, sizeof(c));
	return person_forget(tx, arg, &c);
}

/* Inside the restored store, still under the lock: forget again. */
static int
erase_again(struct store *st, struct again *a)
{
	const char *id;
	json_t *v;
	int rc;

	if ((rc = store_txn(st, sort_out_fn, a)) != 0 || a->n == 0 ||
	    (rc = store_txn(st, collect_fn, a)) != 0 ||
	    (rc = store_txn(st, match_fn, a)) != 0)
		return rc;
	json_object_foreach(a->ids, id, v) {
		if ((rc = store_txn(st, forget_fn, (void *)id)) != 0)
			return rc;
		a->r->erased++;
	}
	return 0;
}

static int
read_info(const char *dir, time_t *taken)
{
	char path[PATH_MAX];
	json_t *o;

	(void)snprintf(path, sizeof(path), "%s/" INFO, dir);
	if ((o = json_load_file(path, 0, NULL)) == NULL) {
		log_errorx("'%s' is not a whole backup: no " INFO, dir);
		return BACKUP_INCOMPLETE;
	}
	*taken = (time_t)json_integer_value(json_object_get(o, "taken"));
	json_decref(o);
	return 0;
}

int
backup_restore(const struct store_opts *o, const char *dir,
    const struct ledger_entry *newer, size_t n, struct backup_report *r)
{
	struct again a = { NULL, 0, newer, n, NULL, r };
	struct scrub_report sr;
	struct store *st;
	int lockfd, fd, rc;

	memset(r, 0, sizeof(*r));
	if ((rc = read_info(dir, &r->taken)) != 0)
		return rc;
	if ((rc = empty_dir(o->home, skip_fresh)) != 0) {
		if (rc == BACKUP_NOT_EMPTY)
			log_errorx("'%s' is not empty: restore into a new "
			    "store directory", o->home);
		return rc;
	}
	/* Nobody may come in before the erased are gone again. */
	if ((rc = store_lock(o, o->lock_wait, &lockfd)) != 0)
		return rc;
	if ((rc = empty_dir(o->home, skip_fresh)) == 0 &&
	    (rc = copy_dir(dir, o->home, 1, r)) == 0)
		rc = store_recover(o);
	if (rc == 0) {
		a.v = xreallocarray(NULL, n + 1, sizeof(*a.v));
		a.ids = json_object();
		if ((fd = dup(lockfd)) == -1)
			rc = log_error("dup");
		else if ((rc = store_open_locked(&st, o, fd)) == 0) {
			rc = erase_again(st, &a);
			if (store_close(st) != 0 && rc == 0)
				rc = -1;
		}
		json_decref(a.ids);
		free(a.v);
	}
	store_unlock(lockfd);
	if (rc != 0 || r->erased == 0)
		return rc;
	/* Not a byte of them in free pages or logs either. */
	if ((rc = scrub_store(o, &sr)) == SCRUB_JOURNAL) {
		log_warnx("the backup holds a sender's journal: run "
		    "hb-broadcast run, then hb-purge scrub");
		rc = 0;
	}
	return rc;
}

/*
 * store.c: the Berkeley DB store; see store.h for the discipline and
 * schema.c for the tables.
 *
 * Longer than the other files, and one concern that reads straight
 * through, top to bottom: the lock and the watchdog, the environment
 * and its recovery, the tables and their indexes, then the record API
 * (get, put, walks, counters) over Berkeley DB.  It is the only file
 * that includes <db.h> besides scrub.c.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <db.h>

#include "hb.h"
#include "lockfile.h"
#include "log.h"
#include "schema.h"
#include "store.h"
#include "store_impl.h"
#include "xalloc.h"

#define STORE_MAGIC	0x68627374u	/* "hbst" */

struct store {
	unsigned magic;
	char	*home;
	mode_t	 mode;		/* of the files it creates */
	DB_ENV	*env;
	DB	*db[T_COUNT];
	DB	*ix[I_COUNT];
	int	 lockfd;
};

struct txn {
	struct store *st;
	DB_TXN	*t;
};

/*
 * All sizing of the environment.  Whichever process creates or recovers
 * the environment reads it, so every process sets it up the same way
 * (bdb.md §2).  Logs are removed as soon as no recovery needs them:
 * erasure matters more here than catastrophic recovery from old logs.
 *
 * There is no lock region: the store's lock file lets one process in at
 * a time, so Berkeley DB's own locking would only cost (a fifth of a
 * webhook's CPU, measured, most of it page faults in the lock and mutex
 * regions).  For the same reason the cache's hash buckets share a few
 * mutexes instead of one each.
 */
static const char db_config[] =
    "# Written by hb; changes are overwritten.\n"
    "set_cachesize 0 33554432 1\n"
    "set_mp_mtxcount 64\n"
    "set_lg_max 1048576\n"
    "set_lg_regionmax 1048576\n"
    "log_set_config DB_LOG_AUTO_REMOVE\n";

/*
 * SIGALRM does two jobs.  While waiting for the lock it interrupts
 * flock(); once inside the store it is the watchdog: a process that is
 * still inside after the watchdog's time is stuck (blocked for ever on a
 * dead process's mutex, bdb.md §2) and ends, leaving recovery to the
 * next opener.
 */
static volatile sig_atomic_t inside;

static void
on_alarm(int sig)
{
	static const char msg[] = "hb: stuck inside the store, "
	    "the watchdog ends this process\n";

	(void)sig;
	if (inside) {
		(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
		_exit(EX_TEMPFAIL);
	}
}

/*
 * SIGBUS inside the store is the disk filling up: Berkeley DB grows its
 * region files (the cache) through memory maps, and a page it touches
 * that the file system cannot give faults.  The process ends as a
 * killed one would, which the next opener recovers, but it says why and
 * exits 75, and the program's last words (a CGI's 503) go first.
 * Outside the store SIGBUS is what it always is.
 */
static void (*last_words)(void);

static void
on_bus(int sig)
{
	static const char msg[] = "hb: the disk is full, the store could not "
	    "grow; try again later\n";

	if (!inside) {
		(void)signal(sig, SIG_DFL);
		(void)raise(sig);
		return;
	}
	if (last_words != NULL)
		last_words();
	(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
	_exit(EX_TEMPFAIL);
}

void
store_last_words(void (*fn)(void))
{
	last_words = fn;
}

static void
set_alarm(unsigned seconds)
{
	struct itimerval it;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART: flock gets EINTR */
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGALRM, &sa, NULL);
	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = seconds;
	(void)setitimer(ITIMER_REAL, &it, NULL);
}

/* Set once the disk or the environment failed the store; see store_failing. */
static int failing;

int
store_failing(void)
{
	return failing;
}

void
store_fail(void)
{
	failing = 1;
}

/* Turn a Berkeley DB error into a store result, logging real errors. */
static int
dberr(int rc, const char *what)
{
	if (rc == ENOSPC || rc == EDQUOT || rc == EIO || rc == EROFS ||
	    rc == DB_RUNRECOVERY)
		failing = 1;
	switch (rc) {
	case 0:
		return STORE_OK;
	case DB_NOTFOUND:
	case DB_KEYEMPTY:
		return STORE_NOTFOUND;
	case DB_KEYEXIST:
		return STORE_EXISTS;
	case DB_RUNRECOVERY:
		log_errorx("store: %s: the store needs recovery, which the "
		    "next run does", what);
		return STORE_BUSY;
	default:
		return log_errorx("store: %s: %s", what, db_strerror(rc));
	}
}

static void
on_db_error(const DB_ENV *env, const char *pfx, const char *msg)
{
	(void)env;
	(void)pfx;
	log_errorx("store: %s", msg);
}

/*
 * Write DB_CONFIG unless it says what db_config says: 0 if it did, or
 * if it was right already; 1 if it replaced another one, whose sizing
 * the environment's regions still have; -1 after a message.
 */
static int
write_db_config(const char *home, mode_t mode)
{
	char path[PATH_MAX], tmp[PATH_MAX], cur[sizeof(db_config) + 1];
	ssize_t n = -1;
	int fd;

	if (store_path(path, sizeof(path), home, "DB_CONFIG") == -1 ||
	    store_path(tmp, sizeof(tmp), home, "DB_CONFIG.tmp") == -1)
		return -1;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) != -1) {
		n = read(fd, cur, sizeof(cur));
		close(fd);
	}
	if (n == (ssize_t)sizeof(db_config) - 1 &&
	    memcmp(cur, db_config, n) == 0)
		return 0;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    mode)) == -1)
		return log_error("store: '%s'", tmp);
	if (write(fd, db_config, sizeof(db_config) - 1) !=
	    (ssize_t)sizeof(db_config) - 1 || fsync(fd) == -1) {
		close(fd);
		return log_error("store: '%s'", tmp);
	}
	close(fd);
	if (rename(tmp, path) == -1)
		return log_error("store: '%s'", path);
	return n != -1;
}

/*
 * Make dir with mode if need be.  With a group, it is the group's, and
 * the mode is put right on a directory made by an older hb.
 */
static int
make_dir(const struct store_opts *o, const char *dir, mode_t mode)
{
	struct stat sb;

	if (stat(dir, &sb) == 0) {
		if (!S_ISDIR(sb.st_mode))
			return log_errorx("store: '%s' is not a directory",
			    dir);
		if ((sb.st_mode & 07777) == mode || sb.st_uid != geteuid())
			return 0;
	} else if (errno != ENOENT)
		return log_error("store: '%s'", dir);
	else if (mkdir(dir, mode) == -1 && errno != EEXIST)
		return log_error("store: cannot create '%s'", dir);
	/* chmod: mkdir's mode went through the umask. */
	if ((o->has_group && chown(dir, (uid_t)-1, o->gid) == -1) ||
	    chmod(dir, mode) == -1)
		return log_error("store: '%s'", dir);
	return 0;
}

/*
 * The store directory and its spool.  With a group (the web server's,
 * hb(7)), the group may pass through the store directory to the spool
 * and put webhooks there, and nothing else: every other file is the
 * owner's alone.  New files in the spool get the group through its
 * setgid bit, so that the owner (a member) can read a guest's body.
 */
static int
make_home(const struct store_opts *o)
{
	char spool[PATH_MAX];

	if (store_path(spool, sizeof(spool), o->home, "spool") == -1 ||
	    make_dir(o, o->home, o->has_group ? 0710 : 0700) == -1)
		return -1;
	return make_dir(o, spool, o->has_group ? 02730 : 0700);
}

/*
 * Take the store's lock, waiting at most `wait' seconds.  Only the
 * owner can: the lock file is the owner's alone (flock works on a
 * descriptor open for reading, so a readable lock is anybody's).
 */
static int
take_lock(const char *home, unsigned wait)
{
	char path[PATH_MAX];
	struct stat sb;
	int fd, rc, saved;

	if (store_path(path, sizeof(path), home, "lock") == -1 ||
	    (rc = lockfile_take(path, 0600, &fd)) == -1)
		return -1;
	/* One an older hb made readable by the group is put right. */
	if (fstat(fd, &sb) == 0 && (sb.st_mode & 077) != 0)
		(void)fchmod(fd, 0600);
	if (rc == 0)
		return fd;
	if (wait == 0) {
		close(fd);	/* only a try */
		return -2;
	}
	log_debug("waiting for the store's lock");
	set_alarm(wait);
	rc = flock(fd, LOCK_EX);
	saved = errno;
	set_alarm(0);
	if (rc == 0)
		return fd;
	close(fd);
	if (saved == EINTR) {
		log_errorx("store: '%s' is busy (waited %u s), try again "
		    "later", home, wait);
		return -2;
	}
	errno = saved;
	log_error("store: lock '%s'", path);
	return -1;
}

static int
open_env(struct store *st, const char *home, mode_t mode, u_int32_t flags)
{
	int rc;

	if ((rc = db_env_create(&st->env, 0)) != 0)
		return dberr(rc, "db_env_create");
	st->env->set_errcall(st->env, on_db_error);
	rc = st->env->open(st->env, home, flags, mode);
	if (rc != 0) {
		(void)st->env->close(st->env, 0);
		st->env = NULL;
	}
	return rc;
}

static int
open_db(struct store *st, DB **dbp, const char *file, u_int32_t dbflags,
    mode_t mode)
{
	DB *db;
	int rc;

	if ((rc = db_create(&db, st->env, 0)) != 0)
		return dberr(rc, file);
	if (dbflags != 0 && (rc = db->set_flags(db, dbflags)) != 0) {
		(void)db->close(db, 0);
		return dberr(rc, file);
	}
	if ((rc = db->open(db, NULL, file, NULL, DB_BTREE,
	    DB_CREATE | DB_AUTO_COMMIT, mode)) != 0) {
		(void)db->close(db, 0);
		return dberr(rc, file);
	}
	*dbp = db;
	return 0;
}

/* Berkeley DB asks an index for the key of a record it writes. */
static int index_key(DB *, const DBT *, const DBT *, DBT *);

/*
 * Open table t and every index of it, if not open yet.  A primary is
 * never written without its secondaries associated: that would leave a
 * stale index entry, which is personal data (bdb.md §4).
 */
static int
open_table(struct store *st, enum store_table t)
{
	const struct index_def *ix;
	int i, rc;

	if (st->db[t] != NULL)
		return 0;
	if (open_db(st, &st->db[t], schema_tables[t].file, 0, st->mode) != 0)
		return -1;
	for (i = 0; i < I_COUNT; i++) {
		ix = &schema_indexes[i];
		if (ix->primary != t)
			continue;
		if (open_db(st, &st->ix[i], ix->file, DB_DUPSORT,
		    st->mode) != 0)
			return -1;
		st->ix[i]->app_private = (void *)ix;
		if ((rc = st->db[t]->associate(st->db[t], NULL, st->ix[i],
		    index_key, 0)) != 0)
			return dberr(rc, ix->file);
	}
	return 0;
}

/* Does the store directory hold file?  0 or -1. */
static int
access_db(const char *home, const char *file)
{
	char path[PATH_MAX];

	if (store_path(path, sizeof(path), home, file) == -1)
		return -1;
	return access(path, F_OK);
}

/* The handle of table t, opened if need be; NULL after a message. */
static DB *
table(struct txn *tx, enum store_table t)
{
	return open_table(tx->st, t) == 0 ? tx->st->db[t] : NULL;
}

/* The handle of index i, its table opened if need be. */
static DB *
index_db(struct txn *tx, enum store_index i)
{
	return open_table(tx->st, schema_indexes[i].primary) == 0 ?
	    tx->st->ix[i] : NULL;
}

static int
index_key(DB *sec, const DBT *pkey, const DBT *pdata, DBT *skey)
{
	const struct index_def *ix = sec->app_private;
	size_t klen;
	void *key;

	(void)pkey;
	switch (schema_index_key(ix, pdata->data, pdata->size, &key, &klen)) {
	case 0:
		memset(skey, 0, sizeof(*skey));
		skey->data = key;
		skey->size = klen;
		skey->flags = DB_DBT_APPMALLOC;
		return 0;
	case 1:
		return DB_DONOTINDEX;
	default:
		return EINVAL;
	}
}

static int
check_schema(struct txn *tx, void *arg)
{
	json_t *v;
	json_int_t have;
	int rc;

	(void)arg;
	rc = store_get(tx, T_META, "schema", 6, &v);
	if (rc == STORE_NOTFOUND) {
		v = json_pack("{s:i, s:I}", "v", STORE_SCHEMA, "created",
		    (json_int_t)time(NULL));
		rc = store_put(tx, T_META, "schema", 6, v, 0);
		json_decref(v);
		return rc;
	}
	if (rc != 0)
		return rc;
	have = json_integer_value(json_object_get(v, "v"));
	json_decref(v);
	if (have != STORE_SCHEMA)
		return log_errorx("store: schema version %lld, this hb "
		    "knows %d", (long long)have, STORE_SCHEMA);
	return 0;
}

int
store_path(char *buf, size_t size, const char *home, const char *name)
{
	int n = snprintf(buf, size, "%s/%s", home, name);

	if (n < 0 || (size_t)n >= size)
		return log_errorx("store: '%s/%s' is too long a path", home,
		    name);
	return 0;
}

int
store_make_home(const struct store_opts *o)
{
	(void)umask(077);
	return make_home(o);
}

int
store_mine(const struct store_opts *o)
{
	struct stat sb;

	if (stat(o->home, &sb) == -1)
		return errno == ENOENT ? 1 : log_error("store: '%s'", o->home);
	return sb.st_uid == geteuid();
}

int
store_lock(const struct store_opts *o, unsigned wait, int *lockfd)
{
	int fd;

	if (store_make_home(o) == -1)
		return -1;
	if ((fd = take_lock(o->home, wait)) < 0)
		return fd == -2 ? STORE_BUSY : -1;
	*lockfd = fd;
	return 0;
}

void
store_unlock(int lockfd)
{
	close(lockfd);
}

int
store_open(struct store **stp, const struct store_opts *o)
{
	int fd, rc;

	if ((rc = store_lock(o, o->lock_wait, &fd)) != 0)
		return rc;
	return store_open_locked(stp, o, fd);
}

int
store_open_locked(struct store **stp, const struct store_opts *o, int lockfd)
{
	const u_int32_t env_flags = DB_CREATE | DB_INIT_TXN | DB_INIT_LOG |
	    DB_INIT_MPOOL | DB_REGISTER | DB_RECOVER;
	mode_t mode = 0600;
	struct store *st;
	int maj, min, rc, i, resized;

	(void)db_version(&maj, &min, NULL);
	if (maj != DB_VERSION_MAJOR || min != DB_VERSION_MINOR) {
		store_unlock(lockfd);
		return log_errorx("store: built for Berkeley DB %d.%d, runs "
		    "with %d.%d", DB_VERSION_MAJOR, DB_VERSION_MINOR, maj, min);
	}
	st = xcalloc(1, sizeof(*st));
	st->magic = STORE_MAGIC;
	st->home = xstrdup(o->home);
	st->lockfd = lockfd;
	inside = 1;
	(void)signal(SIGBUS, on_bus);
	set_alarm(o->watchdog != 0 ? o->watchdog : 60);

	if ((resized = write_db_config(o->home, mode)) == -1)
		goto fail;
	rc = resized ? DB_RUNRECOVERY : open_env(st, o->home, mode, env_flags);
	if (rc == DB_RUNRECOVERY) {
		/*
		 * A panicked environment with no dead process in the
		 * registry, or one whose regions were made by an older
		 * DB_CONFIG.  The lock guarantees nobody else is inside,
		 * so recover it outright (which makes the regions anew)
		 * and join again.
		 */
		log_warnx("store: recovering '%s'%s", o->home, resized ?
		    " for its new DB_CONFIG" : "");
		if ((rc = open_env(st, o->home, mode, env_flags &
		    ~DB_REGISTER)) == 0) {
			(void)st->env->close(st->env, 0);
			st->env = NULL;
			rc = open_env(st, o->home, mode, env_flags);
		}
	}
	if (rc != 0) {
		dberr(rc, o->home);
		goto fail;
	}
	/*
	 * Tables open on first use (open_table), with all their indexes:
	 * a webhook touches half of them, and each costs some 40 us.  A new
	 * store gets every file now, so that later opens never create one
	 * beside a running transaction.
	 */
	st->mode = mode;
	if (access_db(o->home, schema_tables[T_META].file) == -1)
		for (i = 0; i < T_COUNT; i++)
			if (open_table(st, i) != 0)
				goto fail;
	if ((rc = store_txn(st, check_schema, NULL)) != 0)
		goto fail_rc;
	*stp = st;
	return 0;
fail:
	rc = -1;
fail_rc:
	(void)store_close(st);
	return rc;
}

DB_ENV *
store_env(struct store *st)
{
	return st->env;
}

mode_t
store_mode(const struct store *st)
{
	return st->mode;
}

int
store_dberr(int rc, const char *what)
{
	return dberr(rc, what);
}

int
store_close_tables(struct store *st)
{
	int i, rc, ret = 0;

	for (i = I_COUNT - 1; i >= 0; i--) {
		if (st->ix[i] != NULL && (rc = st->ix[i]->close(st->ix[i],
		    0)) != 0)
			ret = dberr(rc, "close");
		st->ix[i] = NULL;
	}
	for (i = T_COUNT - 1; i >= 0; i--) {
		if (st->db[i] != NULL && (rc = st->db[i]->close(st->db[i],
		    0)) != 0)
			ret = dberr(rc, "close");
		st->db[i] = NULL;
	}
	return ret;
}

int
store_close(struct store *st)
{
	int i, rc, ret = 0;

	if (st == NULL)
		return 0;
	if (st->magic != STORE_MAGIC)
		abort();
	/*
	 * Indexes first: a primary must outlive its secondaries.  No sync
	 * of each file on close: the commit's log record is the durable
	 * copy, recovery redoes it, and pages reach the files at the next
	 * checkpoint.  A sync here cost every webhook six fdatasyncs.
	 */
	for (i = I_COUNT - 1; i >= 0; i--)
		if (st->ix[i] != NULL && (rc = st->ix[i]->close(st->ix[i],
		    DB_NOSYNC)) != 0)
			ret = dberr(rc, "close");
	for (i = T_COUNT - 1; i >= 0; i--)
		if (st->db[i] != NULL && (rc = st->db[i]->close(st->db[i],
		    DB_NOSYNC)) != 0)
			ret = dberr(rc, "close");
	if (st->env != NULL) {
		/* Keep recovery short: checkpoint after each MB of log. */
		if ((rc = st->env->txn_checkpoint(st->env, 1024, 0, 0)) != 0)
			ret = dberr(rc, "checkpoint");
		if ((rc = st->env->close(st->env, 0)) != 0)
			ret = dberr(rc, "close");
	}
	/*
	 * Disarm before leaving: a watchdog that expired while we were
	 * inside still ends us, even if its signal arrives late.
	 */
	set_alarm(0);
	inside = 0;
	store_unlock(st->lockfd);
	st->magic = 0;
	free(st->home);
	free(st);
	return ret;
}

int
store_checkpoint(struct store *st)
{
	int rc;

	if ((rc = st->env->txn_checkpoint(st->env, 0, 0, DB_FORCE)) != 0)
		return dberr(rc, "checkpoint");
	return 0;
}

int
store_recover(const struct store_opts *o)
{
	struct store st;
	int rc;

	memset(&st, 0, sizeof(st));
	if (write_db_config(o->home, 0600) == -1)
		return -1;
	if ((rc = open_env(&st, o->home, 0600, DB_CREATE | DB_INIT_TXN |
	    DB_INIT_LOG | DB_INIT_MPOOL | DB_RECOVER)) != 0)
		return dberr(rc, o->home);
	if ((rc = st.env->close(st.env, 0)) != 0)
		return dberr(rc, o->home);
	return 0;
}

int
store_txn(struct store *st, store_txn_fn fn, void *arg)
{
	struct txn tx;
	DB_TXN *t;
	int rc;

	if ((rc = st->env->txn_begin(st->env, NULL, &t, 0)) != 0)
		return dberr(rc, "begin");
	tx.st = st;
	tx.t = t;
	if ((rc = fn(&tx, arg)) == 0)
		return dberr(t->commit(t, 0), "commit");
	(void)t->abort(t);
	return rc;
}

int
store_run(const struct store_opts *o, store_txn_fn fn, void *arg)
{
	struct store *st;
	int rc, crc;

	if ((rc = store_open(&st, o)) != 0)
		return rc;
	rc = store_txn(st, fn, arg);
	crc = store_close(st);
	return rc != 0 ? rc : crc;
}

const char *
store_home(struct txn *tx)
{
	return tx->st->home;
}

static void
dbt(DBT *d, const void *data, size_t len)
{
	memset(d, 0, sizeof(*d));
	d->data = (void *)data;
	d->size = len;
}

static json_t *
decode(const DBT *d)
{
	json_t *v;

	if ((v = json_loadb(d->data, d->size, 0, NULL)) == NULL)
		log_errorx("store: a record is not JSON");
	return v;
}

int
store_get(struct txn *tx, enum store_table t, const void *key, size_t klen,
    json_t **val)
{
	DBT k, d;
	int rc;

	DB *db;

	if ((db = table(tx, t)) == NULL)
		return -1;
	dbt(&k, key, klen);
	dbt(&d, NULL, 0);
	rc = db->get(db, tx->t, &k, &d, 0);
	if (rc != 0)
		return dberr(rc, schema_tables[t].file);
	return (*val = decode(&d)) != NULL ? 0 : -1;
}

int
store_put(struct txn *tx, enum store_table t, const void *key, size_t klen,
    const json_t *val, int flags)
{
	DBT k, d;
	char *s;
	int rc;

	DB *db;

	if ((db = table(tx, t)) == NULL)
		return -1;
	if ((s = json_dumps(val, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		return log_errorx("store: cannot encode a record");
	dbt(&k, key, klen);
	dbt(&d, s, strlen(s));
	rc = db->put(db, tx->t, &k, &d, (flags & STORE_NOOVERWRITE) ?
	    DB_NOOVERWRITE : 0);
	free(s);
	return dberr(rc, schema_tables[t].file);
}

int
store_del(struct txn *tx, enum store_table t, const void *key, size_t klen)
{
	DB *db;
	DBT k;

	if ((db = table(tx, t)) == NULL)
		return -1;
	dbt(&k, key, klen);
	return dberr(db->del(db, tx->t, &k, 0), schema_tables[t].file);
}

/* Hand one record to an iteration callback. */
static int
visit(const DBT *k, const DBT *d, store_each_fn fn, void *arg)
{
	json_t *v;
	int rc;

	if ((v = decode(d)) == NULL)
		return -1;
	rc = fn(k->data, k->size, v, arg);
	json_decref(v);
	return rc;
}

/*
 * How a walk ended: the callback's word (STORE_STOP is a normal end),
 * else the cursor's (running off the end is one too).
 */
static int
walk_result(int rc, int cbrc, const char *file)
{
	if (cbrc != 0)
		return cbrc == STORE_STOP ? 0 : cbrc;
	return rc == DB_NOTFOUND ? 0 : dberr(rc, file);
}

int
store_each(struct txn *tx, enum store_table t, const void *from,
    size_t fromlen, store_each_fn fn, void *arg)
{
	DB *db;
	DBC *c;
	DBT k, d;
	int rc, cbrc = 0;

	if ((db = table(tx, t)) == NULL)
		return -1;
	if ((rc = db->cursor(db, tx->t, &c, 0)) != 0)
		return dberr(rc, schema_tables[t].file);
	dbt(&k, from, fromlen);
	dbt(&d, NULL, 0);
	rc = c->get(c, &k, &d, from != NULL ? DB_SET_RANGE : DB_FIRST);
	while (rc == 0 && (cbrc = visit(&k, &d, fn, arg)) == 0)
		rc = c->get(c, &k, &d, DB_NEXT);
	(void)c->close(c);
	return walk_result(rc, cbrc, schema_tables[t].file);
}

/*
 * Walk index i from the entry the cursor's `first' operation finds
 * (given key and, for DB_GET_BOTH_RANGE, primary key from), on with
 * `next'.
 */
static int
walk_index(struct txn *tx, enum store_index i, const void *key, size_t klen,
    const void *from, size_t fromlen, u_int32_t first, u_int32_t next,
    store_each_fn fn, void *arg)
{
	DB *ix;
	DBC *c;
	DBT sk, pk, d;
	int rc, cbrc = 0;

	if ((ix = index_db(tx, i)) == NULL)
		return -1;
	if ((rc = ix->cursor(ix, tx->t, &c, 0)) != 0)
		return dberr(rc, schema_indexes[i].file);
	dbt(&sk, key, klen);
	dbt(&pk, from, fromlen);
	dbt(&d, NULL, 0);
	rc = c->pget(c, &sk, &pk, &d, first);
	while (rc == 0 && (cbrc = visit(&pk, &d, fn, arg)) == 0)
		rc = c->pget(c, &sk, &pk, &d, next);
	(void)c->close(c);
	return walk_result(rc, cbrc, schema_indexes[i].file);
}

int
store_count_each(const void *key, size_t klen, json_t *val, void *arg)
{
	(void)key;
	(void)klen;
	(void)val;
	(*(size_t *)arg)++;
	return 0;
}

int
store_index_each(struct txn *tx, enum store_index i, const void *key,
    size_t klen, int flags, store_each_fn fn, void *arg)
{
	if (flags & STORE_RANGE)
		return walk_index(tx, i, key, klen, NULL, 0, DB_SET_RANGE,
		    DB_NEXT, fn, arg);
	return walk_index(tx, i, key, klen, NULL, 0, DB_SET, DB_NEXT_DUP, fn,
	    arg);
}

int
store_index_each_from(struct txn *tx, enum store_index i, const void *key,
    size_t klen, const void *from, size_t fromlen, store_each_fn fn,
    void *arg)
{
	/* The secondary's duplicates are the primary keys, in order. */
	return walk_index(tx, i, key, klen, from, fromlen, DB_GET_BOTH_RANGE,
	    DB_NEXT_DUP, fn, arg);
}

int
store_index_get(struct txn *tx, enum store_index i, const void *key,
    size_t klen, void *pkey, size_t *pklen, json_t **val)
{
	DB *ix;
	DBT sk, pk, d;
	int rc;

	if ((ix = index_db(tx, i)) == NULL)
		return -1;
	dbt(&sk, key, klen);
	dbt(&pk, NULL, 0);
	dbt(&d, NULL, 0);
	if ((rc = ix->pget(ix, tx->t, &sk, &pk, &d, 0)) != 0)
		return dberr(rc, schema_indexes[i].file);
	if (pk.size > *pklen)
		return log_errorx("store: %s: primary key too long",
		    schema_indexes[i].file);
	memcpy(pkey, pk.data, pk.size);
	*pklen = pk.size;
	return (*val = decode(&d)) != NULL ? 0 : -1;
}

int
store_index_count(struct txn *tx, enum store_index i, const void *key,
    size_t klen, size_t *count)
{
	db_recno_t n = 0;
	DB *ix;
	DBC *c;
	DBT sk, d;
	int rc;

	*count = 0;
	if ((ix = index_db(tx, i)) == NULL)
		return -1;
	if ((rc = ix->cursor(ix, tx->t, &c, 0)) != 0)
		return dberr(rc, schema_indexes[i].file);
	dbt(&sk, key, klen);
	dbt(&d, NULL, 0);
	d.flags = DB_DBT_PARTIAL;	/* the count needs no data */
	if ((rc = c->get(c, &sk, &d, DB_SET)) == 0 &&
	    (rc = c->count(c, &n, 0)) == 0)
		*count = n;
	(void)c->close(c);
	return rc == DB_NOTFOUND ? 0 : dberr(rc, schema_indexes[i].file);
}

void
store_keys_add(struct store_keys *k, const void *key, size_t klen)
{
	k->v = xreallocarray(k->v, k->n + 1, sizeof(*k->v));
	k->len = xreallocarray(k->len, k->n + 1, sizeof(*k->len));
	k->v[k->n] = xmalloc(klen);
	memcpy(k->v[k->n], key, klen);
	k->len[k->n++] = klen;
}

void
store_keys_release(struct store_keys *k)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		free(k->v[i]);
	free(k->v);
	free(k->len);
	memset(k, 0, sizeof(*k));
}

static int
add_key(const void *key, size_t klen, json_t *rec, void *arg)
{
	(void)rec;
	store_keys_add(arg, key, klen);
	return 0;
}

int
store_index_keys(struct txn *tx, enum store_index i, const void *key,
    size_t klen, struct store_keys *keys)
{
	return store_index_each(tx, i, key, klen, 0, add_key, keys);
}

int
store_get_num(struct txn *tx, enum store_table t, uint64_t n, json_t **val)
{
	unsigned char key[8];

	be64_put(n, key);
	return store_get(tx, t, key, sizeof(key), val);
}

int
store_put_num(struct txn *tx, enum store_table t, uint64_t n,
    const json_t *val, int flags)
{
	unsigned char key[8];

	be64_put(n, key);
	return store_put(tx, t, key, sizeof(key), val, flags);
}

int
store_del_num(struct txn *tx, enum store_table t, uint64_t n)
{
	unsigned char key[8];

	be64_put(n, key);
	return store_del(tx, t, key, sizeof(key));
}

int
store_index_change(struct txn *tx, enum store_index i, const void *key,
    size_t klen, store_change_fn fn, void *arg, size_t *changed)
{
	struct store_keys k = { NULL, NULL, 0 };
	enum store_table t = schema_indexes[i].primary;
	size_t j, n = 0;
	json_t *rec;
	int rc;

	rc = store_index_keys(tx, i, key, klen, &k);
	for (j = 0; j < k.n && rc == 0; j++) {
		if ((rc = store_get(tx, t, k.v[j], k.len[j], &rec)) != 0)
			break;
		switch ((rc = fn(k.v[j], k.len[j], rec, arg))) {
		case STORE_WRITE:
			rc = store_put(tx, t, k.v[j], k.len[j], rec, 0);
			n++;
			break;
		case STORE_DELETE:
			rc = store_del(tx, t, k.v[j], k.len[j]);
			n++;
			break;
		}
		json_decref(rec);
	}
	store_keys_release(&k);
	if (changed != NULL)
		*changed = rc == 0 ? n : 0;
	return rc;
}

int
store_index_delete(struct txn *tx, enum store_index i, const void *key,
    size_t klen, size_t *n)
{
	struct store_keys k = { NULL, NULL, 0 };
	enum store_table t = schema_indexes[i].primary;
	size_t j;
	int rc;

	/* By key alone: an erasure need not read what it deletes. */
	rc = store_index_keys(tx, i, key, klen, &k);
	for (j = 0; j < k.n && rc == 0; j++)
		rc = store_del(tx, t, k.v[j], k.len[j]);
	if (n != NULL)
		*n = rc == 0 ? k.n : 0;
	store_keys_release(&k);
	return rc;
}

struct member {
	const char *name, *value;
};

static int
set_member(const void *key, size_t klen, json_t *rec, void *arg)
{
	const struct member *m = arg;

	json_object_set_new(rec, m->name, json_string(m->value));
	return STORE_WRITE;
}

int
store_index_set(struct txn *tx, enum store_index i, const void *key,
    size_t klen, const char *member, const char *value)
{
	struct member m = { member, value };

	return store_index_change(tx, i, key, klen, set_member, &m, NULL);
}

/* Due work of one priority, up to max, as keys (store_due_keys). */
struct due_walk {
	int	 prio;
	time_t	 now;
	size_t	 max;
	struct store_keys *keys;
};

static int
due_one(const void *key, size_t klen, json_t *rec, void *arg)
{
	struct due_walk *w = arg;

	if (json_integer_value(json_object_get(rec, "prio")) != w->prio ||
	    json_integer_value(json_object_get(rec, "due")) > w->now ||
	    w->keys->n >= w->max)
		return STORE_STOP;
	store_keys_add(w->keys, key, klen);
	return 0;
}

int
store_due_keys(struct txn *tx, enum store_index i, int prio, time_t now,
    size_t max, struct store_keys *keys)
{
	unsigned char from[SCHEMA_DUE_KEY];
	struct due_walk w = { prio, now, max, keys };

	memset(keys, 0, sizeof(*keys));
	schema_due_key(prio, 0, from);
	return store_index_each(tx, i, from, sizeof(from), STORE_RANGE, due_one,
	    &w);
}

/* The meta entry of counter name. */
static void
seq_name(const char *name, char *key, size_t size)
{
	(void)snprintf(key, size, "seq.%s", name);
}

int
store_next_seq(struct txn *tx, const char *name, uint64_t *next)
{
	char key[64];
	long long n;
	int rc;

	seq_name(name, key, sizeof(key));
	if ((rc = store_meta_get(tx, key, &n)) != 0)
		return rc;
	*next = (uint64_t)n + 1;
	return store_meta_put(tx, key, (long long)*next);
}

int
store_last_seq(struct txn *tx, const char *name, uint64_t *last)
{
	char key[64];
	long long n;
	int rc;

	seq_name(name, key, sizeof(key));
	rc = store_meta_get(tx, key, &n);
	*last = (uint64_t)n;
	return rc;
}

int
store_meta_get(struct txn *tx, const char *name, long long *n)
{
	json_t *v;
	int rc;

	*n = 0;
	rc = store_get(tx, T_META, name, strlen(name), &v);
	if (rc == STORE_NOTFOUND)
		return 0;
	if (rc == 0) {
		*n = json_integer_value(json_object_get(v, "n"));
		json_decref(v);
	}
	return rc;
}

int
store_meta_put(struct txn *tx, const char *name, long long n)
{
	json_t *v = json_pack("{s:I}", "n", (json_int_t)n);
	int rc;

	rc = store_put(tx, T_META, name, strlen(name), v, 0);
	json_decref(v);
	return rc;
}

/* scrub.c: rewriting the store so that nothing deleted remains; scrub.h */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "schema.h"
#include "scrub.h"
#include "spool.h"
#include "store_impl.h"

#define COPY_BATCH	1000	/* records per transaction of a copy */
#define SPOOL_AGE	3600	/* seconds after which a body is abandoned */

/* Bytes of the files in dir, and how many are Berkeley DB logs. */
static off_t
dir_size(const char *dir, size_t *logs)
{
	char path[PATH_MAX];
	struct dirent *d;
	struct stat sb;
	off_t total = 0;
	DIR *dp;

	*logs = 0;
	if ((dp = opendir(dir)) == NULL)
		return 0;
	while ((d = readdir(dp)) != NULL) {
		if (store_path(path, sizeof(path), dir, d->d_name) == -1 ||
		    lstat(path, &sb) == -1 || !S_ISREG(sb.st_mode))
			continue;
		total += sb.st_size;
		*logs += strncmp(d->d_name, "log.", 4) == 0;
	}
	closedir(dp);
	return total;
}

static int
open_file(DB_ENV *env, DB **dbp, const char *file, int dupsort,
    u_int32_t flags, mode_t mode)
{
	DB *db;
	int rc;

	if ((rc = db_create(&db, env, 0)) != 0)
		return store_dberr(rc, file);
	if ((dupsort && (rc = db->set_flags(db, DB_DUPSORT)) != 0) ||
	    (rc = db->open(db, NULL, file, NULL, DB_BTREE,
	    flags | DB_AUTO_COMMIT, mode)) != 0) {
		(void)db->close(db, 0);
		return rc;
	}
	*dbp = db;
	return 0;
}

/*
 * Copy file into file.new, a batch of records per transaction, then put
 * the copy in its place in one transaction: a crash leaves the old file
 * or the new one, never neither; *files counts it.  A file the store
 * does not have yet is no error.
 */
static int
rewrite(DB_ENV *env, const char *file, int dupsort, mode_t mode,
    size_t *files)
{
	char tmp[PATH_MAX];
	DB *old = NULL, *new = NULL;
	DB_TXN *t;
	DBC *c = NULL;
	DBT k, d;
	size_t n;
	int rc, crc;

	(void)snprintf(tmp, sizeof(tmp), "%s.new", file);
	(void)env->dbremove(env, NULL, tmp, NULL, DB_AUTO_COMMIT);
	if ((rc = open_file(env, &old, file, dupsort, 0, 0)) == ENOENT)
		return 0;
	if (rc != 0)
		return store_dberr(rc, file);
	if ((rc = open_file(env, &new, tmp, dupsort, DB_CREATE | DB_EXCL,
	    mode)) != 0 || (rc = old->cursor(old, NULL, &c, 0)) != 0)
		goto out;
	memset(&k, 0, sizeof(k));
	memset(&d, 0, sizeof(d));
	do {
		if ((rc = env->txn_begin(env, NULL, &t, 0)) != 0)
			goto out;
		for (n = 0; n < COPY_BATCH &&
		    (rc = c->get(c, &k, &d, DB_NEXT)) == 0; n++)
			if ((rc = new->put(new, t, &k, &d, 0)) != 0)
				break;
		if (rc != 0 && rc != DB_NOTFOUND) {
			(void)t->abort(t);
			goto out;
		}
		/* rc is 0 or DB_NOTFOUND here: a failed commit must win. */
		if ((crc = t->commit(t, 0)) != 0) {
			rc = crc;
			goto out;
		}
	} while (rc == 0);
	rc = c->close(c);
	c = NULL;
	if (rc != 0 || (rc = old->close(old, 0)) != 0 ||
	    (old = NULL, rc = new->close(new, 0)) != 0) {
		new = NULL;
		goto out;
	}
	new = NULL;
	if ((rc = env->txn_begin(env, NULL, &t, 0)) != 0)
		goto out;
	if ((rc = env->dbremove(env, t, file, NULL, 0)) != 0 ||
	    (rc = env->dbrename(env, t, tmp, NULL, file, 0)) != 0) {
		(void)t->abort(t);
		goto out;
	}
	if ((rc = t->commit(t, 0)) == 0)
		(*files)++;
out:
	if (c != NULL)
		(void)c->close(c);
	if (old != NULL)
		(void)old->close(old, 0);
	if (new != NULL)
		(void)new->close(new, 0);
	return rc == 0 ? 0 : store_dberr(rc, file);
}

/*
 * Let Berkeley DB remove every log written so far: Debian's 5.3 cannot
 * be told to start a new log file, so debug records that recovery
 * ignores fill the current one (bdb.md §5), between checkpoints.
 */
static int
drop_logs(DB_ENV *env)
{
	DB_LOG_STAT *ls;
	u_int32_t first;
	int i, rc;

	if ((rc = env->txn_checkpoint(env, 0, 0, DB_FORCE)) != 0 ||
	    (rc = env->log_stat(env, &ls, 0)) != 0)
		return store_dberr(rc, "log");
	first = ls->st_cur_file;
	free(ls);
	for (i = 0; i < 100000; i++) {
		if ((rc = env->log_printf(env, NULL, "hb scrub: a new log "
		    "file, %d", i)) != 0 || (rc = env->log_stat(env, &ls,
		    0)) != 0)
			return store_dberr(rc, "log");
		rc = ls->st_cur_file != first;
		free(ls);
		if (rc)
			break;
	}
	if ((rc = env->txn_checkpoint(env, 0, 0, DB_FORCE)) != 0 ||
	    (rc = env->txn_checkpoint(env, 0, 0, DB_FORCE)) != 0 ||
	    (rc = env->log_archive(env, NULL, DB_ARCH_REMOVE)) != 0)
		return store_dberr(rc, "log");
	return 0;
}

static int
journal_empty(const char *home)
{
	char path[PATH_MAX];
	struct stat sb;

	if (store_path(path, sizeof(path), home, "journal") == -1)
		return 0;
	return stat(path, &sb) == -1 || sb.st_size == 0;
}

int
scrub_store(const struct store_opts *o, struct scrub_report *r)
{
	struct store *st;
	DB_ENV *env;
	size_t logs_before, logs_after;
	int lockfd, keep, i, rc;

	memset(r, 0, sizeof(*r));
	if ((rc = store_lock(o, o->lock_wait, &lockfd)) != 0)
		return rc;
	if (!journal_empty(o->home)) {
		store_unlock(lockfd);
		return SCRUB_JOURNAL;
	}
	r->before = dir_size(o->home, &logs_before);
	/* The lock stays ours after store_close(), for step 3. */
	if ((keep = dup(lockfd)) == -1) {
		store_unlock(lockfd);
		return log_error("dup");
	}
	if ((rc = store_open_locked(&st, o, lockfd)) != 0) {
		close(keep);
		return rc;
	}
	rc = store_close_tables(st);
	env = store_env(st);
	for (i = 0; i < T_COUNT && rc == 0; i++)
		rc = rewrite(env, schema_tables[i].file, 0, store_mode(st),
		    &r->files);
	for (i = 0; i < I_COUNT && rc == 0; i++)
		rc = rewrite(env, schema_indexes[i].file, 1, store_mode(st),
		    &r->files);
	if (rc == 0)
		rc = drop_logs(env);
	if (store_close(st) != 0 && rc == 0)
		rc = -1;
	/* Nobody is inside: the regions' cached pages can go. */
	if (rc == 0 && (rc = db_env_create(&env, 0)) == 0)
		rc = store_dberr(env->remove(env, o->home, DB_FORCE), "regions");
	if (rc == 0)
		rc = spool_expire(o->home, SPOOL_AGE, &r->spool);
	close(keep);
	/* Every log written before the switch is gone. */
	r->after = dir_size(o->home, &logs_after);
	r->logs = rc == 0 ? logs_before : 0;
	return rc;
}

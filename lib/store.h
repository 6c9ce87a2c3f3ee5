/*
 * store.h: the Berkeley DB store, the only module that talks to it.
 *
 * One transactional environment in the store directory, shared by every
 * program but entered by one process at a time: store_open() takes an
 * exclusive lock on the directory's "lock" file (waiting at most
 * lock_wait seconds, then STORE_BUSY, which programs turn into exit 75)
 * and holds it until store_close().  ../shared/bdb.md measured why:
 * several processes inside Debian's libdb5.3 at once lose acknowledged
 * commits after a kill -9; one at a time held in every round.  A process
 * that dies inside is recovered by the next opener (DB_REGISTER and
 * DB_RECOVER); a process stuck inside is ended by a watchdog.
 *
 * So nothing slow happens between store_open() and store_close(): no
 * HTTP, no hooks, no writing to a pipe that may block.  Long jobs open,
 * work on a batch, close, and open again.
 *
 * Tables hold compact JSON values.  Every index is a Berkeley DB
 * secondary opened and associated in every process, so that no write can
 * leave a stale entry (which would be personal data).  The schema and
 * its key layouts are described in schema.c.
 *
 * Functions return 0, a positive STORE_* outcome, or -1 after logging.
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <time.h>

#include <jansson.h>

#include "be64.h"
#include "schema.h"

enum store_result {
	STORE_OK = 0,
	STORE_NOTFOUND = 1,	/* no such key */
	STORE_EXISTS = 2,	/* STORE_NOOVERWRITE and the key is there */
	STORE_BUSY = 3,		/* the lock is taken: worth retrying later */
	STORE_STOP = 4,		/* an iteration callback asks to stop */
	STORE_WRITE = 5,	/* store_index_change: write the record back */
	STORE_DELETE = 6	/* store_index_change: delete it */
};

#define STORE_SCHEMA	1	/* bumped on every incompatible change */

struct store;
struct txn;

struct store_opts {
	const char *home;	/* the store directory */
	int	 has_group;	/* let group gid put webhooks in the spool */
	gid_t	 gid;
	unsigned lock_wait;	/* seconds to wait for the lock */
	unsigned watchdog;	/* seconds a process may stay inside; 0: 60 */
};

/* Lock, create or join (recovering if needed), open every table. */
int	 store_open(struct store **, const struct store_opts *);
/*
 * The two halves of store_open(), for a program that has something to
 * check between them (hb-ingest's spool): take the lock, waiting at most
 * wait seconds (0 only tries; 0, STORE_BUSY or -1), then open the store
 * under it.
 * store_open_locked() owns the lock from then on, even when it fails.
 */
int	 store_lock(const struct store_opts *, unsigned wait, int *lockfd);
/*
 * Create the store directory and its spool if need be (store_lock does
 * it too), and set the umask for the store's files: the owner's alone.
 */
int	 store_make_home(const struct store_opts *);
/*
 * Does this process's user own the store directory (or is there none
 * yet)?  1 or 0; -1 after a message.  Only the owner can take the lock;
 * another user (the web server's, in the group) leaves its webhooks in
 * the spool for the owner's hb-ingest spool (hb(7)).
 */
int	 store_mine(const struct store_opts *);
void	 store_unlock(int lockfd);
int	 store_open_locked(struct store **, const struct store_opts *,
	    int lockfd);
/*
 * What to do, async-signal-safely, before a process inside the store
 * exits 75 because the disk is full (SIGBUS from a region file): a CGI
 * answers 503.
 */
void	 store_last_words(void (*)(void));
/*
 * Has the store failed in this process for reasons of its own: a full
 * disk, an I/O error, a panicked environment?  Then any other work
 * would fail the same way; after an error without it, the work itself
 * (a damaged record, say) is at fault.
 */
int	 store_failing(void);
/* Say so from outside: the store cannot serve at all (a missing key). */
void	 store_fail(void);
/*
 * Write every changed page to the database files now (a forced
 * checkpoint), so that a copy of the files needs no log to be whole.
 */
int	 store_checkpoint(struct store *);
/*
 * Recover the store outright, from its files and logs alone (a copy
 * put back by hb-purge restore).  Only with the lock held and the store
 * not open.
 */
int	 store_recover(const struct store_opts *);
/* Checkpoint, close, unlock.  NULL is fine. */
int	 store_close(struct store *);

/*
 * Run fn in a transaction and commit if it returns 0; abort otherwise and
 * return what it returned.
 */
typedef int (*store_txn_fn)(struct txn *, void *arg);
int	 store_txn(struct store *, store_txn_fn, void *arg);

/*
 * One unit of work: open, run fn in a transaction, close.  Between two
 * calls other processes get their turn at the store.
 */
int	 store_run(const struct store_opts *, store_txn_fn, void *arg);

#define STORE_NOOVERWRITE	0x1	/* store_put: fail with STORE_EXISTS */

/* *val is a new reference. */
int	 store_get(struct txn *, enum store_table, const void *key,
	    size_t klen, json_t **val);
int	 store_put(struct txn *, enum store_table, const void *key,
	    size_t klen, const json_t *val, int flags);
int	 store_del(struct txn *, enum store_table, const void *key,
	    size_t klen);

/* The same, for tables keyed by a number (messages, broadcasts, outbox). */
int	 store_get_num(struct txn *, enum store_table, uint64_t n,
	    json_t **val);
int	 store_put_num(struct txn *, enum store_table, uint64_t n,
	    const json_t *val, int flags);
int	 store_del_num(struct txn *, enum store_table, uint64_t n);

/*
 * Iteration: the callback gets each key and (borrowed) value and
 * returns 0 to go on, STORE_STOP to stop, or an error that is passed up.
 */
typedef int (*store_each_fn)(const void *key, size_t klen, json_t *val,
    void *arg);
/* A store_each_fn that counts what it sees in *(size_t *)arg. */
int	 store_count_each(const void *key, size_t klen, json_t *val, void *arg);
/* Records of table from key `from' (NULL: the first) in key order. */
int	 store_each(struct txn *, enum store_table, const void *from,
	    size_t fromlen, store_each_fn, void *arg);
/*
 * Records whose index key is key, in primary key order; or, with
 * STORE_RANGE, every index entry from key on (the callback sees the
 * primary key, and stops the walk itself).
 */
#define STORE_RANGE		0x4
int	 store_index_each(struct txn *, enum store_index, const void *key,
	    size_t klen, int flags, store_each_fn, void *arg);
/*
 * Records whose index key is key, from primary key `from' on (the first
 * at or after it), in primary key order: a walk resumed in a later
 * session.
 */
int	 store_index_each_from(struct txn *, enum store_index, const void *key,
	    size_t klen, const void *from, size_t fromlen, store_each_fn,
	    void *arg);
/*
 * The first record whose index key is key: its primary key into pkey
 * (*pklen bytes at most, then its length) and its value.
 */
int	 store_index_get(struct txn *, enum store_index, const void *key,
	    size_t klen, void *pkey, size_t *pklen, json_t **val);
/* How many records have index key key. */
int	 store_index_count(struct txn *, enum store_index, const void *key,
	    size_t klen, size_t *count);

/* The store directory, for files that live beside the databases. */
const char *store_home(struct txn *);
/* home/name into buf: 0, or -1 after a message when it does not fit. */
int	 store_path(char *buf, size_t size, const char *home,
	    const char *name);

/*
 * Primary keys gathered during a walk, to write to once the walk is
 * over (a walk must not change the index it walks).
 */
struct store_keys {
	void	**v;
	size_t	*len;
	size_t	 n;
};

void	 store_keys_add(struct store_keys *, const void *key, size_t klen);
void	 store_keys_release(struct store_keys *);
/* The primary keys of every record whose index key is key. */
int	 store_index_keys(struct txn *, enum store_index, const void *key,
	    size_t klen, struct store_keys *);

/*
 * Change every record whose index key is key: fn gets each primary key
 * and record (its own to change) and returns 0 to leave it, STORE_WRITE
 * to write it back, STORE_DELETE to delete it, or an error that ends the
 * walk.  *changed (if not NULL) counts what was written or deleted.
 * The keys are gathered first, so fn may change the index walked.
 */
typedef int (*store_change_fn)(const void *key, size_t klen, json_t *rec,
    void *arg);
int	 store_index_change(struct txn *, enum store_index, const void *key,
	    size_t klen, store_change_fn, void *arg, size_t *changed);
/* Delete every record whose index key is key; *n (or NULL) counts them. */
int	 store_index_delete(struct txn *, enum store_index, const void *key,
	    size_t klen, size_t *n);
/* Set the string member of every record whose index key is key. */
int	 store_index_set(struct txn *, enum store_index, const void *key,
	    size_t klen, const char *member, const char *value);

/*
 * The primary keys of up to max records of priority prio in due index
 * ix that are due at now or before, most overdue first.
 */
int	 store_due_keys(struct txn *, enum store_index, int prio, time_t now,
	    size_t max, struct store_keys *);

/* Next value of the counter called name: 1, 2, 3... without gaps. */
int	 store_next_seq(struct txn *, const char *name, uint64_t *);
/* The value store_next_seq gave last (0: none yet). */
int	 store_last_seq(struct txn *, const char *name, uint64_t *);
/*
 * The store's own small values by name (the meta table): a number kept
 * between runs, such as Telegram's polling offset.  0 if never set.
 */
int	 store_meta_get(struct txn *, const char *name, long long *);
int	 store_meta_put(struct txn *, const char *name, long long);

#endif /* STORE_H */

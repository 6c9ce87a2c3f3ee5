/*
 * t-spool: the spool's protocol (lib/spool.c): a body is pending until
 * settled; withdrawing works only before a claim; a claim can be
 * handed back; one the store refused is kept apart, and nobody claims
 * it again; what a dead process claimed is claimed again.  And the
 * group commit as a webhook's process runs it (spool_commit): a body
 * committed by another process, one withdrawn while the lock is taken,
 * one the store refused in a later round than ours, our own refused,
 * and a refused one among others, which go in all the same.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "spool.h"
#include "util.h"

static char home[] = "/tmp/t-spool.XXXXXX";

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(home) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	return rmtree(home);
}

/* Spool a Telegram update from chat id in dir; its path into path. */
static void
put_in(const char *dir, int id, char *path, size_t sz)
{
	struct store_opts o = { .home = dir };
	char body[256];

	(void)snprintf(body, sizeof(body), "{\"update_id\":%d,\"message\":{"
	    "\"message_id\":1,\"date\":1,\"chat\":{\"id\":%d,\"type\":"
	    "\"private\"},\"text\":\"Start\"}}", id, id);
	assert_int_equal(store_make_home(&o), 0);
	assert_int_equal(spool_put(&o, CHAN_TELEGRAM, body, strlen(body),
	    path, sz), 0);
}

static void
put(int id, char *path, size_t sz)
{
	put_in(home, id, path, sz);
}

static int
pending(const char *path)
{
	return spool_state(path) == SPOOL_PENDING;
}

/* Settle every body of c the same way. */
static void
settle_all(struct spool_claim *c, enum part how)
{
	enum part part[16];
	size_t i;

	assert_true(c->n <= 16);
	for (i = 0; i < c->n; i++)
		part[i] = how;
	spool_settle(c, part);
}

static void
test_withdraw_before_claim(void **state)
{
	char a[512];

	(void)state;
	put(1, a, sizeof(a));
	assert_true(pending(a));
	assert_int_equal(spool_withdraw(a), 0);
	assert_false(pending(a));
}

static void
test_claim_commit(void **state)
{
	struct in_events evs = { NULL, 0 };
	struct spool_claim c;
	char a[512], b[512];

	(void)state;
	put(2, a, sizeof(a));
	put(3, b, sizeof(b));
	assert_int_equal(spool_claim(home, 10, &evs, &c), 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(evs.n, 2);
	/* Claimed: its owner can no longer withdraw it, and must wait. */
	assert_int_equal(spool_withdraw(a), 1);
	assert_true(pending(a));
	settle_all(&c, PART_COMMITTED);
	/* Committed: no longer pending. */
	assert_false(pending(a));
	assert_false(pending(b));
	in_events_release(&evs);
}

static void
test_unclaim(void **state)
{
	struct in_events evs = { NULL, 0 };
	struct spool_claim c;
	char a[512];

	(void)state;
	put(4, a, sizeof(a));
	assert_int_equal(spool_claim(home, 10, &evs, &c), 0);
	settle_all(&c, PART_WAITING);
	/* Handed back: waiting again, so withdrawable. */
	assert_true(pending(a));
	assert_int_equal(spool_withdraw(a), 0);
	in_events_release(&evs);
}

static void
test_refused(void **state)
{
	struct in_events evs = { NULL, 0 };
	struct spool_claim c;
	char a[512], kept[600];

	(void)state;
	put(11, a, sizeof(a));
	assert_int_equal(spool_claim(home, 10, &evs, &c), 0);
	settle_all(&c, PART_REFUSED);
	/* Settled, but not committed: kept apart, for the operator. */
	assert_int_equal(spool_state(a), SPOOL_REFUSED);
	(void)snprintf(kept, sizeof(kept), "%s.failed", a);
	assert_int_equal(access(kept, F_OK), 0);
	/* Nobody claims it again. */
	assert_int_equal(spool_claim(home, 10, &evs, &c), 0);
	assert_int_equal(c.n, 0);
	assert_int_equal(unlink(kept), 0);
	in_events_release(&evs);
}

static void
test_dead_claim_and_limit(void **state)
{
	struct in_events evs = { NULL, 0 };
	struct spool_claim c, again;
	char a[512], b[512], tmp[600];
	FILE *fp;

	(void)state;
	put(5, a, sizeof(a));
	put(6, b, sizeof(b));
	/* Half a body under its temporary name is nobody's to claim. */
	(void)snprintf(tmp, sizeof(tmp), "%s/spool/tmp.99", home);
	assert_non_null(fp = fopen(tmp, "w"));
	fputs("{\"update_", fp);
	fclose(fp);
	assert_int_equal(spool_claim(home, 1, &evs, &c), 0);
	assert_int_equal(c.n, 1);
	/* The claimer dies: its claim stays; the next holder takes it. */
	free(c.paths[0]);
	free(c.paths);
	free(c.first);
	assert_int_equal(spool_claim(home, 10, &evs, &again), 0);
	assert_int_equal(again.n, 2);
	assert_int_equal(evs.n, 3);
	settle_all(&again, PART_COMMITTED);
	assert_false(pending(a));
	assert_false(pending(b));
	assert_int_equal(access(tmp, F_OK), 0);
	in_events_release(&evs);
}

/*
 * The group commit: a store of its own per test, and an apply that
 * counts its rounds and events, can fail a given round, and can spool a
 * body during a round, as a webhook arriving meanwhile would.
 */
struct rounds {
	char	 home[600];
	struct store_opts opts;
	struct spool_commit sc;
	int	 calls;
	int	 refuse;		/* the chat id whose body fails */
	size_t	 events;
	int	 arrive;		/* spool a body in the first round */
	char	 arrived[512];
};

static int
count_round(struct txn *tx, struct in_events *evs, json_t *out, void *arg)
{
	struct rounds *r = arg;
	char refused[32];
	size_t i;

	(void)tx;
	r->calls++;
	(void)snprintf(refused, sizeof(refused), "telegram:%d", r->refuse);
	for (i = 0; i < evs->n; i++) {
		if (strcmp(evs->v[i].id, refused) == 0)
			return -1;	/* as a damaged record would */
		json_array_append_new(out, json_string(evs->v[i].id));
	}
	r->events += evs->n;
	if (r->arrive && r->calls == 1)
		put_in(r->home, 100, r->arrived, sizeof(r->arrived));
	return 0;
}

static void
rounds_init(struct rounds *r, const char *name)
{
	memset(r, 0, sizeof(*r));
	(void)snprintf(r->home, sizeof(r->home), "%s/%s", home, name);
	r->opts.home = r->home;
	r->opts.lock_wait = 1;
	r->sc.store = &r->opts;
	r->sc.lock_wait = 1;
	r->sc.watchdog = 1;
	r->sc.apply = count_round;
	r->sc.arg = r;
	assert_int_equal(store_make_home(&r->opts), 0);
}

static void
test_commit_by_another(void **state)
{
	struct in_events evs = { NULL, 0 };
	struct spool_claim c;
	struct rounds r;
	json_t *events = json_array();
	char own[512];
	int lockfd;

	(void)state;
	rounds_init(&r, "another");
	put_in(r.home, 7, own, sizeof(own));
	/* Another process holds the lock and commits our body. */
	assert_int_equal(store_lock(&r.opts, 0, &lockfd), 0);
	assert_int_equal(spool_claim(r.home, 10, &evs, &c), 0);
	settle_all(&c, PART_COMMITTED);
	assert_int_equal(spool_commit(&r.sc, own, events), 0);
	store_unlock(lockfd);
	/* We learnt it without a session: no round of ours ran. */
	assert_int_equal(r.calls, 0);
	assert_int_equal(json_array_size(events), 0);
	json_decref(events);
	in_events_release(&evs);
}

static void
test_commit_withdrawn(void **state)
{
	struct rounds r;
	json_t *events = json_array();
	char own[512];
	int lockfd;

	(void)state;
	rounds_init(&r, "withdrawn");
	put_in(r.home, 8, own, sizeof(own));
	/* The lock stays taken and nobody claims our body. */
	assert_int_equal(store_lock(&r.opts, 0, &lockfd), 0);
	assert_int_equal(spool_commit(&r.sc, own, events), STORE_BUSY);
	store_unlock(lockfd);
	assert_false(pending(own));
	assert_int_equal(r.calls, 0);
	json_decref(events);
}

static void
test_commit_later_round_refused(void **state)
{
	struct rounds r;
	json_t *events = json_array();
	char own[512];

	(void)state;
	rounds_init(&r, "later");
	put_in(r.home, 9, own, sizeof(own));
	r.arrive = 1;		/* a second round will have work */
	r.refuse = 100;		/* and it will fail */
	/* Ours went in with the first round: it is committed, so 200. */
	assert_int_equal(spool_commit(&r.sc, own, events), 0);
	assert_int_equal(r.calls, 2);
	assert_int_equal(spool_state(own), SPOOL_COMMITTED);
	assert_int_equal(json_array_size(events), 1);
	assert_string_equal(json_string_value(json_array_get(events, 0)),
	    "telegram:9");
	/* The other is kept apart; its own process will answer 503. */
	assert_int_equal(spool_state(r.arrived), SPOOL_REFUSED);
	json_decref(events);
}

static void
test_commit_own_refused(void **state)
{
	struct rounds r;
	json_t *events = json_array();
	char own[512];

	(void)state;
	rounds_init(&r, "own");
	put_in(r.home, 10, own, sizeof(own));
	r.refuse = 10;
	/* Nothing committed: the answer is 503, and the platform retries. */
	assert_int_not_equal(spool_commit(&r.sc, own, events), 0);
	assert_int_equal(spool_state(own), SPOOL_REFUSED);
	assert_int_equal(json_array_size(events), 0);
	json_decref(events);
}

static void
test_commit_refused_among_others(void **state)
{
	struct rounds r;
	json_t *events = json_array();
	char a[512], b[512], own[512];

	(void)state;
	rounds_init(&r, "among");
	put_in(r.home, 12, a, sizeof(a));
	put_in(r.home, 13, b, sizeof(b));
	put_in(r.home, 14, own, sizeof(own));
	r.refuse = 12;
	/* One body the store cannot take holds none of the others back. */
	assert_int_equal(spool_commit(&r.sc, own, events), 0);
	assert_int_equal(spool_state(a), SPOOL_REFUSED);
	assert_int_equal(spool_state(b), SPOOL_COMMITTED);
	assert_int_equal(spool_state(own), SPOOL_COMMITTED);
	assert_int_equal(json_array_size(events), 2);
	assert_int_equal(r.events, 2);
	json_decref(events);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_withdraw_before_claim),
		cmocka_unit_test(test_claim_commit),
		cmocka_unit_test(test_unclaim),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_dead_claim_and_limit),
		cmocka_unit_test(test_commit_by_another),
		cmocka_unit_test(test_commit_withdrawn),
		cmocka_unit_test(test_commit_later_round_refused),
		cmocka_unit_test(test_commit_own_refused),
		cmocka_unit_test(test_commit_refused_among_others),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

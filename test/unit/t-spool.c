/*
 * t-spool: the spool's protocol (lib/spool.c): a body is pending until
 * committed; withdrawing works only before a claim; a claim can be
 * handed back; what a dead process claimed is claimed again.  And the
 * group commit as a webhook's process runs it (spool_commit): a body
 * committed by another process, one withdrawn while the lock is taken,
 * a round that fails after ours was committed, and one that fails
 * before.
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
	char body[256];

	(void)snprintf(body, sizeof(body), "{\"update_id\":%d,\"message\":{"
	    "\"message_id\":1,\"date\":1,\"chat\":{\"id\":%d,\"type\":"
	    "\"private\"},\"text\":\"Start\"}}", id, id);
	assert_int_equal(spool_put(dir, CHAN_TELEGRAM, body, strlen(body),
	    path, sz), 0);
}

static void
put(int id, char *path, size_t sz)
{
	put_in(home, id, path, sz);
}

static void
test_withdraw_before_claim(void **state)
{
	char a[512];

	(void)state;
	put(1, a, sizeof(a));
	assert_true(spool_pending(a));
	assert_int_equal(spool_withdraw(a), 0);
	assert_false(spool_pending(a));
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
	assert_true(spool_pending(a));
	spool_done(&c);
	/* Committed: no longer pending. */
	assert_false(spool_pending(a));
	assert_false(spool_pending(b));
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
	spool_unclaim(&c);
	/* Handed back: waiting again, so withdrawable. */
	assert_true(spool_pending(a));
	assert_int_equal(spool_withdraw(a), 0);
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
	assert_int_equal(spool_claim(home, 10, &evs, &again), 0);
	assert_int_equal(again.n, 2);
	assert_int_equal(evs.n, 3);
	spool_done(&again);
	assert_false(spool_pending(a));
	assert_false(spool_pending(b));
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
	int	 calls, fail_at;	/* fail the fail_at-th round (1...) */
	size_t	 events;
	int	 arrive;		/* spool a body in the first round */
	char	 arrived[512];
};

static int
count_round(struct txn *tx, struct in_events *evs, json_t *out, void *arg)
{
	struct rounds *r = arg;
	size_t i;

	(void)tx;
	if (++r->calls == r->fail_at)
		return -1;
	for (i = 0; i < evs->n; i++)
		json_array_append_new(out, json_string(evs->v[i].id));
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
	spool_done(&c);
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
	assert_false(spool_pending(own));
	assert_int_equal(r.calls, 0);
	json_decref(events);
}

static void
test_commit_later_round_fails(void **state)
{
	struct rounds r;
	json_t *events = json_array();
	char own[512];

	(void)state;
	rounds_init(&r, "later");
	put_in(r.home, 9, own, sizeof(own));
	r.arrive = 1;		/* a second round will have work */
	r.fail_at = 2;
	/* Ours went in with the first round: it is committed, so 200. */
	assert_int_equal(spool_commit(&r.sc, own, events), 0);
	assert_int_equal(r.calls, 2);
	assert_false(spool_pending(own));
	assert_int_equal(json_array_size(events), 1);
	assert_string_equal(json_string_value(json_array_get(events, 0)),
	    "telegram:9");
	/* The body of the failed round waits again, for its own process. */
	assert_true(spool_pending(r.arrived));
	assert_int_equal(spool_withdraw(r.arrived), 0);
	json_decref(events);
}

static void
test_commit_first_round_fails(void **state)
{
	struct rounds r;
	json_t *events = json_array();
	char own[512];

	(void)state;
	rounds_init(&r, "first");
	put_in(r.home, 10, own, sizeof(own));
	r.fail_at = 1;
	/* Nothing committed: ours is withdrawn, and the answer is 503. */
	assert_int_not_equal(spool_commit(&r.sc, own, events), 0);
	assert_false(spool_pending(own));
	assert_int_equal(json_array_size(events), 0);
	json_decref(events);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_withdraw_before_claim),
		cmocka_unit_test(test_claim_commit),
		cmocka_unit_test(test_unclaim),
		cmocka_unit_test(test_dead_claim_and_limit),
		cmocka_unit_test(test_commit_by_another),
		cmocka_unit_test(test_commit_withdrawn),
		cmocka_unit_test(test_commit_later_round_fails),
		cmocka_unit_test(test_commit_first_round_fails),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

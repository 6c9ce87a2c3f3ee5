#!/bin/sh
test_description='store: four writers at once, one killed inside the store'
. "${0%/*}/test-lib.sh"

# Each process adds its own 5,000 subscribers; with -v it reports each
# after the batch holding it has been committed.
test_expect_success 'set up four lists of 5,000 IDs' '
	for p in 1 2 3 4; do
		seq "${p}00001" "${p}05000" | sed "s/^/telegram:/" >ids.$p || return 1
	done
'

# holds_lock pid inode: does pid hold the store lock right now?
holds_lock () {
	grep -q "FLOCK .* WRITE $1 [0-9a-f:]*:$2 " /proc/locks
}

test_expect_success 'four writers, one killed with SIGKILL inside the store' '
	hb-subscribe add telegram:1 &&
	ino=$(stat -c %i "$HB_HOME/lock") &&
	for p in 1 2 3 4; do
		# timeout ends a hung writer; exec gives us the writer'"'"'s pid.
		timeout -s KILL 120 sh -c "echo \$\$ >pid.$p &&
		    exec hb-subscribe -v add" <ids.$p 2>log.$p &
		echo $! >wait.$p
	done &&
	test_wait_for test -s pid.2 &&
	victim=$(cat pid.2) &&
	# Kill it while it is inside, after it has committed something.
	until grep -q added log.2 && holds_lock "$victim" "$ino"; do
		kill -0 "$victim" || { echo "the victim ended first"; return 1; }
	done &&
	kill -KILL "$victim" &&
	for p in 1 3 4; do
		wait $(cat wait.$p) || { echo "writer $p failed: $?"; return 1; }
	done &&
	say "victim had reported $(grep -c added log.2) of 5000 before the kill"
'

test_expect_success 'the next open recovers by itself' '
	hb-subscribe list >all 2>err &&
	test_must_fail test -s err
'

test_expect_success 'every subscriber reported as added is there' '
	cut -f1 all | sort >present &&
	cat log.1 log.2 log.3 log.4 | sed -n "s/^hb-subscribe: \(.*\): added$/\1/p" |
	    sort >reported &&
	comm -23 reported present >missing &&
	test_must_fail test -s missing &&
	test $(grep -c added log.2) -gt 0
'

test_expect_success 'the survivors added all of theirs' '
	cat ids.1 ids.3 ids.4 | sort >expect &&
	comm -23 expect present >missing &&
	test_must_fail test -s missing
'

test_expect_success 'the store verifies clean' '
	test_store_verify
'

test_expect_success 'the killed writer can be run again and completes' '
	hb-subscribe add <ids.2 &&
	hb-subscribe stats >out &&
	test_grep "^telegram	20001	" out
'

test_expect_success 'regions made by an older DB_CONFIG are made anew' '
	cat >"$HB_HOME/DB_CONFIG" <<-\EOF &&
	set_cachesize 0 33554432 1
	set_lk_max_locks 50000
	EOF
	(cd "$HB_HOME" && flock lock db5.3_recover -e -h .) &&
	db5.3_stat -h "$HB_HOME" -m >before &&
	test_grep "^4099	Number of mutexes for the hash buckets" before &&
	hb-subscribe stats >out 2>err &&
	test_grep "recovering .* for its new DB_CONFIG" err &&
	test_grep "^telegram	20001	" out &&
	test_grep -x "set_mp_mtxcount 64" "$HB_HOME/DB_CONFIG" &&
	db5.3_stat -h "$HB_HOME" -m >after &&
	test_grep "^64	Number of mutexes for the hash buckets" after &&
	hb-subscribe stats 2>err &&
	test_must_fail test -s err &&
	test_store_verify
'

test_done

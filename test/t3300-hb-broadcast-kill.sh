#!/bin/sh
test_description='hb-broadcast: killed in the middle, resumed by run'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sim.sh"

# Requests in flight at once: the most that a kill may leave in doubt.
# Without a rate (as here) 16 a channel (lib/sender.c UNPACED), four
# channels.
IN_FLIGHT=64

requests_at_least () {
	test "$(wc -l <"$SIM_LOG")" -ge "$1"
}

test_expect_success 'setup: 5,000 subscribers' '
	hb_start_sim &&
	hb_sim_conf &&
	hb_subscribers 1 1250 &&
	echo "Heute: Stadtfest." >news
'

test_expect_success 'kill -9 in the middle of a send' '
	{ hb-broadcast send news >id & } &&
	pid=$! &&
	test_wait_for requests_at_least 1500 &&
	kill -9 $pid &&
	! wait $pid &&
	sent=$(wc -l <"$SIM_LOG") &&
	say "killed after $sent requests" &&
	test "$sent" -lt 5000
'

test_expect_success 'run finishes it: everyone once, doubles only for what was in flight' '
	hb-broadcast run &&
	hb_copies >copies &&
	test "$(wc -l <copies)" = 5000 &&
	awk -v max=$IN_FLIGHT "{ extra += \$2 - 1 } END { print extra; exit extra > max }" copies &&
	hb-broadcast -j status 1 >status &&
	jq -s -e "length == 4 and all(.[]; .recipients == 1250 and .sent == 1250 and .deferred == 0)" status &&
	test_store_verify
'

test_expect_success 'the journal is empty and nothing is left claimed' '
	test ! -s "$HB_HOME/journal" &&
	hb-broadcast run &&
	test "$(wc -l <"$SIM_LOG")" = "$(awk "{ n += \$2 } END { print n }" copies)"
'

test_expect_success 'SIGTERM: what is in flight finishes and is recorded, nothing twice' '
	: >"$SIM_LOG" &&
	hb_sim_conf "daily_limit = 0" &&
	echo "Abends: Konzert." >evening &&
	{ hb-broadcast send evening >id2 2>err & } &&
	pid=$! &&
	test_wait_for requests_at_least 1500 &&
	kill -TERM $pid &&
	test_expect_code 75 wait $pid &&
	test_grep "stopped; what was in flight is recorded" err &&
	sent=$(wc -l <"$SIM_LOG") &&
	say "stopped after $sent requests" &&
	test "$sent" -lt 5000 &&
	hb-broadcast run &&
	hb_copies >copies &&
	test "$(wc -l <copies)" = 5000 &&
	! grep -v "	1$" copies &&
	test_store_verify
'

test_done

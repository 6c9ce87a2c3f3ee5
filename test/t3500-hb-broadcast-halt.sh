#!/bin/sh
test_description='hb-broadcast: tries, retry, and one announcement a day per person'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sim.sh"

# requests: how many sendMessage requests reached the simulator.
requests () {
	jq -s "map(select(.path != null and (.path | test(\"sendMessage\")))) | length" "$SIM_LOG"
}

# tries: the tries counted on broadcast $1's Telegram deliveries, summed.
tries () {
	hb-subscribe -j list -c telegram | jq -r .id >ids &&
	while read -r id; do
		hb-subscribe show "$id" | jq "[.deliveries[] | select(.bc == $1) | .tries // 0] | add // 0"
	done <ids | awk "{ n += \$1 } END { print n + 0 }"
}

test_expect_success 'setup: five Telegram subscribers, a slow pace' '
	hb_start_sim &&
	HB_SIM_RATE=2 hb_sim_conf "daily_limit = 0" &&
	hb_subscribers 1 5 &&
	echo "Heute: Stadtfest." >news
'

test_expect_success 'a revoked token halts the channel; only real requests are tries' '
	hb_sim /sim/fault "{\"path\":\"sendMessage\",\"status\":401,\"body\":{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"},\"count\":1000}" &&
	test_when_finished "hb_sim /sim/clear {}" &&
	test_expect_code 69 hb-broadcast -c telegram send news >id 2>err &&
	test_grep "nothing more goes to telegram in this run" err &&
	for run in 1 2 3; do
		hb-test-due && test_expect_code 69 hb-broadcast -q run || return 1
	done &&
	made=$(requests) &&
	say "$made requests reached the platform in four runs" &&
	# One a run, as a rule: the halt stops the channel at the first
	# answer, and only a slow one lets the next paced request start.
	test "$made" -ge 4 && test "$made" -lt 10 &&
	test "$(tries "$(cat id)")" = "$made" &&
	test_json ".deferred == 5 and .failed == 0" hb-broadcast -j status "$(cat id)"
'

test_expect_success 'retry sends a broadcast'"'"'s failed deliveries again' '
	: >"$SIM_LOG" &&
	hb_sim /sim/fault "{\"path\":\"sendMessage\",\"status\":400,\"body\":{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: message is too long\"},\"count\":5}" &&
	HB_SIM_RATE=0 hb_sim_conf "daily_limit = 0" &&
	echo "Morgen: Markt." >market &&
	hb-broadcast -c telegram send market >id2 &&
	test_json ".failed == 5 and .sent == 0" hb-broadcast -j status "$(cat id2)" &&
	hb-broadcast retry "$(cat id2)" &&
	test_json ".failed == 0 and .sent == 5" hb-broadcast -j status "$(cat id2)" &&
	test_expect_code 65 hb-broadcast retry 99 2>err &&
	test_grep "no broadcast 99" err
'

test_expect_success 'daily_limit counts what each person was sent today' '
	# A store of its own, where nothing else went out today.
	(
		HB_HOME=$TRASH_DIRECTORY/store.day &&
		export HB_HOME &&
		: >"$SIM_LOG" &&
		hb_sim_conf "daily_limit = 1" &&
		hb_subscribers 2 3 &&
		# Yesterday'"'"'s broadcast reaches two today; the third is deferred.
		hb_sim /sim/recipient "{\"to\":\"491702000000\",\"behaviour\":\"tempfail\",\"count\":1}" &&
		echo "Gestern: Markt." >a &&
		hb-broadcast -c telegram send -a "$(date -u -d yesterday +%Y-%m-%dT10:00)" a >id.a &&
		hb-broadcast run &&
		# Today'"'"'s may go, but only to the one who got nothing today.
		echo "Heute: Fest." >b &&
		test_expect_code 75 hb-broadcast -c telegram send b >id.b 2>err &&
		hb-test-due &&
		hb-broadcast run &&
		for i in 0 1 2; do
			hb-subscribe show telegram:49170200000$i >person &&
			jq -e "[.deliveries[] | select(.sent_at != null)] | length == 1" person ||
			return 1
		done &&
		# The third got today'"'"'s, and only the third.
		jq -r "select(.text == \"Heute: Fest.\") | .to" "$SIM_LOG" >to.b &&
		echo 491702000000 >expect &&
		test_cmp expect to.b &&
		hb-broadcast -j status "$(cat id.b)" >status.b &&
		jq -e ".sent == 1 and .deferred == 2 and
		    .why[\"this person'"'"'s daily_limit is reached today\"] == 2" status.b &&
		hb-broadcast -j status "$(cat id.a)" >status.a &&
		jq -e ".sent == 2 and .deferred == 1" status.a
	)
'

test_done

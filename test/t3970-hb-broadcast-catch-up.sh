#!/bin/sh
test_description='catch-up: Messenger and Instagram subscribers get what their window kept from them'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sim.sh"

# meta object sender text: a Messenger ("page") or Instagram message.
meta () {
	jq -nc --arg o "$1" --arg s "$2" --arg t "$3" --argjson ts "$(date +%s)000" \
	    --arg mid "m.$(date +%s%N)" \
	    '{object: $o, entry: [{id: (if $o == "page" then "2200" else "3300" end), time: $ts,
	      messaging: [{sender: {id: $s}, recipient: {id: (if $o == "page" then "2200" else "3300" end)},
	        timestamp: $ts, message: {mid: $mid, text: $t}}]}]}'
}

# catch_ups id: how many catch-up answers id has been queued or sent.
catch_ups () {
	hb-subscribe show "$1" | jq "[.outbox[] | select(.kind == \"catch_up\")] | length"
}

test_expect_success 'setup: subscribers whose window closed a day ago' '
	hb_start_sim &&
	hb_sim_conf "daily_limit = 0" &&
	hb_subscribers 1 3 100000 &&
	echo "Heute: Stadtfest." >news &&
	hb-broadcast send news >id &&
	hb-broadcast status "$(cat id)" >status 2>err &&
	test_grep "^messenger	3	0	0	0	0	0	3$" status &&
	test_grep "^instagram	3	0	0	0	0	0	3$" status
'

test_expect_success 'writing brings what the window kept, once, and status calls it late' '
	meta page 491701000000 "Wann ist das Fest?" | hb-ingest >/dev/null &&
	test "$(catch_ups messenger:491701000000)" = 1 &&
	hb-subscribe show messenger:491701000000 | jq -r ".outbox[] | select(.kind == \"catch_up\") | .text" >said &&
	test_grep "^Das haben Sie in den letzten Tagen verpasst" said &&
	test_grep ": Heute: Stadtfest.$" said &&
	hb-broadcast run &&
	hb_texts messenger:491701000000 | tail -n 1 | test_grep "Stadtfest" &&
	hb-broadcast status "$(cat id)" >status 2>err &&
	test_grep "^messenger	3	0	0	0	0	0	2$" status &&
	test_grep "messenger: 1: late" err &&
	hb-broadcast -j status "$(cat id)" | jq -s -e "map(select(.channel == \"messenger\"))[0].late == 1" &&
	meta page 491701000000 "Danke" | hb-ingest >/dev/null &&
	test "$(catch_ups messenger:491701000000)" = 0 &&
	hb-reply inbox | test_grep "messenger:491701000000"
'

test_expect_success 'Instagram too; a stopped one, Telegram and catch_up = 0 get none' '
	meta instagram 491701000001 "Hallo" | hb-ingest >/dev/null &&
	test "$(catch_ups instagram:491701000001)" = 1 &&
	meta instagram 491701000002 Stopp | hb-ingest >/dev/null &&
	test "$(catch_ups instagram:491701000002)" = 0 &&
	meta page 491701000002 "Hallo" >replayed.json &&
	hb-ingest -r replayed.json >/dev/null &&
	test "$(catch_ups messenger:491701000002)" = 0 &&
	hb-subscribe show messenger:491701000002 | jq -e ".deliveries[0].state == \"skipped\"" &&
	hb_tg_update 491701000000 Hallo 1 | hb-ingest >/dev/null &&
	test "$(catch_ups telegram:491701000000)" = 0 &&
	hb_sim_conf "daily_limit = 0" "catch_up = 0" &&
	meta page 491701000001 "Hallo" | hb-ingest >/dev/null &&
	test "$(catch_ups messenger:491701000001)" = 0
'

test_done

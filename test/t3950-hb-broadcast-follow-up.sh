#!/bin/sh
test_description='hb-broadcast send -F: a follow-up reaches exactly whom the first reached'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sim.sh"

# got file: the recipients in the log that got the text of file.
got () {
	jq -r --arg t "$(cat "$1")" 'select(.channel != null and .text == $t) | .channel + ":" + .to' \
	    "$SIM_LOG" | sort
}

test_expect_success 'setup' '
	hb_start_sim &&
	hb_sim_conf &&
	hb_subscribers 1 5 &&
	echo "Stadtfest am Samstag, 14 Uhr." >first &&
	echo "Korrektur: Das Stadtfest beginnt um 15 Uhr." >correction
'

test_expect_success 'a follow-up reaches the first one s recipients only, outside the daily limit' '
	hb_sim /sim/recipient "{\"to\": \"491701000002\", \"behaviour\": \"blocked\"}" &&
	{ hb-broadcast send first >id 2>/dev/null || :; } &&
	mv subs.jsonl subs1.jsonl &&
	hb_subscribers 3 2 &&
	test_expect_code 75 hb-broadcast send correction 2>err >/dev/null &&
	test_grep "regular broadcast" err &&
	hb-broadcast send -F "$(cat id)" correction >fid &&
	got first >first.got &&
	got correction >correction.got &&
	test "$(grep -c 491701000002 first.got)" = 4 &&
	grep -v 491701000002 first.got >expect &&
	test_cmp expect correction.got &&
	test "$(wc -l <correction.got)" = 16 &&
	hb-broadcast list >list &&
	test_grep "^$(cat fid)	sent	.*	regular follow-up of $(cat id)	" list &&
	hb-broadcast status "$(cat fid)" 2>err >/dev/null &&
	test_grep "follows up broadcast $(cat id)$" err &&
	hb-broadcast -j list | jq -s -e "map(select(.n == $(cat fid)))[0].follows == $(cat id)"
'

test_expect_success 'who stopped since gets no follow-up; what reached nobody cannot be followed up' '
	hb_tg_update 491701000003 Stopp 1 | hb-ingest >/dev/null &&
	: >"$SIM_LOG" &&
	echo "Zweite Korrektur." >again &&
	hb-broadcast send -F "$(cat id)" again >/dev/null &&
	test "$(got again | wc -l)" = 15 &&
	hb-broadcast -n send -F "$(cat id)" again >plan &&
	test_grep "^telegram	3	3	" plan &&
	test_expect_code 65 hb-broadcast send -F 99 again 2>err &&
	test_grep "reached nobody to follow up" err &&
	test_expect_code 64 hb-broadcast send -F 1 -c telegram again 2>/dev/null
'

test_expect_success 'the all-clear of an emergency is an emergency too' '
	echo "Sturmwarnung!" >warning &&
	echo "Entwarnung." >allclear &&
	: >"$SIM_LOG" &&
	hb-broadcast send -e -r Sturm warning >wid &&
	hb-broadcast send -F "$(cat wid)" allclear >aid &&
	hb-broadcast list >list &&
	test_grep "^$(cat aid)	sent	.*	emergency follow-up of $(cat wid)	" list &&
	got warning >w.got && got allclear >a.got &&
	test_cmp w.got a.got &&
	hb-subscribe show telegram:491701000000 | jq -e ".deliveries[] | select(.bc == $(cat aid)) | .state == \"sent\""
'

test_expect_success 'a follow-up waits per person for a first still deferred for them' '
	: >"$SIM_LOG" &&
	hb_sim /sim/clear "{}" &&
	hb_sim_conf "daily_limit = 0" &&
	hb_sim /sim/recipient "{\"to\": \"491701000004\", \"behaviour\": \"tempfail\", \"count\": 1}" &&
	echo "Markt fällt aus." >market &&
	echo "Markt doch nicht abgesagt." >market2 &&
	test_expect_code 75 hb-broadcast send -c telegram,whatsapp market >mid 2>/dev/null &&
	{ hb-broadcast send -F "$(cat mid)" market2 >/dev/null 2>&1 || :; } &&
	got market2 >m2 &&
	test "$(wc -l <m2)" = 10 &&
	test "$(grep -c 491701000004 m2)" = 1 &&
	hb-test-due && hb-broadcast run &&
	hb-test-due && hb-broadcast run &&
	got market2 >m2 &&
	test "$(grep -c 491701000004 m2)" = 2 &&
	test "$(wc -l <m2)" = 11
'

test_done

#!/bin/sh
test_description='hb-broadcast: test sends, approval, and what templates cost'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sim.sh"

test_expect_success 'setup' '
	hb_start_sim &&
	HB_SIM_WHATSAPP="template_price = 0.0613" hb_sim_conf \
	    "testers = telegram:491701000001, whatsapp:4917000007001" &&
	hb_subscribers 1 5 &&
	hb_subscribers 2 5 100000 &&
	echo "Heute: Stadtfest." >news
'

test_expect_success 'send -T reaches only the testers, marked as a test' '
	hb-broadcast send -T news >id &&
	hb_copies >copies &&
	printf "telegram:491701000001\t1\nwhatsapp:4917000007001\t1\n" >expect &&
	test_cmp expect copies &&
	hb_sent_to whatsapp:4917000007001 &&
	jq -e ".template == true" sent_to &&
	hb-broadcast list >list &&
	test_grep "^$(cat id)	sent	.*	test	" list &&
	test_expect_code 64 hb-broadcast send -T -e -r Sturm news 2>/dev/null
'

test_expect_success 'a test send counts against no one: the day s announcement still goes' '
	: >"$SIM_LOG" &&
	hb-broadcast send news >id &&
	test "$(hb_copies | wc -l)" = 30 &&
	hb-broadcast send -T news >/dev/null &&
	test_expect_code 75 hb-broadcast send news 2>err &&
	test_grep "has had its 1 regular broadcast" err &&
	hb_tg_update 491701000001 Neu 1 | hb-ingest >/dev/null &&
	hb-subscribe show telegram:491701000001 | jq -r ".outbox[] | select(.kind == \"news\") | .text" >said &&
	test "$(grep -c "Stadtfest" said)" = 1
'

test_expect_success 'what templates cost: send -n and status' '
	hb-broadcast send -n -a "$(date -u -d tomorrow +%Y-%m-%dT10:00)" -c whatsapp news >plan 2>err &&
	test_grep "whatsapp: 5 template messages at 0.0613 would cost 0.31" err &&
	hb-broadcast -j send -n -a "$(date -u -d tomorrow +%Y-%m-%dT10:00)" -c whatsapp news | jq -e ".template == 5 and (.cost * 10000 | round) == 3065" &&
	hb-broadcast status "$(cat id)" >status 2>err &&
	test_grep "whatsapp: 5 template messages at 0.0613 cost 0.31" err &&
	hb-broadcast -j status "$(cat id)" | jq -s -e ".[] | select(.channel == \"whatsapp\") | .templates == 5 and .cost > 0.306 and .cost < 0.307" &&
	hb-broadcast -j status "$(cat id)" | jq -s -e ".[] | select(.channel == \"telegram\") | .cost == null"
'

test_expect_success 'with approval, nothing goes before another operator approves' '
	HB_SIM_WHATSAPP="template_price = 0.0613" hb_sim_conf "daily_limit = 0" \
	    "approval = yes" "testers = telegram:491701000001, whatsapp:4917000007001" &&
	hb-broadcast run &&
	: >"$SIM_LOG" &&
	hb_sudo daemon hb-broadcast send news >id 2>err &&
	test_grep "waits for another operator" err &&
	hb-broadcast run &&
	test -z "$(hb_copies)" &&
	hb-broadcast list | test_grep "^$(cat id)	waiting	.*	daemon	" &&
	test_expect_code 77 hb_sudo daemon hb-broadcast approve "$(cat id)" 2>err &&
	test_grep "another operator approves it" err &&
	test_expect_code 77 hb_sudo daemon hb-broadcast approve -u "Chefin" "$(cat id)" 2>err &&
	test_expect_code 77 hb_sudo daemon env USER=bin LOGNAME=bin hb-broadcast approve "$(cat id)" 2>err &&
	test -z "$(hb_copies)" &&
	hb_sudo bin hb-broadcast approve "$(cat id)" &&
	hb-broadcast list | test_grep "^$(cat id)	scheduled	.*	daemon/bin	" &&
	test_expect_code 65 hb_sudo bin hb-broadcast approve "$(cat id)" 2>/dev/null &&
	hb-broadcast run &&
	test "$(hb_copies | wc -l)" = 30 &&
	hb-broadcast status "$(cat id)" 2>err >/dev/null &&
	test_grep "broadcast $(cat id) by daemon, approved by bin" err &&
	hb-broadcast -j list | jq -s -e "map(select(.n == $(cat id)))[0].approved_by == \"bin\""
'

test_expect_success 'with approval, cancel ends a waiting one; emergencies and tests do not wait' '
	: >"$SIM_LOG" &&
	hb_sudo daemon hb-broadcast send news >id 2>/dev/null &&
	hb-broadcast cancel "$(cat id)" &&
	test_expect_code 65 hb_sudo bin hb-broadcast approve "$(cat id)" 2>/dev/null &&
	hb-broadcast run &&
	test -z "$(hb_copies)" &&
	hb-broadcast send -e -r Sturm news >/dev/null &&
	test "$(hb_copies | wc -l)" = 30 &&
	: >"$SIM_LOG" &&
	hb-broadcast send -T news >/dev/null &&
	test "$(hb_copies | wc -l)" = 2
'

test_expect_success 'testers must be subscriber IDs; -T wants some' '
	hb_sim_conf &&
	test_expect_code 78 hb-broadcast send -T news 2>err &&
	test_grep "no testers" err &&
	hb_sim_conf "testers = telegram:1, signal:2" &&
	test_expect_code 78 hb-broadcast list 2>err &&
	test_grep "testers: .signal:2." err
'

test_done

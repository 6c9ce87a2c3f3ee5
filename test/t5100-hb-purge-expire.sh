#!/bin/sh
test_description='hb-purge expire: each retention key, counts kept'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sim.sh"

old=$(($(date +%s) - 20 * 86400))
old3339=$(date -u -d "@$old" +%Y-%m-%dT%H:%M:%SZ)

# A store with something old and something new of every kind.
setup_store () {
	rm -rf "$HB_HOME" &&
	for t in 1 2; do
		jq -nc --argjson s "$old" --arg t "alte Frage $t" \
		    '{id: "telegram:100", dir: "in", type: "text", text: $t, stored: $s, time: $s}'
	done | hb-test-put messages &&
	hb_tg_update 100 "neue Frage" 1 | hb-ingest >/dev/null &&
	{
		echo "{\"id\":\"telegram:200\",\"state\":\"stopped\",\"changed\":\"$old3339\"}"
		echo "{\"id\":\"telegram:201\",\"state\":\"stopped\"}"
		echo "{\"id\":\"telegram:202\",\"state\":\"unreachable\",\"changed\":\"$old3339\"}"
	} | hb-subscribe import &&
	hb_tg_update 200 "Frage von 200" 2 | hb-ingest >/dev/null &&
	hb-subscribe add telegram:300 telegram:301 &&
	echo "Altes Stadtfest" >news &&
	hb-broadcast -c telegram send -a "$(date -u -d "@$old" +%Y-%m-%dT%H:%M)" news >id.old &&
	hb-broadcast run &&
	hb-broadcast -c telegram send news >id.new
}

test_expect_success 'setup' '
	hb_start_sim &&
	hb_sim_conf "daily_limit = 0" "retain_messages = 10" "retain_receipts = 10" "retain_stopped = 10"
'

test_expect_success 'expire removes what is older than each retention' '
	setup_store &&
	hb-broadcast -j status "$(cat id.old)" >status.before &&
	hb-purge expire 2>report &&
	test_grep "expired 3 messages, 2 delivery records (1 broadcasts keep their counts), 2 stopped or unreachable subscribers" report &&
	test_json "[.messages[].text] == [\"neue Frage\"]" hb-subscribe show telegram:100 &&
	test_must_fail hb-subscribe show telegram:200 2>/dev/null &&
	test_must_fail hb-subscribe show telegram:202 2>/dev/null &&
	hb-subscribe show telegram:201 >/dev/null &&
	test_json "[.deliveries[].bc] == [$(cat id.new)]" hb-subscribe show telegram:300 &&
	hb-broadcast -j status "$(cat id.old)" >status.after &&
	test_cmp status.before status.after &&
	jq -e ".recipients == 2 and .sent == 2" status.after
'

test_expect_success 'a second expire finds nothing, and the erased are not on the ledger' '
	hb-purge expire 2>report &&
	test_grep "expired 0 messages, 0 delivery records (0 broadcasts keep their counts), 0 stopped" report &&
	echo "{\"id\":\"telegram:200\",\"state\":\"stopped\"}" | hb-subscribe import
'

for key in retain_messages retain_receipts retain_stopped; do
	test_expect_success "$key = 0 keeps that kind for ever" '
		hb_sim_conf daily_limit=0 $(for k in retain_messages retain_receipts retain_stopped; do
			[ $k = $key ] && echo "$k=0" || echo "$k=10"; done) &&
		setup_store &&
		hb-purge expire 2>report &&
		case $key in
		retain_messages) test_grep "expired 1 messages" report ;;
		retain_receipts) test_grep " 0 delivery records" report ;;
		retain_stopped) test_grep " 0 stopped or unreachable" report ;;
		esac
	'
done

test_done

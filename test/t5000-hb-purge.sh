#!/bin/sh
test_description='hb-purge: erase, filter, the ledger on import, and scrub'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sim.sh"

NAME=Zacharias-Quenzelmann
PHONE=4917099887766
SECRET=Hausnummer-4711-geheim

# Webhook bodies: a message from the person on each channel.
tg () {
	jq -nc --arg t "$2" --argjson u "$1" --argjson d "$(date +%s)" \
	    '{update_id: $u, message: {message_id: $u, date: $d,
	      from: {id: 7770001112, first_name: "Zacharias-Quenzelmann"},
	      chat: {id: 7770001112, type: "private"}, text: $t}}'
}
wa () {
	jq -nc --arg t "$2" --arg mid "wamid.Z$1" --arg p "$PHONE" --arg d "$(date +%s)" \
	    '{object: "whatsapp_business_account", entry: [{id: "1", changes: [{field: "messages",
	      value: {contacts: [{profile: {name: "Zacharias-Quenzelmann"}, wa_id: $p}],
	      messages: [{from: $p, id: $mid, timestamp: $d, type: "text", text: {body: $t}}]}}]}]}'
}
meta () {
	jq -nc --arg o "$1" --arg s "$2" --arg t "$4" --arg mid "m_Z$3" --argjson ts "$(date +%s)000" \
	    '{object: $o, entry: [{id: "1", time: 1, messaging: [{sender: {id: $s},
	      recipient: {id: (if $o == "page" then "2200" else "3300" end)}, timestamp: $ts, message: {mid: $mid, text: $t}}]}]}'
}
everywhere () {
	tg "$1" "$2" && wa "$1" "$2" && meta page 8800112233 "$1" "$2" &&
	meta instagram 9900112233 "$1" "$2"
}

test_expect_success 'setup: the person on every channel, and others' '
	hb_start_sim &&
	hb_sim_conf "daily_limit = 0" &&
	hb_subscribers 1 20 &&
	{ everywhere 1 Start && everywhere 2 "$SECRET" &&
	  everywhere 3 "Noch eine Frage: $SECRET"; } | hb-ingest >/dev/null &&
	hb-broadcast run &&
	echo "Heute: Stadtfest." >news &&
	hb_sim /sim/recipient "{\"to\":\"8800112233\",\"behaviour\":\"tempfail\",\"count\":1}" &&
	test_expect_code 75 hb-broadcast send news >id 2>/dev/null &&
	pid=$(hb-subscribe show whatsapp:$PHONE | jq -r ".deliveries[0].pid | sub(\"^whatsapp:\"; \"\")") &&
	jq -nc --arg id "$pid" --arg p "$PHONE" --arg t "$(date +%s)" \
	    "{object: \"whatsapp_business_account\", entry: [{id: \"1\", changes: [{field: \"messages\",
	      value: {statuses: [{id: \$id, status: \"read\", timestamp: \$t, recipient_id: \$p}]}}]}]}" |
	hb-ingest >/dev/null &&
	test_json ".deliveries[0].state == \"read\"" hb-subscribe show whatsapp:$PHONE &&
	test_json ".deliveries[0].state == \"deferred\"" hb-subscribe show messenger:8800112233 &&
	grep -r -a -l "$SECRET" "$HB_HOME" >before &&
	test -s before
'

test_expect_success 'after Alle Daten löschen and scrub, no file holds a trace' '
	everywhere 4 "Alle Daten löschen" | hb-ingest >events &&
	test "$(grep -c "\"event\":\"erase\"" events)" = 4 &&
	hb-broadcast run &&
	hb-purge scrub 2>report &&
	test_grep "files rewritten" report &&
	for s in "$NAME" "$PHONE" "$SECRET" 7770001112 8800112233 9900112233; do
		if grep -r -a -l "$s" "$HB_HOME"; then
			echo "found $s" && return 1
		fi
	done &&
	hb-subscribe list >list &&
	test "$(wc -l <list)" = 80 &&
	test_json -s "map(.sent) | add == 80" hb-broadcast -j status "$(cat id)" &&
	test_store_verify
'

test_expect_success 'the erased person got the confirmation and nothing after it' '
	hb_texts messenger:8800112233 >texts &&
	tail -n 1 texts >last &&
	test_grep "gelöscht" last &&
	hb-broadcast run &&
	hb_texts messenger:8800112233 >texts.after &&
	test_cmp texts texts.after
'

test_expect_success 'erase takes IDs as arguments, plain lines, TSV and JSON Lines' '
	hb-purge erase telegram:491701000000 >receipt &&
	test_grep "^telegram:491701000000	subscriber 1	messages 0	deliveries 1	outbox 0	" receipt &&
	echo telegram:491701000001 | hb-purge erase >receipt &&
	test_grep "^telegram:491701000001	subscriber 1" receipt &&
	hb-subscribe list -c whatsapp | head -n 2 | hb-purge erase >receipt &&
	test "$(wc -l <receipt)" = 2 &&
	hb-subscribe -j list -c messenger | head -n 1 | hb-purge -j erase >receipt &&
	jq -e ".subscriber == 1 and .deliveries == 1" receipt &&
	test "$(hb-subscribe list | wc -l)" = 75
'

test_expect_success 'erasing nobody is no error; a bad ID changes nothing' '
	hb-purge erase telegram:42 >receipt &&
	test_grep "^telegram:42	subscriber 0	messages 0	deliveries 0	outbox 0	" receipt &&
	test_expect_code 65 hb-purge erase telegram:491701000002 "bad id" 2>err &&
	test_grep "bad ID" err &&
	hb-subscribe show telegram:491701000002 >/dev/null
'

test_expect_success 'import refuses people on the ledger unless forced' '
	echo "{\"id\":\"telegram:491701000000\",\"state\":\"active\"}" >back.jsonl &&
	echo "{\"id\":\"telegram:5550001\",\"state\":\"active\"}" >>back.jsonl &&
	test_expect_code 65 hb-subscribe import back.jsonl 2>err &&
	test_grep "telegram:491701000000: erased on request before" err &&
	test_grep "nothing imported" err &&
	test_must_fail hb-subscribe show telegram:5550001 &&
	hb-subscribe import -F back.jsonl 2>err &&
	test_grep "imported all the same" err &&
	hb-subscribe show telegram:491701000000 >/dev/null
'

test_expect_success 'filter drops the erased from TSV and JSON Lines exports' '
	hb-purge erase telegram:491701000000 >/dev/null &&
	printf "telegram:491701000000\tx\ntelegram:491701000003\ty\n\ninstagram:9900112233\tz\n" >old.tsv &&
	hb-purge filter <old.tsv >new.tsv 2>counts &&
	printf "telegram:491701000003\ty\n\n" >expect &&
	test_cmp expect new.tsv &&
	test_grep "1 kept, 2 erased people removed" counts &&
	printf "{\"id\":\"instagram:9900112233\",\"n\":1}\n{\"id\":\"telegram:491701000004\",\"n\":2}\n" |
	    hb-purge filter >new.jsonl 2>/dev/null &&
	echo "{\"id\":\"telegram:491701000004\",\"n\":2}" >expect &&
	test_cmp expect new.jsonl &&
	printf "{\"n\":1}\n" | test_expect_code 65 hb-purge filter 2>err &&
	test_grep "stdin:1:" err
'

test_expect_success 'an erase racing a broadcast: nothing reaches them after it' '
	HB_SIM_RATE=50 hb_sim_conf "daily_limit = 0" &&
	hb_subscribers 8 200 &&
	: >"$SIM_LOG" &&
	{ hb-broadcast -c telegram send news >id & } &&
	pid=$! &&
	test_wait_for grep -q 491708000010 "$SIM_LOG" &&
	hb-purge erase telegram:491708000199 >receipt &&
	test_grep "^telegram:491708000199	subscriber 1" receipt &&
	wait $pid &&
	! hb_sent_to telegram:491708000199 &&
	hb_sent_to telegram:491708000198
'

test_expect_success 'scrub waits for a crashed sender'"'"'s journal' '
	echo "{}" >"$HB_HOME/journal" &&
	test_expect_code 75 hb-purge scrub 2>err &&
	test_grep "journal is not empty" err &&
	: >"$HB_HOME/journal"
'

test_done

#!/bin/sh
test_description='hb-broadcast with hb-ingest: receipts, answers owed, erasure while sending'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sim.sh"

wa_status () {
	jq -nc --arg id "$1" --arg s "$2" --arg to "$3" --arg t "$(date +%s)" \
	    '{object: "whatsapp_business_account", entry: [{id: "1", changes: [
	      {field: "messages", value: {statuses: [
	        {id: $id, status: $s, timestamp: $t, recipient_id: $to}]}}]}]}'
}

test_expect_success 'setup' '
	hb_start_sim &&
	hb_sim_conf "daily_limit = 0" &&
	hb_subscribers 1 3 &&
	echo "Heute: Stadtfest." >news
'

test_expect_success 'WhatsApp statuses show in status as delivered and read' '
	hb-broadcast -c whatsapp send news >id &&
	hb-subscribe show whatsapp:491701000000 >shown &&
	pid=$(jq -r ".deliveries[0].pid" shown) &&
	case $pid in whatsapp:wamid.SIM*) ;; *) false ;; esac &&
	wa_status "${pid#whatsapp:}" delivered 491701000000 | hb-ingest >/dev/null &&
	pid=$(hb-subscribe show whatsapp:491701000001 | jq -r ".deliveries[0].pid") &&
	wa_status "${pid#whatsapp:}" read 491701000001 | hb-ingest >/dev/null &&
	hb-broadcast -j status "$(cat id)" >status &&
	jq -e ".recipients == 3 and .sent == 3 and .delivered == 2 and .read == 1" status
'

test_expect_success 'a Messenger read watermark counts as read' '
	hb-broadcast -c messenger send news >id &&
	jq -nc --argjson w "$((($(date +%s) + 5) * 1000))" \
	    "{object: \"page\", entry: [{id: \"1\", time: 1, messaging: [
	      {sender: {id: \"491701000002\"}, recipient: {id: \"2200\"},
	       timestamp: \$w, read: {watermark: \$w}}]}]}" | hb-ingest >/dev/null &&
	test_json ".read == 1 and .delivered == 1" hb-broadcast -j status "$(cat id)"
'

test_expect_success 'run sends the answers hb-ingest queued, once' '
	hb_tg_update 4242 Start 1 | hb-ingest >/dev/null &&
	test_json ".outbox | length == 1" hb-subscribe show telegram:4242 &&
	hb-broadcast run &&
	hb_texts telegram:4242 >texts &&
	test "$(wc -l <texts)" = 1 &&
	test_grep -i willkommen texts &&
	test_json ".outbox == []" hb-subscribe show telegram:4242 &&
	hb-broadcast run &&
	hb_texts telegram:4242 >texts &&
	test "$(wc -l <texts)" = 1
'

erased_id=telegram:491709000299

test_expect_success 'a person erased while a broadcast runs gets nothing after it' '
	HB_SIM_RATE=50 hb_sim_conf "daily_limit = 0" &&
	hb_subscribers 9 300 &&
	{ hb-broadcast -c telegram send news >id & } &&
	pid=$! &&
	test_wait_for grep -q 491709000010 "$SIM_LOG" &&
	hb_tg_update 491709000299 "Alle Daten löschen" 2 | hb-ingest >events &&
	erased_at=$(date +%s.%N) &&
	test_grep "\"event\":\"erase\"" events &&
	wait $pid &&
	hb_sent_to $erased_id &&
	jq -c --argjson at "$erased_at" "select(.text | startswith(\"Heute\")) | select(.t > \$at)" sent_to >late &&
	test_must_be_empty late &&
	! jq -e "select(.text | startswith(\"Heute\"))" sent_to &&
	test_must_fail hb-subscribe show $erased_id 2>/dev/null &&
	test_json ".sent == 303" hb-broadcast -j status "$(cat id)"
'

test_done

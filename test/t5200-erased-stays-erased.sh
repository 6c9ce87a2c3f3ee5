#!/bin/sh
test_description='erasure stays erased, and a person is one person however named'
. "$(dirname "$0")/test-lib.sh"

NOW=$(date +%s)

# tg_at chat text update_id date: a Telegram update dated `date'.
tg_at () {
	jq -nc --argjson id "$1" --arg t "$2" --argjson u "$3" --argjson d "$4" \
	    '{update_id: $u, message: {message_id: $u, date: $d,
	      from: {id: $id, first_name: "Quirin"}, chat: {id: $id, type: "private"},
	      text: $t}}'
}

test_expect_success 'setup: a person subscribes, writes, then asks to be erased' '
	hb_secret tg.token 123:abc &&
	hb_write_conf "[telegram]" "token_file = $TRASH_DIRECTORY/tg.token" &&
	tg_at 4001 Start 1 $((NOW - 300)) >start.json &&
	tg_at 4001 "Wann kommt der Bus?" 2 $((NOW - 200)) >question.json &&
	tg_at 4001 "Alle Daten löschen" 3 $((NOW - 100)) >erase.json &&
	hb-ingest start.json question.json >/dev/null &&
	test_json ".subscriber.state == \"active\" and (.messages | length) == 2" \
	    hb-subscribe show telegram:4001 &&
	hb-ingest erase.json >events &&
	test_grep "\"event\":\"erase\"" events &&
	test_expect_code 65 hb-subscribe show telegram:4001
'

test_expect_success 'a replay of their old Start does not bring them back' '
	hb-ingest -r start.json >events &&
	test_must_be_empty events &&
	test_expect_code 65 hb-subscribe show telegram:4001
'

test_expect_success 'nor does the platform retrying an old message' '
	hb-ingest start.json question.json erase.json >events &&
	test_must_be_empty events &&
	test_expect_code 65 hb-subscribe show telegram:4001 &&
	hb-subscribe -j list >all &&
	! grep -q 4001 all
'

test_expect_success 'add refuses an erased person; -F adds them all the same' '
	test_expect_code 65 hb-subscribe add telegram:4001 2>err &&
	test_grep "erased on request before" err &&
	test_expect_code 65 hb-subscribe show telegram:4001 &&
	tg_at 4002 Start 4 $((NOW - 90)) | hb-ingest >/dev/null &&
	tg_at 4002 "Alle Daten löschen" 5 $((NOW - 80)) | hb-ingest >/dev/null &&
	hb-subscribe add -F telegram:4002 &&
	test_json ".subscriber.state == \"active\"" hb-subscribe show telegram:4002
'

test_expect_success 'a ledger without its key stops what asks it (exit 78), never a new key' '
	mv "$HB_HOME/ledger.key" key.saved &&
	test_when_finished "mv key.saved \"$HB_HOME/ledger.key\"" &&
	test_expect_code 78 hb-subscribe add telegram:4999 2>err &&
	test_grep "ledger.key. is missing" err &&
	echo "telegram:4001" >one &&
	test_expect_code 78 hb-purge filter <one >/dev/null 2>&1 &&
	echo "{\"id\": \"telegram:4998\"}" >one.jsonl &&
	test_expect_code 78 hb-subscribe import one.jsonl 2>/dev/null &&
	test ! -e "$HB_HOME/ledger.key" &&
	tg_at 4001 Start 90 "$NOW" >start.json &&
	test_expect_code 78 hb-ingest start.json 2>err &&
	test_grep "is missing" err &&
	test_must_fail test_grep "could not take" err &&
	test ! -e "$HB_HOME/ledger.key" &&
	hb-subscribe -d empty add telegram:4999
'

test_expect_success 'their own new Start brings them back' '
	tg_at 4001 Start 6 "$NOW" | hb-ingest >events &&
	test_grep "\"event\":\"subscribe\"" events &&
	test_json ".subscriber.state == \"active\" and (.messages | length) == 1" \
	    hb-subscribe show telegram:4001
'

test_expect_success 'filter drops lines from before the erasure, keeps who came back' '
	before=$(date -u -d @$((NOW - 250)) +%Y-%m-%dT%H:%M:%SZ) &&
	hb-subscribe -j list >all.jsonl &&
	grep telegram:4001 all.jsonl >now.jsonl &&
	{
		printf "{\"id\":\"telegram:4001\",\"since\":\"%s\",\"name\":\"Quirin\"}\n" "$before" &&
		printf "telegram:4001\ttelegram\tactive\t%s\t\tQuirin\n" "$before" &&
		printf "telegram:4001\n" &&
		cat now.jsonl
	} >export &&
	hb-purge filter <export >kept 2>/dev/null &&
	test "$(wc -l <kept)" = 1 &&
	test_cmp now.jsonl kept
'

test_expect_success 'WhatsApp: a BSUID alone reaches the person known by phone' '
	hb_write_conf "[whatsapp]" "token_file = $TRASH_DIRECTORY/tg.token" \
	    "app_secret_file = $TRASH_DIRECTORY/tg.token" \
	    "verify_token_file = $TRASH_DIRECTORY/tg.token" "phone_number_id = 1" &&
	hb_wa_msg W1 Start $((NOW - 60)) 4917050005001 | hb-ingest >/dev/null &&
	hb_wa_msg W2 Stopp $((NOW - 50)) | hb-ingest >events &&
	test_grep "\"id\":\"whatsapp:4917050005001\"" events &&
	test_json ".subscriber.state == \"stopped\" and (.messages | length) == 2" \
	    hb-subscribe show whatsapp:4917050005001 &&
	test_expect_code 65 hb-subscribe show whatsapp:DE.5001
'

test_expect_success 'WhatsApp: erased by BSUID alone, the person is gone under both IDs' '
	hb_wa_msg W3 Start $((NOW - 40)) 4917050005001 | hb-ingest >/dev/null &&
	hb_wa_msg W4 "Alle Daten löschen" $((NOW - 30)) | hb-ingest >events &&
	test_grep "\"event\":\"erase\"" events &&
	test_expect_code 65 hb-subscribe show whatsapp:4917050005001 &&
	test_expect_code 65 hb-subscribe show whatsapp:DE.5001 &&
	hb_wa_msg W2 Stopp $((NOW - 50)) | hb-ingest >events &&
	hb_wa_msg W1 Start $((NOW - 60)) 4917050005001 | hb-ingest >>events &&
	test_must_be_empty events &&
	hb-subscribe -j list >all &&
	! grep -q 5001 all
'

test_done

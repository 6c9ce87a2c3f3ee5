#!/bin/sh
test_description='pictures, documents, places and contacts citizens send; fetch; send -m'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sim.sh"

now=$(date +%s)

# tg upd chat json: a Telegram message update whose members are json.
tg () {
	jq -nc --argjson u "$1" --argjson c "$2" --argjson d "$now" --argjson x "$3" \
	    '{update_id: $u, message: ({message_id: $u, date: $d,
	      from: {id: $c, first_name: "Max"}, chat: {id: $c, type: "private"}} + $x)}'
}

# wa mid type json: a WhatsApp message of that type from 4917012340001.
wa () {
	jq -nc --arg mid "wamid.$1" --arg type "$2" --argjson x "$3" --arg d "$now" \
	    '{object: "whatsapp_business_account", entry: [{id: "1", changes: [{field: "messages",
	      value: {metadata: {phone_number_id: "1100"},
	        contacts: [{profile: {name: "Erika"}, wa_id: "4917012340001"}],
	        messages: [{from: "4917012340001", id: $mid, timestamp: $d, type: $type}
	          + {($type): $x}]}}]}]}'
}

# meta object mid url [deleted]: a Messenger ("page") or Instagram
# ("instagram") message from 7001 with a picture at url.
meta () {
	jq -nc --arg o "$1" --arg mid "$2" --arg url "$3" --argjson ts "${now}000" --arg del "${4:-}" \
	    '{object: $o, entry: [{id: (if $o == "page" then "2200" else "3300" end), time: $ts,
	      messaging: [{sender: {id: "7001"}, recipient: {id: (if $o == "page" then "2200" else "3300" end)},
	        timestamp: $ts, message: ({mid: $mid} + (if $del == "" then
	          {attachments: [{type: "image", payload: {url: $url}}]} else {is_deleted: true} end))}]}]}'
}

# seq_of id type: the number of id's last message of that type.
seq_of () {
	hb-reply -j show "$1" | jq -s -r --arg t "$2" '[.[] | select(.type == $t)] | last | .seq'
}

test_expect_success 'setup' '
	hb_start_sim &&
	hb_sim_conf &&
	{ printf "\377\330\377\340" && head -c 5000 /dev/urandom; } >schlagloch.jpg &&
	{ printf "%%PDF-1.4\n" && head -c 5000 /dev/urandom; } >antrag.pdf &&
	hb_sim /sim/media "{\"id\": \"AgPHOTO\", \"file\": \"$TRASH_DIRECTORY/schlagloch.jpg\", \"mime\": \"image/jpeg\"}" &&
	hb_sim /sim/media "{\"id\": \"BQDOC\", \"file\": \"$TRASH_DIRECTORY/antrag.pdf\", \"mime\": \"application/pdf\"}" &&
	hb_sim /sim/media "{\"id\": \"1234567890\", \"file\": \"$TRASH_DIRECTORY/schlagloch.jpg\", \"mime\": \"image/jpeg\"}" &&
	hb_sim /sim/media "{\"id\": \"cdn1\", \"file\": \"$TRASH_DIRECTORY/schlagloch.jpg\", \"mime\": \"image/jpeg\"}" &&
	hb_sim /sim/media "{\"id\": \"cdn2\", \"file\": \"$TRASH_DIRECTORY/schlagloch.jpg\", \"mime\": \"image/jpeg\", \"expired\": true}"
'

test_expect_success 'Telegram: a photo, a document, a place and a contact are shown' '
	tg 1 601 "{\"photo\": [{\"file_id\": \"AgSMALL\", \"file_size\": 100}, {\"file_id\": \"AgPHOTO\", \"file_size\": 5004}], \"caption\": \"Schlagloch vor Nr. 12\"}" >in.json &&
	tg 2 601 "{\"document\": {\"file_id\": \"BQDOC\", \"file_name\": \"antrag.pdf\", \"mime_type\": \"application/pdf\", \"file_size\": 5009}}" >>in.json &&
	tg 3 601 "{\"location\": {\"latitude\": 49.1427, \"longitude\": 9.2109}}" >>in.json &&
	tg 4 601 "{\"venue\": {\"location\": {\"latitude\": 49.14, \"longitude\": 9.21}, \"title\": \"Marktplatz\", \"address\": \"Marktplatz 1\"}}" >>in.json &&
	tg 5 601 "{\"contact\": {\"phone_number\": \"+491701234567\", \"first_name\": \"Erika\", \"last_name\": \"Mustermann\"}}" >>in.json &&
	hb-ingest in.json >events &&
	test "$(wc -l <events)" = 5 &&
	jq -s -e ".[0].media.ref == \"AgPHOTO\" and .[0].media.size == 5004" events &&
	hb-reply show telegram:601 | cut -f3,6 >shown &&
	photo=$(seq_of telegram:601 photo) && doc=$(seq_of telegram:601 document) &&
	printf "photo\t[Bild] Schlagloch vor Nr. 12 (fetch %s)\n" "$photo" >expect &&
	printf "document\t[Dokument] antrag.pdf (fetch %s)\n" "$doc" >>expect &&
	printf "location\t[Ort] 49.1427 9.2109\n" >>expect &&
	printf "venue\t[Ort] 49.1400 9.2100 Marktplatz Marktplatz 1\n" >>expect &&
	printf "contact\t[Kontakt] Erika Mustermann +491701234567\n" >>expect &&
	test_cmp expect shown &&
	test_json ".media.mime == \"application/pdf\" and .media.name == \"antrag.pdf\"" \
	    sh -c "hb-reply -j show telegram:601 | sed -n 2p"
'

test_expect_success 'fetch writes the bytes the platform holds (Telegram: getFile, then the path)' '
	hb-reply fetch -o got.jpg telegram:601 "$(seq_of telegram:601 photo)" &&
	test "$(sha256sum <got.jpg)" = "$(sha256sum <schlagloch.jpg)" &&
	hb-reply fetch telegram:601 "$(seq_of telegram:601 document)" >got.pdf &&
	cmp antrag.pdf got.pdf &&
	jq -r "select(.method == \"GET\") | .path" "$SIM_LOG" >gets &&
	test_grep "/bottoken-0123/getFile" gets &&
	test_grep "/file/bottoken-0123/files/AgPHOTO" gets
'

test_expect_success 'WhatsApp: image, document, location, contacts; fetch by media id with the token' '
	wa I1 image "{\"id\": \"1234567890\", \"mime_type\": \"image/jpeg\", \"sha256\": \"x\", \"caption\": \"Müll am Bach\"}" >wa.json &&
	wa D1 document "{\"id\": \"55\", \"mime_type\": \"application/pdf\", \"filename\": \"antrag.pdf\"}" >>wa.json &&
	wa L1 location "{\"latitude\": 49.1427, \"longitude\": 9.2109, \"name\": \"Marktplatz\", \"address\": \"Marktplatz 1, Heilbronn\"}" >>wa.json &&
	wa C1 contacts "[{\"name\": {\"formatted_name\": \"Erika Mustermann\"}, \"phones\": [{\"phone\": \"+49 170 1234567\", \"type\": \"CELL\"}]}]" >>wa.json &&
	hb-ingest wa.json >/dev/null &&
	hb-reply show whatsapp:4917012340001 | cut -f6 >shown &&
	image=$(seq_of whatsapp:4917012340001 image) &&
	test_grep "^\[Bild\] Müll am Bach (fetch $image)$" shown &&
	test_grep "^\[Dokument\] antrag.pdf (fetch [0-9]*)$" shown &&
	test_grep "^\[Ort\] 49.1427 9.2109 Marktplatz Marktplatz 1, Heilbronn$" shown &&
	test_grep "^\[Kontakt\] Erika Mustermann +49 170 1234567$" shown &&
	: >"$SIM_LOG" &&
	hb-reply fetch -o wa.jpg whatsapp:4917012340001 "$image" &&
	cmp schlagloch.jpg wa.jpg &&
	jq -s -e "map(select(.method == \"GET\")) | length == 2 and all(.[]; .auth == \"Bearer token-0123\") and .[0].path == \"/graph/v21.0/1234567890\" and .[1].path == \"/wa-media/1234567890\"" "$SIM_LOG"
'

test_expect_success 'Messenger and Instagram: the payload URL, and when it has expired' '
	meta page m.A1 "$SIM_URL/cdn/cdn1" | hb-ingest >/dev/null &&
	meta instagram ig.A2 "$SIM_URL/cdn/cdn2" | hb-ingest >/dev/null &&
	hb-reply show messenger:7001 >shown &&
	test_grep "\[Bild\] (fetch [0-9]*)$" shown &&
	hb-reply fetch -o ms.jpg messenger:7001 "$(seq_of messenger:7001 image)" &&
	cmp schlagloch.jpg ms.jpg &&
	test_expect_code 69 hb-reply fetch -o ig.jpg instagram:7001 "$(seq_of instagram:7001 image)" 2>err &&
	test_grep "no longer has it" err &&
	test ! -e ig.jpg
'

test_expect_success 'fetch of what holds no file, or of another person, is refused' '
	hb_tg_update 601 "Danke" 9 | hb-ingest >/dev/null &&
	text=$(seq_of telegram:601 text) &&
	test_expect_code 65 hb-reply fetch -o x telegram:601 "$text" 2>err &&
	test_grep "has no picture or document" err &&
	test_expect_code 65 hb-reply fetch -o x telegram:602 "$(seq_of telegram:601 photo)" 2>err &&
	test_grep "no message" err &&
	test_expect_code 64 hb-reply fetch telegram:601 x 2>/dev/null &&
	test ! -e x
'

test_expect_success 'a message the citizen deletes takes its picture with it' '
	meta instagram ig.A3 "$SIM_URL/cdn/cdn1" | hb-ingest >/dev/null &&
	hb-reply show instagram:7001 >before &&
	test "$(grep -c "fetch" before)" = 2 &&
	meta instagram ig.A3 "" deleted | hb-ingest >/dev/null &&
	hb-reply show instagram:7001 >after &&
	test "$(grep -c "fetch" after)" = 1 &&
	hb-reply -j show instagram:7001 | jq -s -e "[.[] | select(.deleted)] | length == 1 and .[0].media == null"
'

test_expect_success 'send -m answers with a picture; the text is its caption' '
	: >"$SIM_LOG" &&
	echo "Danke, wir kümmern uns." >answer &&
	hb-reply send -m antrag.pdf telegram:601 answer &&
	jq -s -e "map(select(.channel == \"telegram\")) | length == 1 and .[0].path == \"/bottoken-0123/sendDocument\" and .[0].text == \"Danke, wir kümmern uns.\" and .[0].files.document.filename == \"antrag.pdf\"" "$SIM_LOG" &&
	hb-reply show telegram:601 | tail -n 1 | cut -f2,3,4,6 >last &&
	printf "out\tdocument\tsent\t[Dokument] antrag.pdf Danke, wir kümmern uns.\n" >expect &&
	test_cmp expect last &&
	hb-reply send -m schlagloch.jpg whatsapp:4917012340001 </dev/null &&
	jq -s -e "map(select(.upload == \"whatsapp\")) | length == 1" "$SIM_LOG" &&
	hb-reply send -m schlagloch.jpg instagram:7001 answer &&
	hb_sent_to instagram:7001 && test "$(wc -l <sent_to)" = 2 &&
	head -n 1 sent_to | jq -e ".media | startswith(\"$SIM_URL/static/\")" &&
	{ printf "GIF89a" && echo x; } >bild.gif &&
	test_expect_code 65 hb-reply send -m bild.gif telegram:601 answer 2>err &&
	test_grep "not a JPEG or PNG image or a PDF" err
'

test_expect_success 'an erased person leaves no media reference behind' '
	hb-purge erase whatsapp:4917012340001 telegram:601 >/dev/null &&
	hb-purge scrub 2>/dev/null &&
	for s in AgPHOTO BQDOC 1234567890 antrag.pdf; do
		if grep -r -a -l "$s" "$HB_HOME"; then
			echo "found $s" && return 1
		fi
	done
'

test_done

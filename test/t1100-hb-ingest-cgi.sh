#!/bin/sh
test_description='hb-ingest as CGI under lighttpd: signatures, statuses, nothing stored on refusal'
. "${0%/*}/test-lib.sh"
. "$TEST_DIRECTORY/lib-httpd.sh"

DATA=$TEST_DIRECTORY/data/ingest

# What the store holds, as the programs show it.
fingerprint () {
	hb-subscribe -j list >fp.list &&
	for id in $(jq -r .id fp.list); do
		hb-subscribe -j show "$id" || return 1
	done >fp.show &&
	cat fp.list fp.show >"$1"
}

test_expect_success 'start lighttpd with hb-ingest as CGI' '
	hb_full_conf "lock_wait = 1" &&
	hb_start_httpd
'

test_expect_success 'Meta verification handshake: the right token gets the challenge' '
	status=$(curl -s -o answer -w "%{http_code}" \
	    "$HB_URL/whatsapp?hub.mode=subscribe&hub.verify_token=$VERIFY&hub.challenge=1158201444") &&
	test "$status" = 200 &&
	test "$(cat answer)" = 1158201444 &&
	status=$(curl -s -o answer -w "%{http_code}" \
	    "$HB_URL/meta?hub.mode=subscribe&hub.verify_token=$VERIFY&hub.challenge=x%2By") &&
	test "$status" = 200 &&
	test "$(cat answer)" = "x+y"
'

test_expect_success 'a signed message from each platform subscribes (200)' '
	test "$(hb_post_meta /whatsapp "$DATA/wa-start.json")" = 200 &&
	test "$(hb_post_telegram "$DATA/tg-start.json")" = 200 &&
	test "$(hb_post_meta /messenger "$DATA/ms-start.json")" = 200 &&
	test "$(hb_post_meta /meta "$DATA/ig-start.json")" = 200 &&
	hb-subscribe list -s active | cut -f1 >active &&
	cat >expect <<-\EOF &&
	instagram:1234567890123456
	messenger:6543210987654321
	telegram:5123456789
	whatsapp:4917012345678
	EOF
	test_cmp expect active
'

test_expect_success 'the welcome waits in the outbox, nothing was sent' '
	hb-subscribe show telegram:5123456789 >out &&
	jq -e ".outbox | length == 1 and .[0].kind == \"welcome\"" out
'

test_expect_success 'a platform retry is stored once' '
	test "$(hb_post_meta /whatsapp "$DATA/wa-start.json")" = 200 &&
	test "$(hb_post_meta /whatsapp "$DATA/wa-start.json")" = 200 &&
	hb-subscribe show whatsapp:4917012345678 >out &&
	jq -e ".messages | length == 1" out &&
	jq -e ".outbox | length == 1" out
'

test_expect_success 'umlauts and emoji survive, Meta escapes included' '
	printf "%s" "{\"object\":\"page\",\"entry\":[{\"id\":\"1\",\"time\":1,\"messaging\":[{\"sender\":{\"id\":\"6543210987654321\"},\"recipient\":{\"id\":\"104857600123456\"},\"timestamp\":1767773000000,\"message\":{\"mid\":\"m_umlaut\",\"text\":\"Gr\\u00fc\\u00dfe aus der S\\u00fcdstadt \\ud83d\\ude00\"}}]}]}" >umlaut.json &&
	test "$(hb_post_meta /messenger umlaut.json)" = 200 &&
	hb-subscribe show messenger:6543210987654321 >out &&
	jq -e ".messages[] | select(.pid == \"messenger:m_umlaut\") | .text == \"Grüße aus der Südstadt 😀\"" out
'

test_expect_success '"Alle Daten l\u00f6schen" with Meta escapes erases the person' '
	printf "%s" "{\"object\":\"page\",\"entry\":[{\"id\":\"1\",\"time\":1,\"messaging\":[{\"sender\":{\"id\":\"6543210987654321\"},\"recipient\":{\"id\":\"104857600123456\"},\"timestamp\":1767773100000,\"message\":{\"mid\":\"m_erase\",\"text\":\"Alle Daten l\\u00f6schen\"}}]}]}" >erase.json &&
	test "$(hb_post_meta /messenger erase.json)" = 200 &&
	hb-subscribe list | cut -f1 >ids &&
	test_must_fail grep messenger ids &&
	test_expect_code 65 hb-subscribe show messenger:6543210987654321
'

# The bad-input table: name, path, body, how it is signed, status, answer.
bad_input () {
	name=$1 path=$2 body=$3 how=$4 want=$5 says=$6
	fingerprint before &&
	case "$how" in
	meta) got=$(hb_post_meta "$path" "$body") ;;
	none) got=$(hb_post "$path" "$body") ;;
	garbage) got=$(hb_post "$path" "$body" -H "X-Hub-Signature-256: sha256=$(printf %064d 0)") ;;
	other) got=$(hb_post "$path" "$body" -H "X-Hub-Signature-256: $(hb_meta_sign not-the-secret "$body")") ;;
	reserialised) jq -c . <"$body" >reser.json &&
		got=$(hb_post "$path" "$body" -H "X-Hub-Signature-256: $(hb_meta_sign "$META_SECRET" reser.json)") ;;
	tg) got=$(hb_post_telegram "$body") ;;
	tg-wrong) got=$(hb_post "$path" "$body" -H "X-Telegram-Bot-Api-Secret-Token: wrong") ;;
	esac
	fingerprint after &&
	if [ "$got" != "$want" ]; then
		echo "$name: want $want, got $got"; return 1
	fi &&
	if ! grep -q "$says" answer; then
		echo "$name: the answer does not say \"$says\":"; cat answer; return 1
	fi &&
	test_cmp before after
}

test_expect_success 'set up bad bodies' '
	printf "{\"object\":\"page\",\"entry\":[" >truncated.json &&
	printf "" >empty.json &&
	printf "{\"object\":\"page\",\"entry\":\"x\"}" >shape.json &&
	printf "{\"object\":\"whatsapp_business_account\",\"entry\":[[{\"changes\":[]}]]}" >wa-arrays.json &&
	printf "{\"object\":\"page\",\"entry\":[{\"id\":\"1\",\"messaging\":{\"sender\":{\"id\":\"77\"},\"timestamp\":1,\"message\":{\"mid\":\"m_o\",\"text\":\"Start\"}}}]}" >ms-object.json &&
	printf "{\"object\":\"instagram\",\"entry\":[{\"id\":\"1\",\"messaging\":[{\"sender\":{\"id\":17841},\"recipient\":{\"id\":\"17841400000000000\"},\"timestamp\":1,\"message\":{\"mid\":\"m_n\",\"text\":\"Start\"}}]}]}" >ig-number.json &&
	printf "{\"object\":\"user\",\"entry\":[]}" >object.json &&
	printf "not json" >invalid.json &&
	printf "{\"object\":\"page\",\"entry\":[{\"messaging\":[{\"sender\":{\"id\":\"77\"},\"timestamp\":1,\"message\":{\"mid\":\"m_x\",\"text\":\"\\377\\376\"}}]}]}" >utf8.json &&
	printf "{\"object\":\"page\",\"entry\":[{\"messaging\":[{\"sender\":{\"id\":\"77\"},\"timestamp\":1,\"message\":{\"mid\":\"m_y\",\"text\":\"a\\000b\"}}]}]}" >nul.json &&
	printf "{\"object\":\"page\",\"entry\":[{\"messaging\":[{\"sender\":{\"id\":\"77\"},\"timestamp\":1,\"message\":{\"mid\":\"m_z\",\"text\":\"a\\\\u0000b\"}}]}]}" >nul-escape.json &&
	{ printf "{\"object\":\"page\",\"entry\":"; head -c 5000 /dev/zero | tr "\\0" "["; } >deep.json &&
	{ printf "{\"object\":\"page\",\"entry\":[{\"messaging\":[{\"sender\":{\"id\":\"77\"},\"timestamp\":1,\"message\":{\"mid\":\"m_big\",\"text\":\""; head -c 5000000 /dev/zero | tr "\\0" a; printf "\"}}]}]}"; } >big.json &&
	{ printf "{\"object\":\"page\",\"entry\":[{\"messaging\":[{\"sender\":{\"id\":\"77\"},\"timestamp\":1,\"message\":{\"mid\":\"m_over\",\"text\":\""; head -c 70000 /dev/zero | tr "\\0" a; printf "\"}}]}]}"; } >over.json &&
	printf "{\"update_id\":1,\"message\":{\"message_id\":1,\"chat\":{\"id\":77,\"type\":\"private\"},\"date\":1,\"text\":\"Start\"}}" >tg.json &&
	cp "$DATA"/*.json .
'

test_expect_success 'bad input: each refused with the right status, nothing stored' '
	while read -r name path body how want says; do
		bad_input "$name" "$path" "$body" "$how" "$want" "$says" || return 1
	done <<-\EOF
	invalid-json /messenger invalid.json meta 400 bad
	truncated /messenger truncated.json meta 400 bad
	empty /messenger empty.json meta 400 bad
	wrong-shape /messenger shape.json meta 400 bad
	entry-of-arrays /whatsapp wa-arrays.json meta 400 bad
	messaging-object /messenger ms-object.json meta 400 bad
	sender-a-number /meta ig-number.json meta 400 bad
	unknown-object /meta object.json meta 400 bad
	other-channel /whatsapp ig-start.json meta 400 bad
	telegram-on-meta /meta tg.json meta 400 bad
	unsigned /messenger ms-start.json none 401 unsigned
	bad-signature /messenger ms-start.json garbage 403 signature
	other-secret /messenger ms-start.json other 403 signature
	reserialised /messenger umlaut.json reserialised 403 signature
	over-limit /messenger over.json meta 413 large
	five-mb /messenger big.json meta 413 large
	invalid-utf8 /messenger utf8.json meta 400 bad
	nul-byte /messenger nul.json meta 400 bad
	nul-escape /messenger nul-escape.json meta 400 bad
	deep-nesting /messenger deep.json meta 400 bad
	telegram-unsigned /telegram tg.json none 401 unsigned
	telegram-wrong-secret /telegram tg.json tg-wrong 403 signature
	EOF
'

test_expect_success 'a wrong method is 405, an unknown channel 404' '
	test "$(curl -s -o answer -w "%{http_code}" -X DELETE "$HB_URL/whatsapp")" = 405 &&
	test "$(curl -s -o answer -w "%{http_code}" "$HB_URL/telegram")" = 405 &&
	test "$(curl -s -o answer -w "%{http_code}" -X POST -d x "$HB_URL/signal")" = 404 &&
	test "$(curl -s -o answer -w "%{http_code}" -X POST -d x "$HB_URL")" = 404
'

test_expect_success 'a challenge with a wrong verify token is 403' '
	test "$(curl -s -o answer -w "%{http_code}" \
	    "$HB_URL/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1")" = 403 &&
	test_must_fail grep -q 1 answer &&
	test "$(curl -s -o answer -w "%{http_code}" \
	    "$HB_URL/whatsapp?hub.mode=unsubscribe&hub.verify_token=$VERIFY&hub.challenge=1")" = 403
'

# holds_lock pid: flock pid (or the sleep it runs) holds the store's lock.
holds_lock () {
	grep -q "FLOCK .* WRITE $1 " /proc/locks ||
	    grep -q "FLOCK .* WRITE $(pgrep -P "$1" sleep) " /proc/locks
}

test_expect_success 'a busy store answers 503, so that the platform retries' '
	fingerprint before &&
	{ flock "$HB_HOME/lock" sleep 4 & } &&
	holder=$! &&
	test_wait_for holds_lock $holder &&
	got=$(hb_post_meta /whatsapp "$DATA/wa-start.json" 2>/dev/null) &&
	printf "%s" "{\"update_id\":99,\"message\":{\"message_id\":9,\"chat\":{\"id\":88,\"type\":\"private\"},\"date\":1,\"text\":\"Hallo\"}}" >busy.json &&
	got=$(hb_post_telegram busy.json) &&
	wait $holder &&
	test "$got" = 503 &&
	fingerprint after &&
	test_cmp before after &&
	test "$(hb_post_telegram busy.json)" = 200 &&
	hb-subscribe list | cut -f1 >ids &&
	test_grep -x telegram:88 ids
'

# count_messages: "chat count" for the ten chats of the burst.
count_messages () {
	for c in $(seq 900 909); do
		n=$(hb-subscribe -j show "telegram:$c" 2>/dev/null |
		    jq ".messages | length")
		echo "$c ${n:-0}"
	done
}

test_expect_success 'forty webhooks at once: 200 means stored once, 503 nothing' '
	for i in $(seq 1 40); do
		printf "{\"update_id\":%d,\"message\":{\"message_id\":%d,\"date\":1767780000,\"chat\":{\"id\":%d,\"type\":\"private\"},\"text\":\"Start\"}}" \
		    $((7000 + i)) $i $((900 + i % 10)) >burst.$i || return 1
	done &&
	pids= &&
	for i in $(seq 1 40); do
		curl -s -o /dev/null -w "%{http_code}\n" -X POST \
		    -H "X-Telegram-Bot-Api-Secret-Token: $TG_SECRET" \
		    --data-binary @burst.$i "$HB_URL/telegram" >status.$i &
		pids="$pids $!"
	done &&
	for p in $pids; do wait $p || return 1; done &&
	# What was answered 200, per chat, is exactly what is stored.
	for i in $(seq 1 40); do
		echo "$((900 + i % 10)) $(cat status.$i)"
	done | awk "{ n[\$1] += (\$2 == 200) } END { for (c = 900; c <= 909; c++) print c, n[c] + 0 }" >expect &&
	count_messages >got &&
	test_cmp expect got &&
	# The platform retries what got 503 (a slow machine, valgrind).
	for i in $(seq 1 40); do
		tries=0
		while [ "$(cat status.$i)" != 200 ] && [ $tries -lt 5 ]; do
			hb_post_telegram burst.$i >status.$i
			tries=$((tries + 1))
		done
		test "$(cat status.$i)" = 200 || return 1
	done &&
	count_messages >got &&
	printf "%s 4\n" $(seq 900 909) >expect &&
	test_cmp expect got &&
	test_must_fail ls "$HB_HOME"/spool/*[0-9] 2>/dev/null
'

test_expect_success 'bodies left waiting or claimed by a dead process are committed next' '
	printf "{\"update_id\":8001,\"message\":{\"message_id\":1,\"date\":1,\"chat\":{\"id\":951,\"type\":\"private\"},\"text\":\"Start\"}}" \
	    >"$HB_HOME/spool/telegram.1.1.000000001" &&
	printf "{\"update_id\":8002,\"message\":{\"message_id\":1,\"date\":1,\"chat\":{\"id\":952,\"type\":\"private\"},\"text\":\"Start\"}}" \
	    >"$HB_HOME/spool/telegram.2.1.000000001.claimed" &&
	printf "{\"update_id\":8003,\"message\":{\"message_id\":1,\"date\":1,\"chat\":{\"id\":953,\"type\":\"private\"},\"text\":\"Start\"}}" >next.json &&
	test "$(hb_post_telegram next.json)" = 200 &&
	hb-subscribe list -s active | cut -f1 >ids &&
	test_grep -x telegram:951 ids &&
	test_grep -x telegram:952 ids &&
	test_grep -x telegram:953 ids &&
	test_must_fail ls "$HB_HOME"/spool/telegram.* 2>/dev/null
'

test_expect_success 'a body the store cannot take holds none of the others back' '
	hb_tg_update 971 "Alle Daten löschen" 8201 >erase.json &&
	test "$(hb_post_telegram erase.json)" = 200 &&
	hb-test-damage telegram:972 &&
	hb_tg_update 972 Start 8202 >"$HB_HOME/spool/telegram.3.1.000000001" &&
	hb_tg_update 973 Start 8203 >"$HB_HOME/spool/telegram.3.1.000000002" &&
	hb_tg_update 974 Start 8204 >own.json &&
	test "$(hb_post_telegram own.json)" = 200 &&
	hb-subscribe list -s active | cut -f1 >ids &&
	test_grep -x telegram:973 ids &&
	test_grep -x telegram:974 ids &&
	test_must_fail test_grep -x telegram:972 ids &&
	ls "$HB_HOME/spool" >left &&
	echo telegram.3.1.000000001.failed >expect &&
	test_cmp expect left
'

test_expect_success 'its own webhook is answered 503 and kept aside, as long as it fails' '
	hb_tg_update 972 Start 8205 >bad.json &&
	test "$(hb_post_telegram bad.json)" = 503 &&
	ls "$HB_HOME/spool" | grep -c "[.]failed$" >n &&
	test "$(cat n)" = 2 &&
	test_must_fail hb-subscribe show telegram:972 &&
	rm "$HB_HOME"/spool/*.failed &&
	hb_tg_update 975 Start 8206 >good.json &&
	test "$(hb_post_telegram good.json)" = 200
'

test_expect_success 'hooks run after the answer, with the event on stdin' '
	mkdir -p hooks &&
	printf "#!/bin/sh\ncat >\"%s/hooked\"\n" "$TRASH_DIRECTORY" >hooks/on-subscribe &&
	chmod +x hooks/on-subscribe &&
	printf "{\"update_id\":8100,\"message\":{\"message_id\":1,\"date\":1,\"chat\":{\"id\":961,\"type\":\"private\"},\"text\":\"Start\"}}" >hook.json &&
	test "$(hb_post_telegram hook.json)" = 200 &&
	test_wait_for test -s hooked &&
	jq -e ".event == \"subscribe\" and .id == \"telegram:961\"" hooked
'

test_expect_success 'no secret or message text in the web server log' '
	! grep -e "$META_SECRET" -e "$TG_SECRET" -e "$VERIFY" -e Grüße -e Südstadt "$HTTPD_ROOT/error.log"
'

test_expect_success 'the store verifies clean' '
	test_store_verify
'

test_done

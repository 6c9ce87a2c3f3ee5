#!/bin/sh
test_description='hb-broadcast send -m: a picture or document, uploaded once per platform'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sim.sh"

# uploads channel: how many uploads of the attachment channel saw.
uploads () {
	jq -s --arg c "$1" '[.[] | select(.upload == $c)] | length' "$SIM_LOG"
}

# sends_with channel: the references the sends to channel named, sorted
# and counted ("count ref").
sends_with () {
	jq -r --arg c "$1" 'select(.channel == $c and .media != null) | .media' \
	    "$SIM_LOG" | sort | uniq -c | sed "s/^ *//"
}

test_expect_success 'setup' '
	hb_start_sim &&
	hb_sim_conf "daily_limit = 0" &&
	hb_subscribers 1 20 &&
	echo "Heute: Stadtfest auf dem Marktplatz." >news &&
	{ printf "\211PNG\r\n\032\n" && head -c 3000 /dev/urandom; } >plakat.png &&
	{ printf "%%PDF-1.4\n" && head -c 3000 /dev/urandom; } >beschluss.pdf &&
	{ printf "GIF89a" && head -c 100 /dev/urandom; } >bild.gif &&
	{ printf "\211PNG\r\n\032\n" && head -c 6000000 /dev/zero; } >gross.png
'

test_expect_success 'an image reaches every subscriber, uploaded once a platform' '
	: >"$SIM_LOG" &&
	hb-broadcast send -m plakat.png news >id &&
	test "$(uploads telegram)" = 1 &&
	test "$(uploads whatsapp)" = 1 &&
	test "$(uploads messenger)" = 1 &&
	test "$(uploads instagram)" = 0 &&
	sends_with telegram >tg && test "$(wc -l <tg)" = 2 &&
	test_grep "^19 AgADSIM" tg && test_grep "^1 $" tg &&
	sends_with whatsapp >wa && test "$(wc -l <wa)" = 1 && test_grep "^20 " wa &&
	sends_with messenger >ms && test "$(wc -l <ms)" = 1 && test_grep "^20 " ms &&
	sends_with instagram >ig && test "$(wc -l <ig)" = 1 &&
	test_grep "^20 $SIM_URL/static/[0-9a-f]\{64\}\.png$" ig &&
	cmp plakat.png "$TRASH_DIRECTORY"/public/*.png &&
	jq -s -e "map(select(.upload == \"whatsapp\")) | .[0].sha256 == \"$(sha256sum <plakat.png | cut -c1-64)\"" "$SIM_LOG" &&
	test "$(stat -c %a "$TRASH_DIRECTORY"/public/*.png)" = 644 &&
	hb-broadcast status "$(cat id)" >status &&
	test_grep "^whatsapp	20	20	0	0	0	0	0$" status &&
	test_grep "^instagram	20	20	0	0	0	0	0$" status
'

test_expect_success 'the text is the caption where it fits, else it follows' '
	hb_sent_to whatsapp:491701000003 &&
	jq -e "(.body.type == \"image\") and .body.image.caption == \"Heute: Stadtfest auf dem Marktplatz.\"" sent_to &&
	hb_sent_to telegram:491701000003 &&
	jq -e ".path == \"/bottoken-0123/sendPhoto\" and .text == \"Heute: Stadtfest auf dem Marktplatz.\"" sent_to &&
	hb_sent_to messenger:491701000003 && test "$(wc -l <sent_to)" = 2 &&
	head -n 1 sent_to | jq -e ".body.message.attachment.type == \"image\" and .body.message.text == null" &&
	tail -n 1 sent_to | jq -e ".text == \"Heute: Stadtfest auf dem Marktplatz.\"" &&
	hb_sent_to instagram:491701000003 && test "$(wc -l <sent_to)" = 2 &&
	awk "BEGIN { for (i = 0; i < 1100; i++) printf \"x\" }" >long &&
	: >"$SIM_LOG" &&
	hb-broadcast send -c telegram -m plakat.png long >/dev/null &&
	hb_sent_to telegram:491701000003 && test "$(wc -l <sent_to)" = 2 &&
	head -n 1 sent_to | jq -e ".path == \"/bottoken-0123/sendPhoto\" and .text == null" &&
	tail -n 1 sent_to | jq -e ".path == \"/bottoken-0123/sendMessage\" and (.text | length) == 1100"
'

test_expect_success 'a PDF goes as a document, with its name' '
	: >"$SIM_LOG" &&
	hb-broadcast send -m beschluss.pdf news >/dev/null &&
	test "$(uploads telegram)" = 1 && test "$(uploads whatsapp)" = 1 &&
	test "$(uploads messenger)" = 1 &&
	hb_sent_to whatsapp:491701000004 &&
	jq -e ".body.type == \"document\" and .body.document.filename == \"beschluss.pdf\"" sent_to &&
	hb_sent_to telegram:491701000004 &&
	jq -e ".path == \"/bottoken-0123/sendDocument\"" sent_to &&
	hb_sent_to messenger:491701000004 &&
	head -n 1 sent_to | jq -e ".body.message.attachment.type == \"file\"" &&
	jq -s -e "map(select(.upload == \"messenger\")) | .[0].size == $(wc -c <beschluss.pdf)" "$SIM_LOG" &&
	test "$(ls "$TRASH_DIRECTORY"/public/*.pdf | wc -l)" = 1
'

test_expect_success 'what a platform cannot take is refused before anything is stored' '
	hb-broadcast list >before &&
	ls "$HB_HOME/media" >media.before &&
	test_expect_code 65 hb-broadcast send -m gross.png news 2>err &&
	test_grep "whatsapp takes images of up to 5 MB" err &&
	test_must_fail test_grep "telegram" err &&
	test_expect_code 65 hb-broadcast send -m bild.gif news 2>err &&
	test_grep "not a JPEG or PNG image or a PDF" err &&
	test_expect_code 66 hb-broadcast send -m nosuch.png news &&
	test_expect_code 65 hb-broadcast send -n -m gross.png news >/dev/null 2>err &&
	test_grep "would be refused: gross.png: whatsapp takes images of up to 5 MB" err &&
	hb-broadcast list >after &&
	test_cmp before after &&
	ls "$HB_HOME/media" >media.after &&
	test_cmp media.before media.after &&
	hb-broadcast send -n -c telegram,messenger -m gross.png news >plan &&
	test_grep "^telegram	20	20	0	0	1	" plan &&
	test_grep "^messenger	20	20	0	0	2	" plan
'

test_expect_success 'outside the WhatsApp window: the text template leaves the picture out' '
	cp subs.jsonl subs1.jsonl &&
	hb_subscribers 2 20 100000 &&
	hb-broadcast send -n -c whatsapp -m plakat.png news >plan 2>err &&
	test_grep "^whatsapp	40	20	20	0	1	[0-9]*	20$" plan &&
	test_grep "whatsapp: 20 get the text template without the attachment" err &&
	: >"$SIM_LOG" &&
	hb-broadcast send -c whatsapp -m plakat.png news >id &&
	test "$(uploads whatsapp)" = 1 &&
	hb_sent_to whatsapp:491702000005 &&
	jq -e ".template == true and .body.template.name == \"stadt_news\" and .media == null" sent_to &&
	hb_sent_to whatsapp:491701000005 &&
	jq -e ".template == false and .body.type == \"image\"" sent_to &&
	hb-broadcast status "$(cat id)" >status 2>err &&
	test_grep "^whatsapp	40	40	" status &&
	test_grep "whatsapp: 20: the text template, without the attachment" err &&
	hb-broadcast -j status "$(cat id)" | jq -e ".no_media == 20"
'

test_expect_success 'with template_media the template carries it in its header' '
	HB_SIM_WHATSAPP="template_media = stadt_bild" hb_sim_conf "daily_limit = 0" &&
	hb-broadcast send -n -c whatsapp -m plakat.png news >plan 2>err &&
	test_grep "^whatsapp	40	20	20	0	1	[0-9]*	0$" plan &&
	: >"$SIM_LOG" &&
	hb-broadcast send -c whatsapp -m plakat.png news >id &&
	test "$(uploads whatsapp)" = 1 &&
	hb_sent_to whatsapp:491702000005 &&
	jq -e ".template == true and .body.template.name == \"stadt_bild\" and .body.template.components[0].type == \"header\" and (.media | length) > 0 and .text == \"Heute: Stadtfest auf dem Marktplatz.\"" sent_to &&
	hb-broadcast status "$(cat id)" >status 2>err &&
	test_must_fail test_grep "without the attachment" err
'

test_expect_success 'a reference the platform forgot is uploaded again, once' '
	hb_sim_conf "daily_limit = 0" &&
	: >"$SIM_LOG" &&
	hb_sim /sim/fault "{\"path\": \"/sendPhoto\", \"status\": 400, \"after\": 3, \"body\": {\"ok\": false, \"error_code\": 400, \"description\": \"Bad Request: wrong file identifier/HTTP URL specified\"}}" &&
	hb-broadcast send -c telegram -m plakat.png news >id &&
	test "$(uploads telegram)" = 2 &&
	hb-broadcast status "$(cat id)" >status &&
	test_grep "^telegram	40	40	0	0	0	0	0$" status
'

test_expect_success 'kill -9 after the upload: the run that resumes uploads nothing' '
	: >"$SIM_LOG" &&
	hb_sim /sim/hold "{\"channel\": \"whatsapp\"}" &&
	{ hb-broadcast send -c whatsapp -m beschluss.pdf news >id 2>/dev/null & } &&
	pid=$! &&
	test_wait_for jq -s -e "any(.[]; .channel == \"whatsapp\")" "$SIM_LOG" &&
	test_wait_for sh -c "hb-broadcast -j list | jq -e \"select(.n == \$(cat id)) | .media.refs.whatsapp\"" &&
	kill -9 $pid &&
	{ wait $pid || :; } &&
	hb_sim /sim/release "{\"channel\": \"whatsapp\"}" &&
	hb-broadcast run &&
	test "$(uploads whatsapp)" = 1 &&
	hb_copies >copies &&
	test "$(grep -c "^whatsapp:" copies)" = 40 &&
	hb-broadcast status "$(cat id)" >status &&
	test_grep "^whatsapp	40	40	0	0	0	0	0$" status
'

test_expect_success 'scrub removes the copies no unfinished broadcast needs' '
	{ printf "\211PNG\r\n\032\n" && echo morgen; } >morgen.png &&
	hb-broadcast send -a "$(date -u -d tomorrow +%Y-%m-%dT10:00)" -m morgen.png news >id &&
	test -n "$(ls "$HB_HOME/media")" &&
	touch -d "2 hours ago" "$HB_HOME"/media/* "$TRASH_DIRECTORY"/public/* &&
	hb-purge scrub 2>err &&
	test_grep "and 4 attachments removed" err &&
	test "$(ls "$HB_HOME/media")" = "$(sha256sum <morgen.png | cut -c1-64)" &&
	test -z "$(ls "$TRASH_DIRECTORY/public")" &&
	hb-broadcast cancel "$(cat id)" &&
	hb-purge scrub 2>err &&
	test_grep "and 1 attachments removed" err &&
	test -z "$(ls "$HB_HOME/media")"
'

test_done

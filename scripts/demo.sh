#!/bin/sh
# make demo: what hb does so far, end to end, in a throwaway store.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
HB_BUILD=${HB_BUILD:-$top/build}
PATH=$HB_BUILD/bin:$PATH
demo=$(mktemp -d "${TMPDIR:-/tmp}/hb-demo.XXXXXX")
sim=
trap '[ -z "$sim" ] || kill "$sim"; rm -rf "$demo"' EXIT
cd "$demo"

# The platforms are played by the simulator the tests use, on loopback.
mkdir "$demo/public"
python3 "$top/test/sim/hbsim.py" --port-file "$demo/sim.port" \
    --log "$demo/sim.log" --static "$demo/public" &
sim=$!
while [ ! -s "$demo/sim.port" ]; do sleep 0.1; done
api=http://127.0.0.1:$(cat "$demo/sim.port")

bold='' plain=''
if [ -t 1 ]; then
	bold=$(printf '\033[1m') plain=$(printf '\033[0m')
fi
step () {
	printf '\n%s== %s%s\n' "$bold" "$*" "$plain"
}
run () {
	printf '$ %s\n' "$*"
	"$@"
}

export HB_CONF="$demo/hb.conf"
# Secrets live in files only their owner may read.
(umask 077 && for s in tg.token tg.secret meta.token meta.secret meta.verify; do
	echo "demo-$s" >"$demo/$s"; done)
cat >"$HB_CONF" <<CONF
[hb]
home = $demo/store
daily_limit = 2
timezone = Europe/Berlin
hooks = $demo/hooks

[telegram]
api = $api
token_file = $demo/tg.token
secret_file = $demo/tg.secret

[whatsapp]
api = $api/v21.0
template = stadt_news
template_media = stadt_bild
phone_number_id = 110022334455667
token_file = $demo/meta.token
app_secret_file = $demo/meta.secret
verify_token_file = $demo/meta.verify

[messenger]
api = $api/v21.0
page_id = 104857600123456
token_file = $demo/meta.token
app_secret_file = $demo/meta.secret
verify_token_file = $demo/meta.verify

[topics]
baustellen = Baustellen, Verkehr
veranstaltungen = Veranstaltungen, Kultur

[instagram]
api = $api/instagram/v21.0
account_id = 17841400000000000
media_url = $api/static
media_dir = $demo/public
token_file = $demo/meta.token
app_secret_file = $demo/meta.secret
verify_token_file = $demo/meta.verify
CONF

step "A throwaway store in $demo; its configuration (hb-subscribe -n):"
run hb-subscribe -n | sed -n '1,6p'

step "Citizens send Start on all four platforms: hb-ingest takes the webhook bodies and prints the events"
tg () {
	printf '{"update_id":%s,"message":{"message_id":%s,"date":1767772800,"from":{"id":5123456789,"first_name":"Erika","language_code":"de"},"chat":{"id":5123456789,"type":"private"},"text":"%s"}}\n' "$1" "$1" "$2"
}
{
	tg 1 /start
	printf '%s\n' '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"contacts":[{"profile":{"name":"Max Muster"},"wa_id":"4917012345678"}],"messages":[{"from":"4917012345678","id":"wamid.1","timestamp":"1767772800","type":"text","text":{"body":"Start"}}]}}]}]}'
	printf '%s\n' '{"object":"page","entry":[{"id":"104857600123456","time":1,"messaging":[{"sender":{"id":"6543210987654321"},"recipient":{"id":"104857600123456"},"timestamp":1767772800000,"postback":{"title":"Los geht es","payload":"GET_STARTED","mid":"m_1"}}]}]}'
	printf '%s\n' '{"object":"instagram","entry":[{"id":"17841400000000000","time":1,"messaging":[{"sender":{"id":"1234567890123456"},"recipient":{"id":"17841400000000000"},"timestamp":1767772800000,"message":{"mid":"m_2","text":"START!"}}]}]}'
} >webhooks.jsonl
run hb-ingest webhooks.jsonl

step "Erika asks a question, then wants to know what is stored about her"
{ tg 2 "Wann ist die Hauptstraße wieder frei?"; tg 3 "Meine Daten"; } | run hb-ingest

step "The answers wait in the outbox for hb-broadcast run; her Meine Daten answer:"
hb-subscribe -j show telegram:5123456789 >erika.json
jq -r '.outbox[] | select(.kind == "mydata") | .text' erika.json

# sent: what the platforms (the simulator) received since the last look.
seen=0
sent () {
	tail -n +$((seen + 1)) sim.log | jq -r 'if .upload then
	    "\(.upload)\t(upload of \(.size) bytes, reference \(.ref))"
	    elif .channel then
	    "\(.channel):\(.to)\t\(if .template then "(template) " else "" end)\(if .media then "(picture) " else "" end)\(.text // "" | gsub("\n"; " ") | .[0:60])"
	    else empty end'
	seen=$(wc -l <sim.log)
}

step "hb-broadcast run (cron, every minute) sends them; what the platforms got:"
run hb-broadcast run
sent

step "Erika's question waits in the press office's inbox; they answer it"
run hb-reply inbox
echo "Ab Montag, 6 Uhr. Ihre Stadtverwaltung" >antwort.txt
run hb-reply send -u presse telegram:5123456789 antwort.txt
sent
run hb-reply show telegram:5123456789

step "The city moves its subscribers over from a previous provider (CSV)"
cat >old-provider.csv <<'CSV'
id,name,state,since
instagram:1234500000000001,"Mustermann, Eva",active,2025-03-01T09:00:00+01:00
whatsapp:4917099887766,Max Muster,active,2025-04-12T18:30:00+02:00
telegram:7000001,,stopped,2025-05-01T07:00:00Z
CSV
cat old-provider.csv
run hb-subscribe -v import old-provider.csv

step "Who is subscribed (TSV: id, channel, state, since, last message, name)"
run hb-subscribe list

step "Only the active WhatsApp subscribers, as JSON Lines"
run hb-subscribe -j list -c whatsapp -s active

step "The press office plans today's announcement: who gets what (hb-broadcast send -n)"
printf '%s\n\n%s\n' "Heute ab 18 Uhr: Stadtfest auf dem Marktplatz." \
    "Die Hauptstraße ist von 16 bis 24 Uhr gesperrt." >heute.txt
cat heute.txt
run hb-broadcast send -n heute.txt || :
echo "(The citizens last wrote long ago: WhatsApp gets the approved template," \
    "Messenger and Instagram may not be written to outside 24 hours.)"

step "... and sends it; the new broadcast's ID is printed"
run hb-broadcast send heute.txt
sent

step "Erika chooses a topic and asks which there are: Start Veranstaltungen, Themen"
{ tg 5 "Start Veranstaltungen"; tg 6 Themen; } | run hb-ingest >/dev/null
run hb-broadcast run
sent

step "Road works news goes to who chose Baustellen and who chose nothing (-t): not to Erika"
echo "Ab Montag: Baustelle in der Bahnhofstraße." >baustelle.txt
run hb-broadcast send -t baustellen baustelle.txt
sent

step "A third regular announcement today is refused (daily_limit = 2)"
run hb-broadcast send heute.txt || echo "exit status $?"

# png file: a small valid PNG image (a grey square).
png () {
	python3 -c 'import struct, sys, zlib
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
raw = b"".join(b"\0" + b"\x80" * 16 for _ in range(16))
sys.stdout.buffer.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 0, 0, 0, 0))
    + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))' >"$1"
}

step "A storm warning goes out all the same, with a map: an emergency, with a picture (-m)"
png karte.png
echo "Sturmwarnung: Der Stadtpark ist bis morgen gesperrt." >warnung.txt
run hb-broadcast send -e -r Sturm -m karte.png warnung.txt
echo "(Each platform got the picture once, then its reference: Telegram's first"
echo "sendPhoto returned a file_id, WhatsApp's upload a media id, which the"
echo "approved template_media carries in its header outside the 24 hours.)"
sent

step "WhatsApp reports the message delivered and read; hb-ingest records it"
pid=$(hb-subscribe -j show whatsapp:4917012345678 | jq -r '.deliveries[0].pid | sub("^whatsapp:"; "")')
for st in delivered read; do
	printf '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"statuses":[{"id":"%s","status":"%s","timestamp":"%s","recipient_id":"4917012345678"}]}}]}]}\n' \
	    "$pid" "$st" "$(date +%s)"
done | run hb-ingest >/dev/null
run hb-broadcast status 1

step "A correction reaches exactly whom today's announcement reached (-F 1), outside daily_limit"
echo "Korrektur: Das Stadtfest beginnt erst um 19 Uhr." >korrektur.txt
run hb-broadcast send -F 1 korrektur.txt
sent
run hb-broadcast list

step "The Messenger subscriber writes: the window opens, and what it kept from them comes now"
printf '{"object":"page","entry":[{"id":"104857600123456","time":1,"messaging":[{"sender":{"id":"6543210987654321"},"recipient":{"id":"104857600123456"},"timestamp":%s000,"message":{"mid":"m_9","text":"Danke!"}}]}]}\n' \
    "$(date +%s)" | run hb-ingest >/dev/null
run hb-broadcast run
sent
run hb-broadcast status 1

step "Erika sends a photo of a pothole; the press office sees it and fetches it"
png schlagloch.png
curl -sf -o /dev/null -X POST --data-binary \
    "{\"id\":\"AgACAgIAAxkBAAIB\",\"file\":\"$demo/schlagloch.png\",\"mime\":\"image/png\"}" "$api/sim/media"
printf '{"update_id":4,"message":{"message_id":4,"date":%s,"from":{"id":5123456789,"first_name":"Erika"},"chat":{"id":5123456789,"type":"private"},"photo":[{"file_id":"AgACAgIAAxkBAAIB","file_size":%s,"width":16,"height":16}],"caption":"Schlagloch vor Nr. 12"}}\n' \
    "$(date +%s)" "$(wc -c <schlagloch.png)" | run hb-ingest >/dev/null
echo '$ hb-reply show telegram:5123456789 | tail -n 1'
hb-reply show telegram:5123456789 | tail -n 1
n=$(hb-reply -j show telegram:5123456789 | jq -s -r 'last | .seq')
run hb-reply fetch -o foto.png telegram:5123456789 "$n"
run cmp foto.png schlagloch.png && echo "(the bytes Telegram holds; hb keeps no copy)"

step "A citizen leaves (Stopp), another is forgotten (Alle Daten löschen)"
printf '%s\n' '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messages":[{"from":"4917012345678","id":"wamid.2","timestamp":"1767773000","type":"text","text":{"body":"Stopp"}}]}}]}]}' |
    run hb-ingest
printf '%s\n' '{"object":"instagram","entry":[{"id":"17841400000000000","time":1,"messaging":[{"sender":{"id":"1234567890123456"},"recipient":{"id":"17841400000000000"},"timestamp":1767773100000,"message":{"mid":"m_3","text":"Alle Daten l\u00f6schen"}}]}]}' |
    run hb-ingest
run hb-subscribe show instagram:1234567890123456 || echo "exit status $?: nothing left"

step "How many, per channel and state"
run hb-subscribe stats

step "A data access request: everything stored about one person"
run hb-subscribe show whatsapp:4917012345678

step "A bad ID is refused and nothing is written (exit 65)"
run hb-subscribe add signal:123 || echo "exit status $?"

step "hb-broadcast run sends the goodbye and the erasure's last message"
run hb-broadcast run
sent

step "The nightly scrub leaves no trace of the erased citizen in any file"
run grep -r -a -c 1234567890123456 store | grep -v ':0$' || :
run hb-purge scrub
run grep -r -a -l 1234567890123456 store || echo "(no file holds instagram:1234567890123456)"

step "Tonight's backup; then an administrator erases a citizen on request"
run hb-purge backup backup
run hb-purge erase telegram:5123456789

step "A restored backup forgets the erased too: the newer ledger erases them again"
echo '$ hb-purge ledger >ledger.tsv   (keyed hashes and times: nobody named)'
hb-purge ledger >ledger.tsv
run hb-purge -d restored restore -l ledger.tsv backup
run hb-subscribe -d restored show telegram:5123456789 ||
    echo "exit status $?: erased again before any program could send to them"
run hb-subscribe -d restored stats

printf '\nThe demo store is removed on exit.\n'

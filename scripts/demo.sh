#!/bin/sh
# make demo: what hb does so far, end to end, in a throwaway store.
set -eu

HB_BUILD=${HB_BUILD:-$(cd "$(dirname "$0")/.." && pwd)/build}
PATH=$HB_BUILD/bin:$PATH
demo=$(mktemp -d "${TMPDIR:-/tmp}/hb-demo.XXXXXX")
trap 'rm -rf "$demo"' EXIT
cd "$demo"

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
cat >"$HB_CONF" <<CONF
[hb]
home = $demo/store
timezone = Europe/Berlin
CONF

step "A throwaway store in $demo; its configuration (hb-subscribe -n):"
run hb-subscribe -n | sed -n '1,6p'

step "An administrator adds three citizens by hand"
run hb-subscribe -v add telegram:5123456789 whatsapp:4917012345678 \
    messenger:6543210987654321

step "The city moves its subscribers over from a previous provider (CSV)"
cat >old-provider.csv <<'CSV'
id,name,state,since
instagram:1234567890123456,"Mustermann, Erika",active,2025-03-01T09:00:00+01:00
whatsapp:4917099887766,Max Muster,active,2025-04-12T18:30:00+02:00
telegram:7000001,,stopped,2025-05-01T07:00:00Z
CSV
cat old-provider.csv
run hb-subscribe -v import old-provider.csv

step "Who is subscribed (TSV: id, channel, state, since, last message, name)"
run hb-subscribe list

step "Only the active WhatsApp subscribers, as JSON Lines"
run hb-subscribe -j list -c whatsapp -s active

step "A citizen leaves"
run hb-subscribe -v remove whatsapp:4917012345678

step "How many, per channel and state"
run hb-subscribe stats

step "A data access request: everything stored about one person"
run hb-subscribe show instagram:1234567890123456

step "A bad ID is refused and nothing is written (exit 65)"
run hb-subscribe add signal:123 || echo "exit status $?"

printf '\nThe demo store is removed on exit. Next: hb-ingest (webhooks), hb-broadcast,\nhb-reply and hb-purge; see the open issues.\n'

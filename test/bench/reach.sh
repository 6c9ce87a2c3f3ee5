#!/bin/sh
# Benchmark hb-broadcast's reach at each platform's own rate, over a
# network with real latency (DESIGN §8, issue "reach every subscriber"):
# four loopback servers, one per platform, nginx with the echo module's
# echo_sleep answering each send after LAT seconds, as real send APIs
# answer in 0.1-1 s.  N subscribers on each channel: WhatsApp outside its
# window (the template), Messenger and Instagram inside it, Telegram.
# All four channels are configured at RATE messages per second.
#
# For each channel it counts what its server received per second over a
# steady window (from WARM seconds after the channel's first request to
# a second before its last, at most SPAN seconds) and prints the ratio
# to RATE; and hb-broadcast's peak memory.  The ceiling is RATE / 1.1:
# hb keeps a tenth in hand, so about 0.9 is the most a channel can show.
# With TLS=1 the servers speak HTTP/2 over TLS, as the platforms do, with
# a certificate made for the run (hb.conf's ca_file trusts it): many
# requests share a connection.
# With RECEIPTS=1 it also posts WhatsApp status webhooks to hb-ingest
# under lighttpd while the send runs, three for each message WhatsApp is
# sent (sent, delivered, read), and reports the rate hb-ingest held, its
# 503 share, and the send's rate beside it (no bar yet).
# It asserts nothing (machines here are noisy).  Run from the top of the
# tree after make:
#   sh test/bench/reach.sh                        LAT=0.3 RATE=80
#   LAT=0.5 RATE=1000 N=20000 sh test/bench/reach.sh
#   RECEIPTS=1 sh test/bench/reach.sh
set -eu

. "$(dirname "$0")/lib-bench.sh"
LAT=${LAT:-0.3}
RATE=${RATE:-80}
N=${N:-$(awk -v r="$RATE" 'BEGIN { printf "%d", r * 30 }')}
WARM=${WARM:-5}
SPAN=${SPAN:-20}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
ECHO_MODULE=${ECHO_MODULE:-/usr/lib/nginx/modules/ngx_http_echo_module.so}

# One nginx, four servers: each answers as its platform does, after LAT
# seconds, and logs when each request came ($msec at the end, less the
# time it took).
base=$((30000 + $$ % 20000))
mkdir -p nginx/logs
scheme=http listen= ca=
if [ -n "${TLS:-}" ]; then
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
	    -keyout key.pem -out cert.pem 2>/dev/null
	scheme=https
	listen=" ssl http2"
	ca="ca_file = $work/cert.pem"
fi
{
	printf 'load_module %s;\n' "$ECHO_MODULE"
	printf 'worker_processes auto;\n'
	printf 'pid %s/nginx/nginx.pid;\nerror_log %s/nginx/logs/error.log;\n' "$work" "$work"
	printf 'events { worker_connections 16384; }\n'
	printf 'http {\n\tlog_format came "$msec $request_time";\n'
	printf '\tkeepalive_requests 1000000;\n\tclient_body_temp_path %s/nginx;\n' "$work"
	i=0
	for ch in telegram whatsapp messenger instagram; do
		case $ch in
		telegram) answer='{"ok":true,"result":{"message_id":1,"chat":{"id":1}}}' ;;
		whatsapp) answer='{"messaging_product":"whatsapp","messages":[{"id":"wamid.B"}]}' ;;
		*) answer='{"recipient_id":"1","message_id":"m_B"}' ;;
		esac
		printf '\tserver {\n\t\tlisten 127.0.0.1:%d%s;\n' $((base + i)) "$listen"
		if [ -n "$ca" ]; then
			printf '\t\tssl_certificate %s/cert.pem;\n' "$work"
			printf '\t\tssl_certificate_key %s/key.pem;\n' "$work"
			printf '\t\thttp2_max_concurrent_streams 1000;\n'
		fi
		printf '\t\taccess_log %s/nginx/logs/%s.log came;\n' "$work" "$ch"
		printf '\t\tlocation / {\n\t\t\tdefault_type application/json;\n'
		printf '\t\t\techo_read_request_body;\n\t\t\techo_sleep %s;\n' "$LAT"
		printf "\t\t\techo '%s';\n\t\t}\n\t}\n" "$answer"
		i=$((i + 1))
	done
	printf '}\n'
} >nginx/nginx.conf
"$NGINX" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids="$pids $!"
until curl -sk -o /dev/null "$scheme://127.0.0.1:$base/"; do sleep 0.1; done

(umask 077 && echo 1:x >token && echo secret >secret)
cat >hb.conf <<CONF
[hb]
home = $work/store
timezone = UTC
daily_limit = 0
$ca

[telegram]
api = $scheme://127.0.0.1:$base
token_file = $work/token
rate = $RATE

[whatsapp]
api = $scheme://127.0.0.1:$((base + 1))/v21.0
phone_number_id = 1100
token_file = $work/token
app_secret_file = $work/secret
verify_token_file = $work/secret
template = stadt_news
template_language = de
rate = $RATE

[messenger]
api = $scheme://127.0.0.1:$((base + 2))/v21.0
page_id = 2200
token_file = $work/token
app_secret_file = $work/secret
verify_token_file = $work/secret
rate = $RATE

[instagram]
api = $scheme://127.0.0.1:$((base + 3))/v21.0
account_id = 3300
token_file = $work/token
app_secret_file = $work/secret
verify_token_file = $work/secret
rate = $RATE
CONF
export HB_CONF="$work/hb.conf"

# N subscribers a channel: WhatsApp's wrote long ago, the others lately.
recent=$(date -u -d @$(($(date +%s) - 600)) +%Y-%m-%dT%H:%M:%SZ)
awk -v n="$N" -v recent="$recent" 'BEGIN {
	split("telegram whatsapp messenger instagram", chans, " ")
	for (i = 1; i <= n; i++)
		for (c = 1; c <= 4; c++)
			printf "{\"id\":\"%s:49170%08d\",\"channel\":\"%s\",\"state\":\"active\",\"since\":\"2026-01-01T00:00:00Z\",\"last_inbound\":\"%s\"}\n",
			    chans[c], i, chans[c],
			    chans[c] == "whatsapp" ? "2026-01-01T00:00:00Z" : recent
}' | "$B/bin/hb-subscribe" import

# The receipts: hb-ingest as the man page shows it, under lighttpd.
if [ -n "${RECEIPTS:-}" ]; then
	port=$((base + 4))
	cgi_server "$port" "$work"
	python3 "$top/test/bench/receipts.py" "http://127.0.0.1:$port/hb/whatsapp" \
	    secret "$(echo "$RATE" | awk '{ print 3 * $1 / 1.1 }')" \
	    "$(echo "$N $RATE" | awk '{ print $1 * 1.1 / $2 }')" >receipts.out &
	poster=$!
fi

echo "Heute: Stadtfest auf dem Marktplatz." >news
peak "$B/bin/hb-broadcast" -q send news >/dev/null 2>peak.out || :
kib=$(tail -n 1 peak.out)

echo "reach: $N subscribers a channel, $RATE/s configured a channel, answers after $LAT s"
for ch in telegram whatsapp messenger instagram; do
	awk '{ printf "%.3f\n", $1 - $2 }' "nginx/logs/$ch.log" | sort -n |
	awk -v rate="$RATE" -v warm="$WARM" -v span="$SPAN" -v ch="$ch" '
	{ t[NR] = $1 }
	END {
		n = NR
		from = t[1] + warm; to = t[n] - 1
		if (to > from + span) to = from + span
		if (to <= from) { printf "%-9s %6d requests: too few for a window\n", ch, n; exit }
		for (i = 1; i <= n; i++) if (t[i] >= from && t[i] < to) k++
		got = k / (to - from)
		printf "%-9s %6d requests; %7.1f/s over %4.1f s: ratio %.2f (ceiling %.2f, bar 0.85)\n",
		    ch, n, got, to - from, got / rate, 1 / 1.1
	}'
done
echo "memory: $(echo "$kib" | awk '{ printf "%.1f", $1 / 1024 }') MiB peak (bar 64 MiB)"
if [ -n "${RECEIPTS:-}" ]; then
	wait "$poster" || :
	cat receipts.out
fi

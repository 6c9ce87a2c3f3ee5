#!/bin/sh
# Benchmark hb-broadcast with rate limits off, against a loopback
# endpoint that answers at once (nginx returning a fixed sendMessage
# answer): what hb itself costs a message.
#  - hb-broadcast's rate to N subscribers as a ratio of libcurl alone
#    (curl-floor.c: the same posts, as many in flight, nothing else),
#    the ceiling of any sender built on libcurl, measured in the same
#    run; wrk's rate is printed beside it (its old bar, half of wrk's,
#    is retired: libcurl alone reaches only 0.4-0.7 of wrk here);
#  - its peak memory stays under 64 MiB and does not grow with the
#    number of subscribers (N and BIG).
# The reach at each platform's rate over real latency is reach.sh's.
# It prints its figures and ratios and asserts nothing (machines here
# are noisy).  Run from the top of the tree after make:
#   sh test/bench/broadcast.sh               N=100000, BIG=1000000
#   N=20000 BIG=100000 sh test/bench/broadcast.sh
set -eu

. "$(dirname "$0")/lib-bench.sh"
N=${N:-100000}
BIG=${BIG:-1000000}
SECONDS_WRK=${SECONDS_WRK:-10}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

# The endpoint: nginx on loopback, one worker per core, keep-alive.
port=$((30000 + $$ % 20000))
mkdir -p nginx/logs
cat >nginx/nginx.conf <<CONF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	keepalive_requests 1000000;
	client_body_temp_path $work/nginx;
	server {
		listen 127.0.0.1:$port;
		location / {
			default_type application/json;
			return 200 '{"ok":true,"result":{"message_id":1,"chat":{"id":1}}}';
		}
	}
}
CONF
"$NGINX" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids="$pids $!"
until curl -s -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.1; done

(umask 077 && echo 1:x >tg.token)
cat >hb.conf <<CONF
[hb]
home = $work/store
timezone = UTC
daily_limit = 0

[telegram]
api = http://127.0.0.1:$port
token_file = $work/tg.token
rate = 0
CONF
export HB_CONF="$work/hb.conf"


# subscribers n: a fresh store with n active Telegram subscribers.
subscribers () {
	rm -rf "$work/store"
	awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++)
		printf "{\"id\":\"telegram:%d\",\"channel\":\"telegram\",\"state\":\"active\",\"since\":\"2026-01-01T00:00:00Z\"}\n", 1000000 + i }' |
	"$B/bin/hb-subscribe" import
}

# send n: broadcast to n subscribers; prints "seconds peak-KiB".
send () {
	subscribers "$1"
	echo "Heute: Stadtfest auf dem Marktplatz." >news
	t0=$(now)
	peak "$B/bin/hb-broadcast" -q send news >/dev/null 2>peak.out
	t1=$(now)
	echo "$t0 $t1 $(tail -n 1 peak.out)" | awk '{ printf "%.2f %d", $2 - $1, $3 }'
}

read -r secs kib <<END
$(send "$N")
END
rate=$(echo "$N $secs" | awk '{ printf "%.0f", $1 / $2 }')
wrk_rate=$(wrk -t1 -c16 -d"${SECONDS_WRK}s" -s "$top/test/bench/send.lua" \
    "http://127.0.0.1:$port/bot1:x/sendMessage" | awk '/^Requests\/sec/ { printf "%.0f", $2 }')
cc -O2 -o curl-floor "$top/test/bench/curl-floor.c" -lcurl
floor=$(./curl-floor "http://127.0.0.1:$port/bot1:x/sendMessage" "$N" 16)
echo "broadcast: $N subscribers in $secs s: $rate messages/s; libcurl alone, 16 in flight as hb-broadcast: $floor requests/s; ratio $(echo "$rate $floor" | awk '{ printf "%.2f", $1 / $2 }')"
echo "wrk: $wrk_rate requests/s; hb-broadcast $(echo "$rate $wrk_rate" | awk '{ printf "%.2f", $1 / $2 }') of it, libcurl alone $(echo "$floor $wrk_rate" | awk '{ printf "%.2f", $1 / $2 }') (no bar)"
echo "memory: $(echo "$kib" | awk '{ printf "%.1f", $1 / 1024 }') MiB peak for $N subscribers, with Berkeley DB's 32 MiB cache (bar 64 MiB)"

read -r big_secs big_kib <<END
$(send "$BIG")
END
echo "memory: $(echo "$big_kib" | awk '{ printf "%.1f", $1 / 1024 }') MiB peak for $BIG subscribers ($big_secs s); ratio to $N: $(echo "$big_kib $kib" | awk '{ printf "%.2f", $1 / $2 }') (bar: not growing)"

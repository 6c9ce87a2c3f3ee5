#!/bin/sh
# Benchmark hb-ingest against the bars of DESIGN §8:
#  - batch mode commits 100,000 webhook bodies at 20,000 or more a second;
#  - as CGI under lighttpd it reaches at least half the request rate of a
#    CGI program that only answers 200 (ok-cgi.c), measured in the same
#    run with wrk; as root, also with lighttpd running as another user
#    than the store's owner (hb(7), "Least privilege"), where the
#    owner's hb-ingest spool commits.  The bar is for the rate under load, eight connections
#    (platforms send webhooks in parallel).  One connection is printed
#    too, to show a single request's cost: there each request waits for
#    its own commit's disk sync, which the bare CGI never does.
# It prints its figures and ratios and asserts nothing (machines here are
# noisy).  Run from the top of the tree after make:
#   sh test/bench/ingest.sh            N=100000 bodies, 10 s of wrk each
#   N=20000 SECONDS_WRK=5 sh test/bench/ingest.sh
set -eu

. "$(dirname "$0")/lib-bench.sh"
N=${N:-100000}
SECONDS_WRK=${SECONDS_WRK:-10}

TG_SECRET=bench-secret
export TG_SECRET
(umask 077 && echo 1:x >tg.token && echo "$TG_SECRET" >tg.secret)
# conf home [line]: the configuration of a store in home.
conf () {
	cat <<CONF
[hb]
home = $1
timezone = UTC
hooks = $work/no-hooks
${2:-}

[telegram]
token_file = $work/tg.token
secret_file = $work/tg.secret
CONF
}
conf "$work/store" >hb.conf
export HB_CONF="$work/hb.conf"

rate () { echo "$1 $2 $3" | awk '{ printf "%.0f", $1 / ($3 - $2) }'; }
ratio () { echo "$1 $2" | awk '{ printf "%.2f", $1 / $2 }'; }

# 1. Batch: N distinct updates from 20,000 people into a fresh store.
awk -v n="$N" 'BEGIN { for (i = 1; i <= n; i++) {
	c = 1000 + i % 20000
	printf "{\"update_id\":%d,\"message\":{\"message_id\":%d,\"date\":1767772800,\"from\":{\"id\":%d,\"first_name\":\"Bench\"},\"chat\":{\"id\":%d,\"type\":\"private\"},\"text\":\"Eine Frage zur Baustelle %d\"}}\n", i, i, c, c, i } }' >bodies
t0=$(now)
"$B/bin/hb-ingest" bodies >events
t1=$(now)
test "$(wc -l <events)" -eq "$N"
r=$(rate "$N" "$t0" "$t1")
echo "batch: $N bodies in $(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }') s: $r bodies/s (bar 20000/s, ratio $(ratio "$r" 20000))"

# 2. CGI under lighttpd, against a CGI that only answers 200.
mkdir www
cc -O2 -o www/ok.cgi "$top/test/bench/ok-cgi.c"
port=$((30000 + $$ % 20000))
# hb-ingest as the man page shows it: no wrapper, HB_CONF by mod_setenv.
cgi_server "$port" "$work/www"

# load connections url: requests per second with wrk.
load () {
	wrk -t"$(( $1 < 2 ? $1 : 2 ))" -c"$1" -d"${SECONDS_WRK}s" -s "$top/test/bench/post.lua" "$2" |
	    awk '/^Requests\/sec/ { printf "%.0f", $2 }'
}
# One connection shows each request's cost; eight, the store's lock
# (one process inside at a time) against the ceiling's free use of
# every core.
for c in 1 8; do
	ceiling=$(load $c "http://127.0.0.1:$port/ok.cgi")
	hb=$(load $c "http://127.0.0.1:$port/hb/telegram")
	if [ "$c" = 1 ]; then bar="one at a time, no bar"; else bar="bar 0.5"; fi
	echo "cgi, $c connection(s): hb-ingest $hb requests/s, ok-cgi $ceiling requests/s ($bar, ratio $(ratio "$hb" "$ceiling"))"
done

# 3. The group set-up: lighttpd as nobody in the owner's group (daemon),
# its hb-ingest a guest of the spool, the owner's hb-ingest spool
# committing.  Running servers as other users needs root.
if [ "$(id -u)" != 0 ]; then
	echo "cgi as another user: skipped (needs root)"
	exit 0
fi
chmod 755 "$work"
conf "$work/gstore" "group = daemon" >g.conf
install -d -o daemon -g daemon gstore
chown daemon:daemon tg.token tg.secret
chmod 640 tg.secret
gport=$((port + 1))
install -o nobody /dev/null "lighttpd.$gport.log"
HB_CONF=$work/g.conf cgi_server "$gport" "$work/www" 'server.username = "nobody"
server.groupname = "daemon"'
setpriv --reuid=daemon --regid=daemon --init-groups -- \
    "$B/bin/hb-ingest" -f g.conf -q spool &
pids="$pids $!"
for c in 1 8; do
	ceiling=$(load $c "http://127.0.0.1:$gport/ok.cgi")
	hb=$(load $c "http://127.0.0.1:$gport/hb/telegram")
	echo "cgi as another user, $c connection(s): hb-ingest $hb requests/s, ok-cgi $ceiling requests/s (ratio $(ratio "$hb" "$ceiling"))"
done

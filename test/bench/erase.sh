#!/bin/sh
# Benchmark hb-purge erase against the bar of DESIGN §8: erasing one
# subscriber with 20 messages costs the same (within 2x) in a store of
# SMALL and of LARGE subscribers.  Prints the median of RUNS erasures in
# each and their ratio; asserts nothing.  Run from the top after make:
#   sh test/bench/erase.sh              SMALL=1000 LARGE=1000000 RUNS=9
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
B=${HB_BUILD:-$top/build}
SMALL=${SMALL:-1000}
LARGE=${LARGE:-1000000}
RUNS=${RUNS:-9}
work=$(mktemp -d "${TMPDIR:-/tmp}/hb-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
PATH=$B/bin:$B/test:$PATH

cat >hb.conf <<CONF
[hb]
home = $work/store
timezone = UTC
CONF
export HB_CONF="$work/hb.conf"

# store n: n subscribers; the first RUNS of them wrote 20 messages each.
store () {
	rm -rf "$work/store"
	awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++)
		printf "{\"id\":\"telegram:%d\",\"state\":\"active\"}\n", 1000000 + i }' |
	hb-subscribe import
	awk -v runs="$RUNS" 'BEGIN { for (i = 1; i <= runs; i++)
		for (m = 1; m <= 20; m++)
			printf "{\"id\":\"telegram:%d\",\"dir\":\"in\",\"type\":\"text\",\"text\":\"Frage %d\",\"stored\":1767772800}\n", 1000000 + i, m }' |
	hb-test-put messages
}

# median n: erase the RUNS writers one by one; the median in ms.
median () {
	store "$1"
	i=1
	while [ "$i" -le "$RUNS" ]; do
		t0=$(date +%s%N)
		hb-purge erase "telegram:$((1000000 + i))" >receipt
		t1=$(date +%s%N)
		grep -q "messages 20" receipt
		echo $(((t1 - t0) / 1000))
		i=$((i + 1))
	done | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", v[int((NR + 1) / 2)] / 1000 }'
}

small=$(median "$SMALL")
large=$(median "$LARGE")
echo "erase one subscriber with 20 messages: $small ms in $SMALL subscribers, $large ms in $LARGE; ratio $(echo "$large $small" | awk '{ printf "%.2f", $1 / $2 }') (bar 2)"

#!/bin/sh
# auto-reply.sh: answer each message citizens send outside office hours
# with a fixed text, for example when the press office will answer.
# The conversation stays in hb-reply's inbox (send -k), for a person to
# answer in the morning; reactions, deletions and keywords get nothing.
# Runs for ever on hb-reply follow, and remembers where it was in a
# state file, so that a restart misses nothing and answers nobody twice.
#
# usage: scripts/auto-reply.sh text-file [state-file]
#   OFFICE_DAYS   weekdays with office hours, 1 = Monday (default 1-5)
#   OFFICE_HOURS  from-to in whole hours, local time (default 8-16)
set -eu

text=$1
state=${2:-${HB_HOME:-/var/lib/hb}/auto-reply.seq}
days=${OFFICE_DAYS:-1-5}
hours=${OFFICE_HOURS:-8-16}

in_office () {
	d=$(date +%u) h=$(date +%H)
	h=${h#0}
	[ "$d" -ge "${days%-*}" ] && [ "$d" -le "${days#*-}" ] &&
	    [ "$h" -ge "${hours%-*}" ] && [ "$h" -lt "${hours#*-}" ]
}

seq=$(cat "$state" 2>/dev/null || echo 0)
hb-reply follow -s "$seq" | while read -r ev; do
	id=$(printf '%s\n' "$ev" | jq -r 'select(.event == "message" and
	    .keyword == null and .type != "reaction" and .type != "deleted") |
	    .id')
	if [ -n "$id" ] && ! in_office; then
		hb-reply -q send -k "$id" "$text" || :
	fi
	printf '%s\n' "$ev" | jq -r .seq >"$state.tmp" && mv "$state.tmp" "$state"
done

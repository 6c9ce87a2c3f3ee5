#!/bin/sh
# Reject calls that have a safer replacement in hb (CONTRIBUTING.md):
# strcpy/strcat -> strlcpy/strlcat, sprintf -> snprintf, atoi -> strtonum,
# strtok -> strsep, gets, system and popen (a shell sees our data).
# usage: scripts/checksrc.sh file ...
status=0
for f in "$@"; do
	if grep -nE '\<(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|strtok|system|popen)[[:space:]]*\(' "$f" |
	    sed "s|^|$f:|" | grep .; then
		status=1
	fi
done
[ "$status" = 0 ] || echo "checksrc: use the replacements in CONTRIBUTING.md" >&2
exit "$status"

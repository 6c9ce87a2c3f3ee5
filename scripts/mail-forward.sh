#!/bin/sh
# mail-forward.sh: forward every citizen's message to the press office by
# e-mail, with the system's mailer, so that it lands in their ticket
# system.  Runs for ever on hb-reply follow; a restart resumes from the
# state file.
#
# usage: scripts/mail-forward.sh address [state-file]
#   SENDMAIL  the mailer (default /usr/sbin/sendmail), called with -t
set -eu

to=$1
state=${2:-${HB_HOME:-/var/lib/hb}/mail-forward.seq}
mailer=${SENDMAIL:-/usr/sbin/sendmail}

seq=$(cat "$state" 2>/dev/null || echo 0)
hb-reply follow -s "$seq" | while read -r ev; do
	printf '%s\n' "$ev" | jq -r --arg to "$to" '
	    "To: \($to)",
	    "Subject: [hb] \(.channel) \(.id)",
	    "Content-Type: text/plain; charset=utf-8",
	    "",
	    (.text // "(\(.type))"),
	    "",
	    "-- ",
	    "Answer with: hb-reply send \(.id)"' | "$mailer" -t
	printf '%s\n' "$ev" | jq -r .seq >"$state.tmp" && mv "$state.tmp" "$state"
done

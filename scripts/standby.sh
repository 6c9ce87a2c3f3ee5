#!/bin/sh
# standby.sh: a warm standby of hb on a second host (hb(7), "A standby").
#
# On the primary, as the store's owner, from cron:
#
#   standby.sh backup DEST     a backup of the store (hb-purge backup),
#                              copied to DEST/backup with rsync; hourly
#   standby.sh ledger DEST     the erasure ledger (hb-purge ledger) to
#                              DEST/ledger.tsv; every minute
#
# DEST is what rsync takes: standby.example.org:/var/backups/hb over
# ssh, or a local directory.  On the standby, when the primary is lost:
#
#   standby.sh takeover DIR    restore DIR/backup into the (empty) store
#                              with DIR/ledger.tsv, so that everyone
#                              erased since the backup is erased again
#                              before any program opens the store
#
# Then start the services there and point the webhooks at it.
set -eu

usage() {
	echo "usage: standby.sh backup|ledger DEST" >&2
	echo "       standby.sh takeover DIR" >&2
	exit 64
}

[ $# -eq 2 ] || usage
verb=$1 dest=${2%/}
work=$(mktemp -d "${TMPDIR:-/tmp}/hb-standby.XXXXXX")
trap 'rm -rf "$work"' EXIT
umask 077

case $verb in
backup)
	# A new copy beside the old one, then in its place: a standby
	# always has a whole backup, whenever the primary fails.
	hb-purge -q backup "$work/backup"
	hb-purge ledger >"$work/ledger.tsv"
	rsync -a --delete "$work/backup/" "$dest/backup.new/"
	rsync -a "$work/ledger.tsv" "$dest/ledger.new"
	case $dest in
	*:*)
		host=${dest%%:*} dir=${dest#*:}
		# shellcheck disable=SC2029 # dir is meant to expand here
		ssh "$host" "rm -rf '$dir/backup' && mv '$dir/backup.new' '$dir/backup' && mv '$dir/ledger.new' '$dir/ledger.tsv'"
		;;
	*)
		rm -rf "$dest/backup"
		mv "$dest/backup.new" "$dest/backup"
		mv "$dest/ledger.new" "$dest/ledger.tsv"
		;;
	esac
	;;
ledger)
	# Written whole, then renamed (rsync's way), never half a ledger.
	hb-purge ledger >"$work/ledger.tsv"
	rsync -a "$work/ledger.tsv" "$dest/ledger.tsv"
	;;
takeover)
	[ -f "$dest/backup/backup.info" ] || {
		echo "standby.sh: no whole backup in $dest/backup" >&2
		exit 66
	}
	hb-purge restore -l "$dest/ledger.tsv" "$dest/backup"
	echo "standby.sh: the store is restored; start hb-broadcast.timer," \
	    "hb-purge.timer and the web server, and point the webhooks here" >&2
	;;
*)
	usage
	;;
esac

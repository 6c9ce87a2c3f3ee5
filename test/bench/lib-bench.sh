# lib-bench.sh: what the benchmarks share.  Source it first; it sets
# $top (the tree), $B (the build), and $work, a directory of the run's
# own that is the current one and goes away at the end with every
# process whose pid the script adds to $pids.

top=$(cd "$(dirname "$0")/../.." && pwd)
B=${HB_BUILD:-$top/build}
work=$(mktemp -d "${TMPDIR:-/tmp}/hb-bench.XXXXXX")
pids=
cleanup () {
	for p in $pids; do kill "$p" 2>/dev/null || :; done
	rm -rf "$work"
}
trap cleanup EXIT
# A signal ends the script through exit, so that cleanup runs then too.
trap 'exit 1' HUP INT TERM
cd "$work" || exit 1

now () { date +%s.%N; }

# peak cmd...: run cmd; its peak resident memory in KiB goes to stderr,
# last.
peak () {
	python3 -c 'import resource, subprocess, sys
rc = subprocess.call(sys.argv[1:])
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
sys.exit(rc)' "$@"
}

# cgi_server port docroot [lines]: lighttpd on loopback port, serving
# docroot (its *.cgi as CGI programs) and hb-ingest as a CGI program
# under /hb, with $HB_CONF and more lines of configuration; returns once
# it answers.
cgi_server () {
	cat >"lighttpd.$1.conf" <<CONF
server.document-root = "$2"
server.bind = "127.0.0.1"
server.port = $1
server.modules = ( "mod_cgi", "mod_alias", "mod_setenv" )
server.errorlog = "$work/lighttpd.$1.log"
cgi.assign = ( ".cgi" => "" )
alias.url += ( "/hb" => "$B/bin/hb-ingest" )
\$HTTP["url"] =~ "^/hb" {
	cgi.assign = ( "" => "" )
	setenv.add-environment = ( "HB_CONF" => "$HB_CONF" )
}
${3:-}
CONF
	"$(command -v lighttpd || echo /usr/sbin/lighttpd)" -D -f "lighttpd.$1.conf" &
	pids="$pids $!"
	until curl -s -o /dev/null "http://127.0.0.1:$1/"; do sleep 0.1; done
}

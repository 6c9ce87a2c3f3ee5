#!/bin/sh
# Install the Debian packages hb needs to build, test and demonstrate
# itself.  Does nothing when every package is present, so the Makefile
# can run it before each build at no cost.
#
# usage: scripts/install-deps.sh [-n]
#   -n  only list what is missing; exit 1 if anything is
set -eu

# Build: compiler, libraries, headers; and the time zones hb.conf names.
build="gcc make pkg-config libc6-dev libcurl4-openssl-dev libjansson-dev
	libdb5.3-dev libbsd-dev libinih-dev nettle-dev libcsv-dev tzdata"
# Test and lint: unit tests, Berkeley DB utilities (db_verify), TAP
# runner, man page and shell linters, systemd-analyze for the units,
# valgrind, jq and rsync (scripts/standby.sh) for the tests; the
# web servers, wrk and nginx (with its echo module, for answers that
# take their time) for the benchmarks.
check="libcmocka-dev db5.3-util perl mandoc shellcheck valgrind jq
	lighttpd curl openssl python3 clang libclang-rt-14-dev wrk nginx-light
	libnginx-mod-http-echo systemd python3-prometheus-client rsync"

missing=
for p in $build $check; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
	    grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done

[ -z "$missing" ] && exit 0

if [ "${1:-}" = "-n" ]; then
	echo "missing Debian packages:$missing" >&2
	exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing Debian packages:$missing" >&2
	echo "install-deps: run as root, or: sudo apt-get install$missing" >&2
	exit 1
fi

echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may have no package lists yet.  $missing is split into
# package names on purpose.
# shellcheck disable=SC2086
if ! apt-get install -y -q --no-install-recommends $missing; then
	apt-get update -q
	apt-get install -y -q --no-install-recommends $missing
fi

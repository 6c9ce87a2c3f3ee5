#!/bin/sh
test_description='make install: programs, pages, and with SYSTEMDUNITDIR the units'
. "$(dirname "$0")/test-lib.sh"

top=$TEST_DIRECTORY/..

test_expect_success 'make install puts programs and pages under DESTDIR and PREFIX' '
	make -s -C "$top" B="$HB_BUILD" DESTDIR="$TRASH_DIRECTORY/root" \
	    PREFIX=/usr install >out 2>&1 &&
	test -x root/usr/bin/hb-broadcast &&
	test -x root/usr/bin/hb-ingest &&
	test -f root/usr/share/man/man1/hb-reply.1 &&
	test -f root/usr/share/man/man5/hb.conf.5 &&
	test -f root/usr/share/man/man7/hb.7 &&
	test ! -e root/lib/systemd
'

test_expect_success 'with SYSTEMDUNITDIR the units and timers, BINDIR filled in' '
	make -s -C "$top" B="$HB_BUILD" DESTDIR="$TRASH_DIRECTORY/root" \
	    PREFIX=/usr SYSTEMDUNITDIR=/lib/systemd/system install >out 2>&1 &&
	for u in hb-broadcast.service hb-broadcast.timer hb-purge.service \
	    hb-purge.timer hb-poll.service hb-spool.service; do
		test -f "root/lib/systemd/system/$u" || return 1
	done &&
	test_grep "^ExecStart=/usr/bin/hb-broadcast -q run$" root/lib/systemd/system/hb-broadcast.service &&
	test_grep "^ProtectSystem=strict$" root/lib/systemd/system/hb-broadcast.service &&
	test_must_fail test_grep "@BINDIR@" root/lib/systemd/system/*.service &&
	make -s -C "$top" B="$HB_BUILD" DESTDIR="$TRASH_DIRECTORY/root" \
	    PREFIX=/usr SYSTEMDUNITDIR=/lib/systemd/system uninstall >out 2>&1 &&
	test ! -e root/usr/bin/hb-broadcast &&
	test ! -e root/lib/systemd/system/hb-purge.timer
'

test_done

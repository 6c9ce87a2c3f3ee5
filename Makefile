# hb - a city's news over messengers, as small Unix programs.
#
#   make            build everything into $(B)/
#   make check      build and run every test (unit and shell, under prove)
#   make check-asan the same, built with AddressSanitizer and UBSan
#   make check-valgrind the same, every program and unit test under valgrind
#   make fuzz-smoke run each fuzz target briefly (FUZZ_TIME seconds)
#   make lint       mandoc -Tlint, shellcheck, scripts/checksrc.sh,
#                   systemd-analyze verify
#   make demo       show what hb does, in a throwaway store
#   make install    PREFIX, DESTDIR, BINDIR, MANDIR as usual; with
#                   SYSTEMDUNITDIR, the systemd units and timers too
#
# V=1 prints the full command lines.

VERSION =	0.1.0

PREFIX ?=	/usr/local
BINDIR ?=	$(PREFIX)/bin
MANDIR ?=	$(PREFIX)/share/man
DESTDIR ?=
# Where make install puts scripts/systemd/, with BINDIR filled in
# (Debian: /lib/systemd/system); empty: not installed.
SYSTEMDUNITDIR ?=

# Build directory; check-asan uses its own so the two never mix.
B ?=		build

CC ?=		cc
CFLAGS ?=	-O2 -g
WARNINGS =	-Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes \
		-Wmissing-declarations -Wshadow -Wpointer-arith \
		-Wsign-compare -Wformat=2 -Wno-unused-parameter
PKGS =		jansson libbsd-overlay inih nettle
ALL_CFLAGS =	-std=c99 -D_GNU_SOURCE $(CURL_CFLAGS) -DHB_VERSION='"$(VERSION)"' \
		$(WARNINGS) -Ilib $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
# hb's libraries are linked dynamically by default, so that Debian's
# security updates of them reach hb without a rebuild, as a city's IT
# department expects.  Every webhook is a new process, so start-up
# counts: LINK=static links them statically (glibc stays shared), and a
# CGI run took 0.89 ms instead of 1.44 ms, measured (test/bench/ingest.sh)
# -- for very high webhook volumes, at the price of rebuilding hb for
# every security update of those libraries.
LINK ?=		shared
ifeq ($(LINK),static)
LDLIBS =	-Wl,-Bstatic $(PKG_LIBS) -ldb-5.3 -lcsv -lmd -Wl,-Bdynamic
else
LDLIBS =	$(PKG_LIBS) -ldb-5.3 -lcsv
endif

# pkg-config is asked only once the packages are there (see $(DEPS_OK)).
PKG_CFLAGS =	$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS =	$(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS =	$(shell pkg-config --libs cmocka 2>/dev/null)
# libcurl is loaded when first needed (lib/http.c): headers only.
CURL_CFLAGS =	$(shell pkg-config --cflags libcurl 2>/dev/null)

PROGS =		hb-broadcast hb-ingest hb-purge hb-reply hb-subscribe
LIB_SRCS =	$(wildcard lib/*.c)
LIB_OBJS =	$(LIB_SRCS:%.c=$(B)/%.o)
UNIT_SRCS =	$(wildcard test/unit/t-*.c)
UNIT_BINS =	$(UNIT_SRCS:test/unit/%.c=$(B)/test/%)
HELPER_SRCS =	$(wildcard test/helper/*.c)
HELPER_BINS =	$(HELPER_SRCS:test/helper/%.c=$(B)/test/%)
# Preloaded into every test's programs, so without sanitizers: it also
# goes into curl, jq and the web servers.
PRELOAD =	$(B)/test/syslog-capture.so
MANS =		$(wildcard man/*.[1-8])
UNITS =		$(wildcard scripts/systemd/*.service scripts/systemd/*.timer)
SHELL_TESTS =	$(wildcard test/t[0-9]*.sh)

BINS =		$(PROGS:%=$(B)/bin/%)
DEPS_OK =	$(B)/.deps-ok

ifeq ($(V),1)
Q =
else
Q =		@
endif

all: $(BINS)

# The packages are installed (or reported missing) before the first
# compile; the stamp is remade when the list of packages changes.
$(DEPS_OK): scripts/install-deps.sh
	$(Q)mkdir -p $(@D)
	$(Q)sh scripts/install-deps.sh
	$(Q)touch $@

$(B)/%.o: %.c | $(DEPS_OK)
	$(Q)mkdir -p $(@D)
	@test -n "$(Q)" && echo "  CC      $<" || true
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libhb.a: $(LIB_OBJS)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $(LIB_OBJS)

$(B)/bin/%: $(B)/cmd/%.o $(B)/libhb.a
	$(Q)mkdir -p $(@D)
	@test -n "$(Q)" && echo "  LINK    $@" || true
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/test/t-%: $(B)/test/unit/t-%.o $(B)/libhb.a
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(LDLIBS)

$(B)/test/%: $(B)/test/helper/%.o $(B)/libhb.a
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(PRELOAD): test/preload/syslog-capture.c
	$(Q)mkdir -p $(@D)
	$(Q)cc -shared -fPIC -O2 -Wall -Wextra -o $@ $<

lib: $(B)/libhb.a

test-progs: $(BINS) $(UNIT_BINS) $(HELPER_BINS) $(PRELOAD)

# Unit tests speak TAP through cmocka; shell tests through test-lib.sh.
# prove runs both and closes with its summary.
check: test-progs
	HB_BUILD=$(abspath $(B)) CMOCKA_MESSAGE_OUTPUT=tap \
	    prove -j2 $(PROVE_FLAGS) $(UNIT_BINS) $(SHELL_TESTS)

check-asan:
	$(MAKE) B=build-asan \
	    CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	    LDFLAGS="-fsanitize=address,undefined" check

# The programs run under valgrind (test-lib.sh wraps them), the unit
# tests too.  Built with shared libraries, so that the suppression of
# libdb's own padding (test/valgrind.supp) can name its library.
check-valgrind:
	$(MAKE) B=build-valgrind LINK=shared test-progs
	HB_BUILD=$(abspath build-valgrind) HB_VALGRIND=1 \
	    CMOCKA_MESSAGE_OUTPUT=tap prove -j2 $(PROVE_FLAGS) \
	    --exec 'sh test/valgrind-unit.sh' \
	    $(UNIT_BINS:$(B)/%=build-valgrind/%)
	HB_BUILD=$(abspath build-valgrind) HB_VALGRIND=1 prove -j2 \
	    $(PROVE_FLAGS) $(SHELL_TESTS)

# Fuzz targets (libFuzzer): one per platform parser, the keyword
# matcher, the import reader, the send APIs' answers, the media sniffer
# with the upload answers, the text splitter and the exported ledger's
# lines, built with clang into
# build-fuzz/.
# fuzz-smoke runs each briefly on its seed corpus (CI does);
# make fuzz FUZZ_TIME=600 runs them longer.
FUZZ_TARGETS =	telegram whatsapp messenger instagram $(FUZZ_OWN)
# Targets with a source of their own; the platforms share fuzz-inbound.c.
FUZZ_OWN =	keyword import answer media split ledger
FUZZ_BINS =	$(FUZZ_TARGETS:%=build-fuzz/fuzz-%)
FUZZ_TIME ?=	10
FUZZ_FLAGS =	-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer

fuzz-lib:
	$(MAKE) B=build-fuzz CC=clang \
	    CFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" lib

build-fuzz/fuzz-%: fuzz-lib
	clang $(FUZZ_FLAGS) -fsanitize=fuzzer -std=c99 -D_GNU_SOURCE -Ilib \
	    $(PKG_CFLAGS) $(if $(filter $(FUZZ_OWN),$*),,-DFUZZ_CHAN=CHAN_$(shell echo $* | tr a-z A-Z)) \
	    -o $@ test/fuzz/fuzz-$(if $(filter $(FUZZ_OWN),$*),$*,inbound).c \
	    build-fuzz/libhb.a $(LDLIBS)

fuzz-build: $(FUZZ_BINS)

fuzz fuzz-smoke: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p build-fuzz/corpus/$$t && \
		cp test/fuzz/corpus/$$t/* build-fuzz/corpus/$$t/ && \
		echo "fuzz-$$t: $(FUZZ_TIME) s" && \
		dict=; case $$t in keyword|import|split|ledger) ;; \
		*) dict=-dict=test/fuzz/inbound.dict ;; esac; \
		build-fuzz/fuzz-$$t -max_total_time=$(FUZZ_TIME) -max_len=65536 \
		    $$dict -print_final_stats=0 build-fuzz/corpus/$$t \
		    2>build-fuzz/fuzz-$$t.log || \
		{ tail -n 40 build-fuzz/fuzz-$$t.log; exit 1; }; \
	done

lint: $(BINS) | $(DEPS_OK)
	mandoc -Tlint -W warning $(MANS)
	shellcheck -s sh scripts/*.sh test/*.sh .ci/run
	sh scripts/checksrc.sh $(wildcard cmd/*.c lib/*.[ch] test/unit/*.[ch] test/helper/*.c test/preload/*.c)
	@# The systemd units, as make install fills them in, for this build.
	rm -rf $(B)/systemd && mkdir -p $(B)/systemd
	for u in $(UNITS); do \
		sed 's|@BINDIR@|$(abspath $(B))/bin|' $$u >$(B)/systemd/$${u##*/} || exit 1; done
	systemd-analyze verify --man=no $(B)/systemd/*
	@# The fuzz targets are built only by fuzz-smoke; compile them here
	@# too, so that a changed library call shows at once.
	for f in test/fuzz/*.c; do \
		$(CC) $(ALL_CFLAGS) -MF /dev/null -DFUZZ_CHAN=CHAN_TELEGRAM \
		    -fsyntax-only $$f || exit 1; done

demo: $(BINS)
	HB_BUILD=$(abspath $(B)) sh scripts/demo.sh

install: $(BINS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	install -m 644 $(filter %.1,$(MANS)) $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(filter %.5,$(MANS)) $(DESTDIR)$(MANDIR)/man5
	install -m 644 $(filter %.7,$(MANS)) $(DESTDIR)$(MANDIR)/man7
	if [ -n "$(SYSTEMDUNITDIR)" ]; then \
		install -d $(DESTDIR)$(SYSTEMDUNITDIR) && \
		for u in $(UNITS); do \
			sed 's|@BINDIR@|$(BINDIR)|' $$u >$(DESTDIR)$(SYSTEMDUNITDIR)/$${u##*/} && \
			chmod 644 $(DESTDIR)$(SYSTEMDUNITDIR)/$${u##*/} || exit 1; \
		done; \
	fi

uninstall:
	rm -f $(PROGS:%=$(DESTDIR)$(BINDIR)/%)
	[ -z "$(SYSTEMDUNITDIR)" ] || rm -f $(UNITS:scripts/systemd/%=$(DESTDIR)$(SYSTEMDUNITDIR)/%)
	rm -f $(MANS:man/%=$(DESTDIR)$(MANDIR)/man1/%) \
	    $(MANS:man/%=$(DESTDIR)$(MANDIR)/man5/%) \
	    $(MANS:man/%=$(DESTDIR)$(MANDIR)/man7/%)

clean:
	rm -rf build build-asan build-fuzz build-valgrind test/trash.*

.PHONY: all check check-asan check-valgrind fuzz fuzz-build fuzz-lib fuzz-smoke lib lint demo install uninstall clean test-progs
.SECONDARY:

-include $(LIB_OBJS:.o=.d) $(B)/cmd/*.d $(B)/test/unit/*.d $(B)/test/helper/*.d

# hb - a city's news over messengers, as small Unix programs.
#
#   make            build everything into $(B)/
#   make check      build and run every test (unit and shell, under prove)
#   make check-asan the same, built with AddressSanitizer and UBSan
#   make check-valgrind the same, every program and unit test under valgrind
#   make lint       mandoc -Tlint, shellcheck, scripts/checksrc.sh
#   make demo       show what hb does, in a throwaway store
#   make install    PREFIX, DESTDIR, BINDIR, MANDIR as usual
#
# V=1 prints the full command lines.

VERSION =	0.1.0

PREFIX ?=	/usr/local
BINDIR ?=	$(PREFIX)/bin
MANDIR ?=	$(PREFIX)/share/man
DESTDIR ?=

# Build directory; check-asan uses its own so the two never mix.
B ?=		build

CC ?=		cc
CFLAGS ?=	-O2 -g
WARNINGS =	-Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes \
		-Wmissing-declarations -Wshadow -Wpointer-arith \
		-Wsign-compare -Wformat=2 -Wno-unused-parameter
PKGS =		libcurl jansson libbsd-overlay inih libcrypto
ALL_CFLAGS =	-std=c99 -D_GNU_SOURCE -DHB_VERSION='"$(VERSION)"' \
		$(WARNINGS) -Ilib $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
LDLIBS =	$(PKG_LIBS) -ldb-5.3 -lcsv

# pkg-config is asked only once the packages are there (see $(DEPS_OK)).
PKG_CFLAGS =	$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS =	$(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS =	$(shell pkg-config --libs cmocka 2>/dev/null)

PROGS =		hb-ingest hb-subscribe
LIB_SRCS =	$(wildcard lib/*.c)
LIB_OBJS =	$(LIB_SRCS:%.c=$(B)/%.o)
UNIT_SRCS =	$(wildcard test/unit/t-*.c)
UNIT_BINS =	$(UNIT_SRCS:test/unit/%.c=$(B)/test/%)
HELPER_SRCS =	$(wildcard test/helper/*.c)
HELPER_BINS =	$(HELPER_SRCS:test/helper/%.c=$(B)/test/%)
MANS =		$(wildcard man/*.[1-8])
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

test-progs: $(BINS) $(UNIT_BINS) $(HELPER_BINS)

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
# tests too.
check-valgrind: test-progs
	HB_BUILD=$(abspath $(B)) HB_VALGRIND=1 CMOCKA_MESSAGE_OUTPUT=tap \
	    prove -j2 $(PROVE_FLAGS) --exec 'sh test/valgrind-unit.sh' \
	    $(UNIT_BINS)
	HB_BUILD=$(abspath $(B)) HB_VALGRIND=1 prove -j2 $(PROVE_FLAGS) \
	    $(SHELL_TESTS)

lint: | $(DEPS_OK)
	mandoc -Tlint -W warning $(MANS)
	shellcheck -s sh scripts/*.sh test/*.sh .ci/run
	sh scripts/checksrc.sh $(wildcard cmd/*.c lib/*.[ch] test/unit/*.[ch] test/helper/*.c)

demo: $(BINS)
	HB_BUILD=$(abspath $(B)) sh scripts/demo.sh

install: $(BINS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	install -m 644 $(filter %.1,$(MANS)) $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(filter %.5,$(MANS)) $(DESTDIR)$(MANDIR)/man5
	install -m 644 $(filter %.7,$(MANS)) $(DESTDIR)$(MANDIR)/man7

uninstall:
	rm -f $(PROGS:%=$(DESTDIR)$(BINDIR)/%)
	rm -f $(MANS:man/%=$(DESTDIR)$(MANDIR)/man1/%) \
	    $(MANS:man/%=$(DESTDIR)$(MANDIR)/man5/%) \
	    $(MANS:man/%=$(DESTDIR)$(MANDIR)/man7/%)

clean:
	rm -rf build build-asan test/trash.*

.PHONY: all check check-asan check-valgrind lint demo install uninstall clean test-progs
.SECONDARY:

-include $(LIB_OBJS:.o=.d) $(B)/cmd/*.d $(B)/test/unit/*.d $(B)/test/helper/*.d

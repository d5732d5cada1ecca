# kith — top-level build.  Sources are globbed so adding a module or a
# test needs no edit here.  BUILD selects the output tree, so a sanitizer
# build lives beside the normal one instead of clobbering it.

BUILD    ?= build
CC       ?= cc
PKGS     := sqlite3 jansson igraph gmime-3.0 libical libsodium libmicrohttpd libxml-2.0
SAN      ?=
OPT      ?= -O2 -g

WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wformat=2 -Wno-unused-parameter -Wvla
CFLAGS   += -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) $(SAN) -Iinclude -Isrc -Iserver -Iserver/http -Iserver/api -Iserver/dav \
            $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -MMD -MP
LDFLAGS  += $(SAN) $(RELR)
# Relative relocations packed (DT_RELR) where the linker can: a PIE kith
# has some 37,000, and applying them was a tenth of its start.
RELR     := $(shell printf 'int main(void){return 0;}' | $(CC) -x c - -o /dev/null \
              -Wl,-z,pack-relative-relocs 2>/dev/null && echo -Wl,-z,pack-relative-relocs)

# On x86-64 the libraries that cost most to load at start (igraph,
# libical, GMime, libmicrohttpd, libxml2: about 25 ms of a 30 ms `kith
# --version`; GObject's type system 4 ms of the rest) are bound lazily: kith links stubs for them instead
# (scripts/lazy_stubs.sh, src/base/lazy.c) and loads each on its first
# call, so a command that does not use one does not pay for it.  GLib,
# jansson, libsodium and libcsv are bound the same way: each costs about
# 0.3-0.5 ms to load on a VM, and a `kith path`, `near` or `mutual` over
# ASCII text needs none of them (interleaved p50s at 100k people: near
# 12.7 -> 11.2 ms, mutual 9.0 -> 7.7 ms).  Only SQLite is bound at start,
# and it is linked in (below).
# LAZY=0, or another architecture, links them as usual.
LAZY_LIBS := igraph ical gmime-3.0 microhttpd xml2 gobject-2.0 glib-2.0 jansson sodium csv
LAZY     ?= $(if $(filter x86_64,$(shell uname -m)),1,0)
export KITH_LAZY := $(LAZY)
# SQLite itself is linked from the archive that libsqlite3-dev installs
# beside the shared library, the same build of the same package.  The
# shared one is built with BIND_NOW and binds some 1,600 symbols at every
# start (its own API through its PLT, and the extension routine table);
# linked in, a `kith --version` binds 147, and `path`, `near` and `mutual`
# at 100k people start 0.6-0.9 ms sooner (interleaved p50s, docs/graph.md).
# The cost is that a SQLite update from the distribution reaches kith when
# kith is built again, so the Debian package (debian/rules) links the
# shared library, and SQLITE_STATIC=0 does the same here.
SQLITE_STATIC ?= 1
SQLITE_A := $(if $(filter 1,$(SQLITE_STATIC)),$(wildcard $(shell pkg-config --variable=libdir sqlite3 2>/dev/null)/libsqlite3.a))
SQLITE_LIBS := $(or $(SQLITE_A),$(shell pkg-config --libs sqlite3 2>/dev/null))
export KITH_SQLITE_STATIC := $(if $(SQLITE_A),1,0)
LDLIBS_ALL := $(SQLITE_LIBS) $(shell pkg-config --libs $(filter-out sqlite3,$(PKGS)) 2>/dev/null) -lcsv -lm
ifeq ($(LAZY),1)
LDLIBS   += $(SQLITE_LIBS) -lm
LAZY_OBJ := $(BUILD)/gen/lazy_stubs.o
else
LDLIBS   += $(LDLIBS_ALL)
LAZY_OBJ :=
endif

LIB_SRC  := $(sort $(wildcard src/*.c src/*/*.c))
CLI_SRC  := $(sort $(wildcard cli/*.c server/*.c server/*/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_SUP := $(sort $(wildcard tests/unit/support*.c))
BENCH_SRC:= $(sort $(wildcard bench/*.c))
BENCH_SUP:= $(sort $(wildcard bench/common/*.c))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/web_files.o
SUP_OBJ  := $(UNIT_SUP:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libkith.a
KITH     := $(BUILD)/kith
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_BIN := $(patsubst tests/tools/%.c,$(BUILD)/tests/tools/%,$(wildcard tests/tools/*.c))
BENCH_BIN:= $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
BSUP_OBJ := $(BENCH_SUP:%.c=$(BUILD)/%.o)

DEMO_DB  ?= demo.db
DEMO_SEED?= 42
LISTEN   ?= 127.0.0.1:7070

.PHONY: all deps deps-run run demo test test-long test-unit test-cli check check-asan bench clean FORCE

all: $(KITH)

# The web UI is compiled into kith: every file under web/ that is not
# hidden, whatever is there at build time, becomes an array with its size
# and ETag in $(BUILD)/gen/web_files.c (scripts/web_embed.c).  The list is
# rewritten only when it changes, so adding or removing a file rebuilds
# the table and an unchanged tree rebuilds nothing.
WEB_FILES := $(shell find web -type f ! -path '*/.*' 2>/dev/null | LC_ALL=C sort)

$(BUILD)/gen/web.list: FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' $(WEB_FILES) >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(BUILD)/gen/web_embed: scripts/web_embed.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -std=c11 -Wall -Wextra -o $@ $<

$(BUILD)/gen/web_files.c: $(BUILD)/gen/web.list $(BUILD)/gen/web_embed $(WEB_FILES)
	$(BUILD)/gen/web_embed $< web >$@.tmp && mv $@.tmp $@

$(BUILD)/gen/web_files.o: $(BUILD)/gen/web_files.c server/http/web_files.h
	$(CC) -std=c11 $(OPT) $(SAN) -Iserver/http -c $< -o $@

deps:
	@sh scripts/deps.sh

deps-run:
	@sh scripts/deps.sh run

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ) $(LAZY_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/gen/lazy_stubs.S: scripts/lazy_stubs.sh Makefile
	@mkdir -p $(dir $@)
	sh scripts/lazy_stubs.sh $(CC) $(LAZY_LIBS) >$@.tmp && mv $@.tmp $@

$(BUILD)/gen/lazy_stubs.o: $(BUILD)/gen/lazy_stubs.S
	$(CC) -c $< -o $@

$(KITH): $(CLI_OBJ) $(LIB) $(SQLITE_A)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(SUP_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(SUP_OBJ) $(LIB) $(LDLIBS) $(shell pkg-config --libs cmocka)

$(BUILD)/tests/tools/%: $(BUILD)/tests/tools/%.o
	$(CC) $(LDFLAGS) -o $@ $< $(LDLIBS_ALL)

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(BSUP_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(BSUP_OBJ) $(LIB) $(LDLIBS)

# The demo database is rebuilt from its seed every time, at its own date
# (DEMO_NOW, as KITH_NOW), with the team's two members, Alex (me) and Sam,
# each with a token printed once: it is a fixture, not user data, and the
# README's tour shows what it holds (tests/cli/test_readme.sh checks).
DEMO_NOW ?= 2026-11-23T12:00:00Z

demo: $(KITH)
	@KITH_NOW=$(DEMO_NOW) sh scripts/demo.sh $(KITH) $(DEMO_DB) $(DEMO_SEED)

run: deps-run
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory demo
	@echo
	@echo "Sign in at the address below with a token above (Ctrl-C stops the server)."
	@echo "The demo runs at its own date, $(DEMO_NOW); for the README's tour:"
	@echo "  export KITH_DB=$(DEMO_DB) KITH_NOW=$(DEMO_NOW)"
	KITH_NOW=$(DEMO_NOW) $(KITH) --db $(DEMO_DB) serve --listen $(LISTEN)

# Every test in the plain build (gcc) and again under ASan+UBSan (clang),
# then half a minute of fuzzing per parser; the last line adds them all
# up ("N passed, N failed, N skipped") and the exit status is non-zero if
# anything failed (make then adds its one "Error 1" line).  The sanitizer build carries libFuzzer's coverage
# hooks, so the fuzzers link against it instead of a third build; builds
# run TEST_JOBS compilers at a time.  Test
# files run TEST_JOBS at a time (tests/run.sh); the kill -9 stress trials
# run a quick count (TEST_TRIALS, TEST_ASAN_TRIALS), and under ASan the
# random-graph properties a quarter of their graphs (KITH_TEST_QUICK); all
# in full in `make test-long` (TEST_LONG_TRIALS, 20 under ASan, a minute
# per fuzzer).
TALLY             := build/test-tally
TEST_JOBS         ?= 2
TEST_TRIALS       ?= 10
TEST_ASAN_TRIALS  ?= 3
TEST_LONG_TRIALS  ?= 100
TEST_FUZZ_SECONDS ?= 30
ASAN_SAN := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
ASAN_FLAGS := BUILD=build-asan CC=clang OPT="-O1 -g" SAN="$(ASAN_SAN)"
# In a sanitizer build, LeakSanitizer is told not to follow glibc's
# dynamic TLS (the blocks of libraries loaded by dlopen, as kith loads
# GLib, libical and GMime).  clang 14's runtime misreads one of them under
# glibc 2.36 ("DTLS 8 at 0x308-0x200000140a") and its tracer dies at exit
# with "LeakSanitizer has encountered a fatal error", after every test
# passed: test_import_bulk did, with TZ=UTC.  Following fewer roots can
# only report more leaks, never hide one.
ifneq ($(SAN),)
export ASAN_OPTIONS := intercept_tls_get_addr=0$(if $(ASAN_OPTIONS),:$(ASAN_OPTIONS))
endif

# $(call run_tests,TRIALS,ASAN_TRIALS,ASAN_QUICK,FUZZ_SECONDS)
define run_tests
	@mkdir -p build && rm -f $(TALLY); st=0; \
	t0=$$(date +%s); \
	KITH_TEST_TALLY=$(CURDIR)/$(TALLY) KITH_CRASH_TRIALS=$(1) KITH_TEST_JOBS=$(TEST_JOBS) \
		$(MAKE) --no-print-directory -j$(TEST_JOBS) check || st=1; \
	t1=$$(date +%s); \
	KITH_TEST_TALLY=$(CURDIR)/$(TALLY) KITH_CRASH_TRIALS=$(2) KITH_TEST_JOBS=$(TEST_JOBS) \
		KITH_TEST_QUICK=$(3) $(MAKE) --no-print-directory -j$(TEST_JOBS) $(ASAN_FLAGS) \
		check || st=1; \
	t2=$$(date +%s); \
	KITH_TEST_TALLY=$(CURDIR)/$(TALLY) \
		$(MAKE) --no-print-directory -j$(TEST_JOBS) fuzz-smoke FUZZ_SECONDS=$(4) || st=1; \
	t3=$$(date +%s); \
	echo; echo "took $$((t3 - t0)) s: plain $$((t1 - t0)) s, asan $$((t2 - t1)) s, fuzz $$((t3 - t2)) s"; \
	sh tests/summary.sh $(TALLY) $$st
endef

test: deps
	$(call run_tests,$(TEST_TRIALS),$(TEST_ASAN_TRIALS),1,$(TEST_FUZZ_SECONDS))

test-long: deps
	$(call run_tests,$(TEST_LONG_TRIALS),20,0,60)

check: $(KITH) $(UNIT_BIN) $(TOOL_BIN)
	@python3 scripts/layers.py $(BUILD)
	@sh tests/run.sh $(BUILD)

test-unit: $(UNIT_BIN)
	@sh tests/run.sh $(BUILD) unit

test-cli: $(KITH) $(TOOL_BIN)
	@sh tests/run.sh $(BUILD) cli

check-asan:
	@KITH_CRASH_TRIALS=$${KITH_CRASH_TRIALS:-20} $(MAKE) --no-print-directory $(ASAN_FLAGS) check

bench: $(BENCH_BIN)

clean:
	rm -rf build build-asan

-include $(shell find $(BUILD) -path $(BUILD)/deb -prune -o -name '*.d' -type f -print 2>/dev/null)

# --- Install, man pages, completion, the Debian package -----------------
# `make install` (PREFIX, default /usr/local; DESTDIR for staging) puts
# the binary, the man pages (docs/man/*.scd through scdoc), bash and zsh
# completion (written by dist/completion.sh from the binary's own
# --help), the unit kith.service with its sysusers.d entry for the user
# "kith", and the example configuration: in SYSCONFDIR/kith (default
# /etc/kith) only when no kith.conf is there yet, and always in the doc
# folder; the unit names the binary and the configuration where they
# are.  `make uninstall` removes what install put, the configuration
# only when it is still the example; never the database in /var/lib/kith.
# `make deb` builds build/deb/kith_VERSION_ARCH.deb with dpkg-buildpackage
# from a copy of the checkout's files (the version is KITH_VERSION, which
# debian/changelog must match).
VERSION     := $(shell sed -n 's/^\#define KITH_VERSION "\(.*\)"/\1/p' include/kith/kith.h)
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
DATADIR     ?= $(PREFIX)/share
MANDIR      ?= $(DATADIR)/man
DOCDIR      ?= $(DATADIR)/doc/kith
SYSCONFDIR  ?= /etc
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR  ?= $(DATADIR)/zsh/site-functions
UNITDIR     ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
SCDOC       ?= scdoc
INSTALL     ?= install

MAN_SRC  := $(sort $(wildcard docs/man/*.scd))
MAN_OUT  := $(MAN_SRC:docs/man/%.scd=$(BUILD)/man/%)
COMP_OUT := $(BUILD)/completion/kith.bash $(BUILD)/completion/_kith

.PHONY: man completion install uninstall deb

man: $(MAN_OUT)

$(BUILD)/man/%: docs/man/%.scd
	@mkdir -p $(dir $@)
	@command -v $(SCDOC) >/dev/null || { echo "make: scdoc is missing (sh scripts/deps.sh installs it)" >&2; exit 1; }
	$(SCDOC) <$< >$@.tmp && mv $@.tmp $@

completion: $(COMP_OUT)

$(BUILD)/completion/kith.bash: dist/completion.sh $(KITH)
	@mkdir -p $(dir $@)
	sh dist/completion.sh $(KITH) bash >$@.tmp && mv $@.tmp $@

$(BUILD)/completion/_kith: dist/completion.sh $(KITH)
	@mkdir -p $(dir $@)
	sh dist/completion.sh $(KITH) zsh >$@.tmp && mv $@.tmp $@

install: $(KITH) $(MAN_OUT) $(COMP_OUT)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) \
		$(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(SYSCONFDIR)/kith
	$(INSTALL) -m 755 $(KITH) $(DESTDIR)$(BINDIR)/kith
	$(INSTALL) -m 644 $(MAN_OUT) $(DESTDIR)$(MANDIR)/man1/
	$(INSTALL) -m 644 $(BUILD)/completion/kith.bash $(DESTDIR)$(BASHCOMPDIR)/kith
	$(INSTALL) -m 644 $(BUILD)/completion/_kith $(DESTDIR)$(ZSHCOMPDIR)/_kith
	sed -e 's|/usr/bin/kith|$(BINDIR)/kith|g' -e 's|/etc/kith/|$(SYSCONFDIR)/kith/|g' \
		dist/kith.service >$(DESTDIR)$(UNITDIR)/kith.service
	chmod 644 $(DESTDIR)$(UNITDIR)/kith.service
	$(INSTALL) -m 644 dist/kith.sysusers $(DESTDIR)$(SYSUSERSDIR)/kith.conf
	$(INSTALL) -m 644 dist/kith.conf $(DESTDIR)$(DOCDIR)/examples/kith.conf
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/kith/kith.conf ]; then \
		echo "kept $(DESTDIR)$(SYSCONFDIR)/kith/kith.conf (the example is $(DOCDIR)/examples/kith.conf)"; \
	else \
		echo "$(INSTALL) -m 644 dist/kith.conf $(DESTDIR)$(SYSCONFDIR)/kith/kith.conf"; \
		$(INSTALL) -m 644 dist/kith.conf $(DESTDIR)$(SYSCONFDIR)/kith/kith.conf; \
	fi
	@[ -n "$(DESTDIR)" ] || echo "then, as root: systemd-sysusers && systemctl daemon-reload && systemctl enable --now kith"

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/kith $(MAN_SRC:docs/man/%.scd=$(DESTDIR)$(MANDIR)/man1/%) \
		$(DESTDIR)$(BASHCOMPDIR)/kith $(DESTDIR)$(ZSHCOMPDIR)/_kith \
		$(DESTDIR)$(UNITDIR)/kith.service $(DESTDIR)$(SYSUSERSDIR)/kith.conf \
		$(DESTDIR)$(DOCDIR)/examples/kith.conf
	@conf=$(DESTDIR)$(SYSCONFDIR)/kith/kith.conf; \
	if [ -e "$$conf" ] && ! cmp -s "$$conf" dist/kith.conf; then \
		echo "kept $$conf (changed from the example)"; \
	else rm -f "$$conf"; fi
	@rmdir $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) $(DESTDIR)$(SYSCONFDIR)/kith 2>/dev/null || true

DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
DEB      := $(BUILD)/deb/kith_$(VERSION)_$(DEB_ARCH).deb
DEB_TREE := $(BUILD)/deb/kith-$(VERSION)
# what the package build reads: the checkout's files (tracked or new, not
# ignored) of these, when it is one (not the tests: editing one does not
# rebuild the package); listed only when the goal is deb
DEB_PATHS := Makefile README.md layers.txt include src cli server web scripts dist debian docs
ifneq ($(filter deb $(DEB),$(MAKECMDGOALS)),)
DEB_SRC  := $(wildcard $(shell git ls-files --cached --others --exclude-standard -- $(DEB_PATHS) 2>/dev/null))
endif

deb: $(DEB)

$(DEB): $(DEB_SRC)
	@for t in dpkg-buildpackage dh fakeroot $(SCDOC); do command -v $$t >/dev/null || { \
		echo "make deb: $$t is missing (sh scripts/deps.sh deb installs it)" >&2; exit 1; }; done
	@v=$$(dpkg-parsechangelog -S Version); [ "$$v" = "$(VERSION)" ] || { \
		echo "make deb: debian/changelog is at $$v, kith at $(VERSION) (add an entry with dch -v $(VERSION))" >&2; exit 1; }
	rm -rf $(BUILD)/deb && mkdir -p $(DEB_TREE)
	@if [ -n "$(DEB_SRC)" ]; then printf '%s\n' $(DEB_SRC) | tar -cf - -T - ; \
	else tar -cf - --exclude='*.db*' $(DEB_PATHS); fi | tar -xf - -C $(DEB_TREE)
	cd $(DEB_TREE) && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL dpkg-buildpackage -us -uc -b \
		>../build.log 2>&1 || { tail -40 ../build.log; exit 1; }
	rm -rf $(DEB_TREE)
	@ls -l $@
# --- Fuzzing the capture parsers (libFuzzer, clang) -------------------------
# `make fuzz` builds fuzz/fuzz_*.c against the ASan+UBSan libkith of
# check-asan (build-asan, clang, with libFuzzer's coverage hooks);
# `make fuzz-smoke` runs each harness FUZZ_SECONDS (default 60) from its
# seeds in fuzz/corpus/NAME and the real files of its format in
# ../shared/data/corpora/NAME (beside the checkout), when present.
FUZZ_BUILD   ?= build-asan
FUZZ_SECONDS ?= 60
FUZZ_NAMES   := $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_SHARED  := ../shared/data/corpora
# Files written by others, from tests/corpus (npm ci there), when present.
FUZZ_SEEDS_vcard := $(wildcard tests/corpus/node_modules/vcard-json/test)
FUZZ_SEEDS_ics   := $(wildcard tests/corpus/node_modules/ical/test)
FUZZ_SEEDS_mbox  := $(wildcard tests/corpus/node_modules/node-mbox/test)

.PHONY: fuzz fuzz-smoke fuzz-bins

fuzz:
	@$(MAKE) --no-print-directory $(ASAN_FLAGS) BUILD=$(FUZZ_BUILD) fuzz-bins

fuzz-bins: $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz_%)

# Harnesses link the server's objects too (fuzz_request reads requests).
SRV_OBJ      := $(patsubst %.c,$(BUILD)/%.o,$(wildcard server/*.c server/*/*.c)) \
                $(BUILD)/gen/web_files.o

$(BUILD)/fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_common.h $(LIB) $(SRV_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $< $(SRV_OBJ) $(LIB) $(LDLIBS)

fuzz-smoke: fuzz
	@pass=0; fail=0; for n in $(FUZZ_NAMES); do \
		seeds="fuzz/corpus/$$n"; \
		if [ -d "$(FUZZ_SHARED)/$$n" ]; then seeds="$$seeds $(FUZZ_SHARED)/$$n"; \
		elif [ "$$n" != request ]; then echo "fuzz_$$n: no $(FUZZ_SHARED)/$$n to seed from"; fi; \
		case $$n in vcard) seeds="$$seeds $(FUZZ_SEEDS_vcard)";; ics) seeds="$$seeds $(FUZZ_SEEDS_ics)";; \
			mbox) seeds="$$seeds $(FUZZ_SEEDS_mbox)";; esac; \
		mkdir -p $(FUZZ_BUILD)/corpus/$$n $(FUZZ_BUILD)/artifacts; \
		echo "fuzz_$$n: $(FUZZ_SECONDS) s from $$seeds"; \
		log=$(FUZZ_BUILD)/fuzz_$$n.log; \
		$(FUZZ_BUILD)/fuzz/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
			-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
			-artifact_prefix=$(FUZZ_BUILD)/artifacts/$$n- \
			$(FUZZ_BUILD)/corpus/$$n $$seeds >$$log 2>&1; \
		rc=$$?; \
		grep -E '^(stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)' $$log; \
		if [ $$rc -eq 0 ]; then pass=$$((pass + 1)); \
		else fail=$$((fail + 1)); echo "fuzz_$$n: FAILED (exit $$rc; $$log, $(FUZZ_BUILD)/artifacts)"; \
			grep -A12 '==ERROR' $$log | head -30; fi; \
	done; \
	echo "fuzz: $$pass passed, $$fail failed"; \
	[ -z "$$KITH_TEST_TALLY" ] || echo "$$pass $$fail 0 fuzz" >>"$$KITH_TEST_TALLY"; \
	[ $$fail -eq 0 ]

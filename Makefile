# portolan - one Makefile, no generator.
#
# A plain Makefile is enough here: one binary, a static library of every
# module, one test binary per tests/unit/test_*.c, and libFuzzer targets.
# Sources are found by wildcard, so adding a module means adding its files.
#
#   make                 build/portolan
#   make check           unit tests (cmocka) + end-to-end tests (pytest)
#   make SAN=1 check     the same under ASan+UBSan, in build-san/
#   make TSAN=1          ThreadSanitizer build, in build-tsan/
#   make fuzz            libFuzzer targets in build-fuzz/ (clang)
#   make install         PREFIX (/usr/local) and DESTDIR, as usual; `make uninstall`
#   make STATIC=0        both binaries linked against the system's shared
#                        libraries, as Debian policy wants (debian/rules)

SAN     ?= 0
TSAN    ?= 0
ifeq ($(TSAN),1)
# ThreadSanitizer, for the server's threads (tests/e2e/test_web_abuse.py
# runs a concurrent load against this build when it exists).
BUILD   ?= build-tsan
CC      := clang
SANFLAGS = -fsanitize=thread -fno-omit-frame-pointer
SANDEFS  = -DPORTOLAN_LEAK_CHECK
OPT     ?= -O1 -g
else ifeq ($(SAN),1)
BUILD   ?= build-san
CC      := clang
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# Free everything before exit, so LeakSanitizer sees real leaks only (src/cli/cli.c).
SANDEFS  = -DPORTOLAN_LEAK_CHECK
OPT     ?= -O1 -g
else
BUILD   ?= build
CC      ?= cc
SANFLAGS =
SANDEFS  =
OPT     ?= -O2 -g
endif

PKGS     = sqlite3 expat jansson libcurl libmicrohttpd nettle zlib md4c-html libpq
# libpq (the shared claims store, src/claims/cstore_pg.c) is linked into
# portolan-serve only: nothing in portolan refers to that file, so its
# static link takes nothing from the library.
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
# libunistring (UTF-8 validation, terminal column widths) ships no .pc file.
PKG_LIBS   := $(shell pkg-config --libs $(filter-out libcurl,$(PKGS))) -lunistring
# Its SONAME, which a dynamically linked portolan dlopen()s (src/util/unicode.c):
# asked of the library this compiler links, and only when unicode_dl.o is built.
UNISTRING_SONAME = $(shell objdump -p $$($(CC) -print-file-name=libunistring.so) 2>/dev/null | \
		     sed -n 's/^ *SONAME *//p')

# Where the binaries find the curated data (SHAREDIR/data), the catalogs
# (SHAREDIR/po) and, when set, portolan-serve (LIBEXECDIR; else beside
# portolan).  Built in the tree they are the tree; `make install` sets both.
SHAREDIR   ?= $(abspath .)
LIBEXECDIR ?=
# The system-wide database readers fall back to when the user has none
# (src/cli/cli.c, cli_db_system()); unset in the tree.  The Debian package
# builds /var/lib/portolan/portolan.db in postinst.
SYSTEM_DB  ?=

CFLAGS  ?=
CFLAGS  += -std=c17 -D_GNU_SOURCE $(OPT) -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wvla -Wformat=2 -fstack-protector-strong -Isrc $(PKG_CFLAGS) $(SANFLAGS) $(SANDEFS) \
	   -DPORTOLAN_DATADIR='"$(SHAREDIR)/data"' \
	   $(if $(LIBEXECDIR),-DPORTOLAN_LIBEXECDIR='"$(LIBEXECDIR)"') \
	   $(if $(SYSTEM_DB),-DPORTOLAN_SYSTEM_DB='"$(SYSTEM_DB)"')
LDFLAGS += $(SANFLAGS)
LDLIBS  += $(PKG_LIBS) -lpthread -lm

LIB_SRC  := $(sort $(shell find src -name '*.c' ! -path 'src/cli/main.c' ! -path 'src/cli/serve_main.c'))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/%)

# The site's assets (src/web/assets/) become byte arrays in a generated C
# file (scripts/embed-assets.sh; see src/web/assets.h) that joins the
# library.  The directory is a prerequisite so adding or removing a file
# regenerates the table.
ASSETS   := $(sort $(wildcard src/web/assets/*))
ASSETS_C := $(BUILD)/gen/assets_data.c
LIB_OBJ  += $(BUILD)/gen/assets_data.o

PYTEST  ?= /usr/bin/python3 -m pytest

.PHONY: all check unit e2e fuzz fuzz-smoke clean format install uninstall
all: $(BUILD)/portolan $(BUILD)/portolan-serve

# The directory itself is a prerequisite (a removed asset changes its time);
# the empty rule stops make from "building" it from src/web/assets.c.
src/web/assets: ;
$(ASSETS_C): $(ASSETS) $(wildcard src/web/assets) scripts/embed-assets.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-assets.sh $(ASSETS) > $@.tmp
	mv $@.tmp $@
$(BUILD)/gen/assets_data.o: $(ASSETS_C)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

# The same module, built to load libunistring with dlopen() on first need:
# what a dynamically linked portolan links instead of the archive's copy
# (see below and src/util/unicode.c).
$(BUILD)/src/util/unicode_dl.o: src/util/unicode.c
	@mkdir -p $(dir $@)
	$(if $(UNISTRING_SONAME),,$(error cannot find libunistring.so's SONAME (libunistring-dev)))
	$(CC) $(CPPFLAGS) $(CFLAGS) -DUNICODE_DLOPEN -DUNISTRING_SONAME='"$(UNISTRING_SONAME)"' \
	    -MMD -MP -c $< -o $@

$(BUILD)/libportolan.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# portolan is one static PIE: a lookup is a whole process, and loading it
# was a fifth of it.  Mapping and relocating libc and libm (SQLite's math
# functions pull in libm) took `portolan 3106 --json` from 2.07 ms to
# 2.54 ms elapsed (perf stat -r 400; getent services 3106: 1.44 ms); a
# static-pie start maps nothing and keeps ASLR.
# The optional libraries are still loaded with dlopen() when they are
# needed (libcurl for `update --from URL`, md4c for a note in the
# terminal; glibc also dlopen()s NSS modules other than "files"), which
# glibc supports in static programs provided the libc.so it loads is the
# version the binary was linked with: hence ld's "requires at runtime the
# shared libraries from the glibc version used for linking" warnings,
# which hold for a binary built where it runs.  tests/e2e cover both
# dlopen() paths (test_update.py downloads, test_curated.py notes).
# nettle is referenced only by the server's vote writer, so the static
# link takes nothing from it for portolan.
#
# portolan-serve (which serve, export and a downloading update exec, see
# src/cli/serve_main.c) stays dynamic: libmicrohttpd and GnuTLS have no static
# archives here, and libcurl's resolver thread crashes in a static program.  It still
# links SQLite, jansson, expat and libunistring statically.  The sanitizer
# build links portolan dynamically too: ASan does not support static
# executables.
#
# STATIC=0 (the Debian package) links both binaries against the shared
# libraries only, --as-needed: Debian policy wants no private copies of
# its libraries, so a security update of SQLite or expat reaches portolan,
# and a static libc that dlopen()s NSS modules and libcurl works only with
# the exact glibc it was linked with.  The dynamic portolan needs SQLite
# and jansson (readelf -d); what loading them costs a lookup is measured
# by bench/lookup (README, "Installing on Debian").
#
# libunistring a dynamically linked portolan (STATIC=0, and the SAN and
# TSAN builds) does not link: it loads it with dlopen() the first time text
# that is not ASCII needs it (unicode_dl.o, src/util/unicode.c), since
# binding it at start-up was 0.15 ms of a 2.1 ms lookup that, in English,
# uses nothing from it.  The static portolan links it as before, and
# portolan-serve always does: so the package's ${shlibs:Depends}
# (dpkg-shlibdeps, debian/control) still names libunistring, from
# portolan-serve, which the dlopen() in portolan relies on.
STATIC ?= 1
ifeq ($(STATIC),0)
$(BUILD)/src/cli/main.o: CFLAGS += -DPORTOLAN_LEAN_CLI
LINK_LIBS = -Wl,--as-needed -lsqlite3 -ljansson -lexpat -lunistring \
	      $(shell pkg-config --libs nettle) -lz -ldl -lpthread -lm
else
LINK_LIBS = -Wl,--as-needed -Wl,-Bstatic -lsqlite3 -ljansson -lexpat -lunistring -Wl,-Bdynamic \
	      $(shell pkg-config --libs nettle) -lz -ldl -lpthread -lm
endif
ifeq ($(SAN)$(TSAN)$(STATIC),001)
CLI_OBJ     =
CLI_LINK    = -static-pie -lsqlite3 -ljansson -lexpat -lunistring $(shell pkg-config --libs nettle) \
	      -lz -lpthread -lm
else
# unicode_dl.o comes before the archive, so the archive's unicode.o (which
# calls libunistring directly) is never pulled in.
CLI_OBJ     = $(BUILD)/src/util/unicode_dl.o
CLI_LINK    = $(filter-out -lunistring,$(LINK_LIBS))
endif
$(BUILD)/portolan: $(BUILD)/src/cli/main.o $(CLI_OBJ) $(BUILD)/libportolan.a
	$(CC) $(LDFLAGS) -o $@ $^ $(CLI_LINK)
$(BUILD)/portolan-serve: $(BUILD)/src/cli/serve_main.o $(BUILD)/libportolan.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LINK_LIBS) -lmd4c-html -lmd4c $(shell pkg-config --libs libmicrohttpd) \
	    $(shell pkg-config --libs libpq)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libportolan.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

# The unicode module's tests once more against its dlopen() build.
TEST_BIN += $(BUILD)/tests/test_util_unicode_dl
$(BUILD)/tests/test_util_unicode_dl: tests/unit/test_util_unicode.c $(BUILD)/src/util/unicode_dl.o \
				     $(BUILD)/libportolan.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

unit: $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; $$t; done

# tests/e2e/test_linking.py is about a dynamically linked portolan: the
# static one has libunistring inside and nothing for it to check, so there
# it is left out rather than counted as skipped (the ASan pass runs it).
ifeq ($(SAN)$(TSAN)$(STATIC),001)
E2E_IGNORE = --ignore=tests/e2e/test_linking.py
endif
e2e: $(BUILD)/portolan $(BUILD)/portolan-serve
	PORTOLAN_BIN=$(abspath $(BUILD)/portolan) $(PYTEST) -q $(E2E_IGNORE) tests/e2e

check: unit e2e

# Optional BPF fast path of src/machine/owners_bpf.c: a task_file iterator
# compiled with clang and embedded as a bpftool light skeleton (Debian:
# bpftool, libbpf-dev).  Without bpftool owners_bpf.c builds as a stub and
# the /proc walk is used; the fuzzers always get the stub.
BPFTOOL ?= $(firstword $(wildcard /usr/sbin/bpftool /usr/bin/bpftool))
ifneq ($(BPFTOOL),)
$(BUILD)/gen/owners_iter.lskel.h: src/machine/owners_iter.bpf
	@mkdir -p $(dir $@)
	clang -O2 -g -target bpf -I/usr/include/$(shell cc -print-multiarch) -x c -c $< \
	      -o $(BUILD)/gen/owners_iter.bpf.o
	$(BPFTOOL) gen skeleton -L $(BUILD)/gen/owners_iter.bpf.o name owners_iter > $@.tmp
	mv $@.tmp $@
$(BUILD)/src/machine/owners_bpf.o: $(BUILD)/gen/owners_iter.lskel.h
$(BUILD)/src/machine/owners_bpf.o: CFLAGS += -DPORTOLAN_HAVE_BPF -I$(BUILD)/gen
endif

# libFuzzer targets: clang, ASan+UBSan.  The library is compiled once with
# -fsanitize=fuzzer-no-link into build-fuzz/libportolan.a and every target
# links it, rather than each target recompiling every module.
FUZZFLAGS = -std=c17 -D_GNU_SOURCE -g -O1 -Isrc $(PKG_CFLAGS) \
	    -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_OBJ  := $(LIB_SRC:%.c=build-fuzz/obj/%.o) build-fuzz/obj/gen/assets_data.o
build-fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(FUZZFLAGS) -MMD -MP -c $< -o $@
build-fuzz/obj/gen/assets_data.o: $(ASSETS_C)
	@mkdir -p $(dir $@)
	clang $(FUZZFLAGS) -c $< -o $@
build-fuzz/libportolan.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^
build-fuzz/%: tests/fuzz/%.c build-fuzz/libportolan.a
	clang $(FUZZFLAGS) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS) -lpthread -lm
fuzz: $(FUZZ_BIN)

# A short run of every target, part of the test suite: each target replays
# its seed corpus (tests/fuzz/corpus/<target>/, if any) and then mutates
# for FUZZ_SECONDS, so a crash in any parser of outside input fails CI.
FUZZ_SECONDS ?= 10
fuzz-smoke: $(FUZZ_BIN)
	@set -e; for f in $(FUZZ_BIN); do n=$$(basename $$f); d=tests/fuzz/corpus/$$n; \
	  mkdir -p build-fuzz/runs/$$n; \
	  echo "== $$n ($(FUZZ_SECONDS)s)"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 build-fuzz/runs/$$n \
	      $$( [ -d $$d ] && echo $$d ) > build-fuzz/runs/$$n.log 2>&1 || \
	      { tail -n 40 build-fuzz/runs/$$n.log; exit 1; }; \
	  tail -n 1 build-fuzz/runs/$$n.log; done

format:
	clang-format -i $$(find src tests -name '*.[ch]')

clean:
	rm -rf build build-san build-tsan build-fuzz build-install build-deb

# `make install` builds a copy of its own in INSTALL_BUILD, compiled to find
# its data and catalogs under PREFIX/share/portolan and portolan-serve
# (which `serve`, `export` and a downloading `update` exec; not a command of
# its own) under PREFIX/libexec/portolan; build/ keeps pointing at the tree
# for the tests.  The data directory is replaced whole, so a file removed
# from data/ does not linger in an installed copy.  IANA's registry as
# vendored (data/iana/) goes to share/portolan/iana/, from which a package
# builds its system-wide database (SYSTEM_DB; debian/portolan.postinst);
# the database itself is not installed: `portolan update` builds one.
PREFIX        ?= /usr/local
INSTALL_BUILD ?= build-install
INSTALL_SHARE  = $(PREFIX)/share/portolan
INSTALL_EXEC   = $(PREFIX)/libexec/portolan
INSTALL_MAN    = $(PREFIX)/share/man/man1
INSTALL_COMPL  = $(PREFIX)/share/bash-completion/completions
INSTALL_ZSH    = $(PREFIX)/share/zsh/vendor-completions

install:
	$(MAKE) BUILD=$(INSTALL_BUILD) SAN=0 SHAREDIR=$(INSTALL_SHARE) LIBEXECDIR=$(INSTALL_EXEC) all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(INSTALL_EXEC) $(DESTDIR)$(INSTALL_MAN) \
	    $(DESTDIR)$(INSTALL_COMPL) $(DESTDIR)$(INSTALL_ZSH) $(DESTDIR)$(INSTALL_SHARE)/po
	install -m 755 $(INSTALL_BUILD)/portolan $(DESTDIR)$(PREFIX)/bin/portolan
	install -m 755 $(INSTALL_BUILD)/portolan-serve $(DESTDIR)$(INSTALL_EXEC)/portolan-serve
	install -m 644 docs/portolan.1 $(DESTDIR)$(INSTALL_MAN)/portolan.1
	install -m 644 completions/portolan.bash $(DESTDIR)$(INSTALL_COMPL)/portolan
	install -m 644 completions/_portolan $(DESTDIR)$(INSTALL_ZSH)/_portolan
	install -m 644 po/*.po $(DESTDIR)$(INSTALL_SHARE)/po/
	rm -rf $(DESTDIR)$(INSTALL_SHARE)/data
	cd data && find . -type f ! -path './iana/*' | while read -r f; do \
	    install -D -m 644 "$$f" "$(DESTDIR)$(INSTALL_SHARE)/data/$$f" || exit 1; done
	install -D -m 644 data/iana/service-names-port-numbers.xml \
	    $(DESTDIR)$(INSTALL_SHARE)/iana/service-names-port-numbers.xml
	install -m 644 data/iana/README.md $(DESTDIR)$(INSTALL_SHARE)/iana/README.md

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/portolan $(DESTDIR)$(INSTALL_EXEC)/portolan-serve \
	    $(DESTDIR)$(INSTALL_MAN)/portolan.1 $(DESTDIR)$(INSTALL_COMPL)/portolan \
	    $(DESTDIR)$(INSTALL_ZSH)/_portolan
	rm -rf $(DESTDIR)$(INSTALL_SHARE)
	-rmdir $(DESTDIR)$(INSTALL_EXEC) 2>/dev/null

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

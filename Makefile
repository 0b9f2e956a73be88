# hone -- a static site compiler for blogs, and its FastCGI companion.
#
#   make                 bin/hone (and later bin/hone-fcgi)
#   make deps            installs the Debian packages needed to build and test
#   make check           every test; ends with "N passed, N failed"
#   make check SANITIZE=1  the same tests built with ASan + UBSan
#   make check-tsan      the threaded tests under ThreadSanitizer (clang)
#   make fuzz            builds the libFuzzer targets and runs each briefly
#   make run             builds the demo site and serves it on 127.0.0.1:8080
#   make install PREFIX=/usr/local DESTDIR=
#   make format          clang-format every C file
#
# Objects go to build/<variant>/ so plain, sanitized and fuzz builds never mix.

CC       ?= cc
PREFIX   ?= /usr/local
DESTDIR  ?=
PKG      ?= pkg-config

PKGS     := yaml-0.1 libcmark-gfm libsodium sqlite3 zlib
FCGIPKGS := fcgi
TESTPKGS := cmocka

PKG_CFLAGS := $(shell $(PKG) --cflags $(PKGS))
PKG_LIBS   := $(shell $(PKG) --libs $(PKGS)) -lcmark-gfm-extensions -lm

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wno-unused-parameter -Wformat=2 -Wvla
CFLAGS   ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) -pthread \
            -Ilib -Igenerator $(PKG_CFLAGS) $(CFLAGS) $(EXTRA_CFLAGS)
ALL_LDFLAGS = -pthread $(LDFLAGS) $(EXTRA_LDFLAGS)

VARIANT  := plain
ifeq ($(SANITIZE),1)
VARIANT  := asan
EXTRA_CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
EXTRA_LDFLAGS += -fsanitize=address,undefined
endif
ifeq ($(SANITIZE),fuzz)
VARIANT  := fuzz
EXTRA_CFLAGS  += -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
                 -fno-omit-frame-pointer
EXTRA_LDFLAGS += -fsanitize=address,undefined
endif
ifeq ($(SANITIZE),thread)
VARIANT  := tsan
EXTRA_CFLAGS  += -fsanitize=thread -fno-omit-frame-pointer
EXTRA_LDFLAGS += -fsanitize=thread
endif

B        := build/$(VARIANT)
BIN      := $(if $(filter plain,$(VARIANT)),bin,$(B)/bin)

LIB_SRC  := $(sort $(wildcard lib/*.c))
GEN_SRC  := $(sort $(wildcard generator/*.c))
FCGI_SRC := $(sort $(wildcard fcgi/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))

LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o)
GEN_OBJ  := $(GEN_SRC:%.c=$(B)/%.o)
FCGI_OBJ := $(FCGI_SRC:%.c=$(B)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

.PHONY: all deps browser-deps check check-tsan fuzz fuzz-run install format clean bench run

all: $(BIN)/hone $(if $(FCGI_SRC),$(BIN)/hone-fcgi)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(B)/fcgi/%.o: fcgi/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Ifcgi $(shell $(PKG) --cflags $(FCGIPKGS)) -MMD -MP -c $< -o $@

$(BIN)/hone-fcgi: $(FCGI_OBJ) $(B)/libhone.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(FCGI_OBJ) $(B)/libhone.a $(PKG_LIBS) \
	    $(shell $(PKG) --libs $(FCGIPKGS))

$(B)/libhone.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN)/hone: $(GEN_OBJ) $(B)/libhone.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(GEN_OBJ) $(B)/libhone.a $(PKG_LIBS)

GEN_LIB_OBJ := $(filter-out $(B)/generator/main.o,$(GEN_OBJ))

$(B)/tests/%: tests/unit/%.c $(GEN_LIB_OBJ) $(B)/libhone.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(shell $(PKG) --cflags $(TESTPKGS)) -MMD -MP -o $@ $< \
	    $(ALL_LDFLAGS) $(GEN_LIB_OBJ) $(B)/libhone.a $(PKG_LIBS) $(shell $(PKG) --libs $(TESTPKGS))

# Unit tests of hone-fcgi's modules that need no libfcgi (cert, commit, form, landing,
# member, ratelimit): tests/unit/test_fcgi_*.c link those objects.
FCGI_UNIT_OBJ := $(addprefix $(B)/fcgi/,cert.o commit.o form.o landing.o member.o ratelimit.o)
$(B)/tests/test_fcgi_%: tests/unit/test_fcgi_%.c $(FCGI_UNIT_OBJ) $(B)/libhone.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Ifcgi $(shell $(PKG) --cflags $(TESTPKGS)) -MMD -MP -o $@ $< \
	    $(ALL_LDFLAGS) $(FCGI_UNIT_OBJ) $(B)/libhone.a $(PKG_LIBS) $(shell $(PKG) --libs $(TESTPKGS))

# Debian packages: to build, to test, to benchmark.
DEB_BUILD := build-essential pkg-config clang libyaml-dev libcmark-gfm-dev \
             libcmark-gfm-extensions-dev libfcgi-dev libsqlite3-dev libsodium-dev zlib1g-dev nginx
DEB_TEST  := libcmocka-dev python3-django python3-jinja2 python3-html5lib \
             python3-feedparser python3-yaml curl sqlite3 chromium wrk gunicorn \
             qpdf poppler-utils openssl
deps:
	@missing=$$(for p in $(DEB_BUILD) $(DEB_TEST); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    echo "installing:" $$missing; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	else echo "all Debian packages present"; fi

# The browser tests' npm packages (playwright-core drives Debian's chromium,
# axe-core checks accessibility), pinned by tests/browser/package-lock.json.
browser-deps:
	@if [ -d tests/browser/node_modules/playwright-core ] && \
	    [ -d tests/browser/node_modules/axe-core ]; then echo "npm packages present"; \
	else command -v npm >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q npm; \
	    cd tests/browser && npm ci --no-audit --no-fund; fi

check: all $(UNIT_BIN)
	@BUILD=$(B) BIN=$(BIN) VARIANT=$(VARIANT) tests/run

check-tsan:
	$(MAKE) SANITIZE=thread CC=clang build/tsan/tests/test_threads build/tsan/tests/test_fcgi_cert \
	    build/tsan/tests/test_fcgi_commit build/tsan/tests/test_markdown
	TSAN_OPTIONS=halt_on_error=1 setarch $$(uname -m) -R build/tsan/tests/test_threads
	TSAN_OPTIONS=halt_on_error=1 setarch $$(uname -m) -R build/tsan/tests/test_fcgi_cert
	TSAN_OPTIONS=halt_on_error=1 setarch $$(uname -m) -R build/tsan/tests/test_fcgi_commit
	TSAN_OPTIONS=halt_on_error=1 setarch $$(uname -m) -R build/tsan/tests/test_markdown
	$(MAKE) SANITIZE=thread CC=clang build/tsan/bin/hone
	rm -rf build/tsan/site-blog && TSAN_OPTIONS=halt_on_error=1 setarch $$(uname -m) -R \
	    build/tsan/bin/hone build -s tests/sites/blog -d build/tsan/site-blog -j 4 --quiet
	diff -r tests/sites/blog/expected build/tsan/site-blog

# Fuzz targets link the library and the generator (not main) built in the
# "fuzz" variant: objects instrumented for libFuzzer, ASan and UBSan.
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=build/fuzz/bin/%)
FUZZ_SECONDS ?= 60
fuzz:
	$(MAKE) SANITIZE=fuzz CC=clang fuzz-run

build/fuzz/bin/%: fuzz/%.c $(GEN_LIB_OBJ) $(B)/libhone.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(GEN_LIB_OBJ) $(B)/libhone.a \
	    $(PKG_LIBS) $(shell $(PKG) --libs $(FCGIPKGS))

# fuzz_form also links hone-fcgi's form parser and landing-page filler
build/fuzz/bin/fuzz_form: fuzz/fuzz_form.c $(B)/fcgi/form.o $(B)/fcgi/landing.o $(B)/libhone.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Ifcgi -fsanitize=fuzzer -o $@ $< $(B)/fcgi/form.o $(B)/fcgi/landing.o \
	    $(B)/libhone.a $(PKG_LIBS)

fuzz-run: $(FUZZ_BIN)
	@for n in $(FUZZ_SRC:fuzz/%.c=%); do \
	    mkdir -p build/fuzz/corpus-$$n fuzz/seeds/$$n; \
	    echo "fuzz: $$n for $(FUZZ_SECONDS)s"; \
	    build/fuzz/bin/$$n -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -timeout=10 \
	        -rss_limit_mb=2048 build/fuzz/corpus-$$n fuzz/seeds/$$n 2>build/fuzz/$$n.log \
	        || { tail -40 build/fuzz/$$n.log; exit 1; }; \
	    tail -1 build/fuzz/$$n.log; done

run: all
	deploy/run-local

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/hone/themes
	install -m 755 bin/hone $(DESTDIR)$(PREFIX)/bin/hone
	if [ -x bin/hone-fcgi ]; then install -m 755 bin/hone-fcgi $(DESTDIR)$(PREFIX)/bin/hone-fcgi; fi
	cp -R themes/. $(DESTDIR)$(PREFIX)/share/hone/themes/

format:
	clang-format -i lib/*.[ch] generator/*.[ch] $(wildcard fcgi/*.[ch]) tests/unit/*.c fuzz/*.c

clean:
	rm -rf build bin

-include $(LIB_OBJ:.o=.d) $(GEN_OBJ:.o=.d) $(FCGI_OBJ:.o=.d) $(UNIT_BIN:=.d)

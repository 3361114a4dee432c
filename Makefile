# sme: plain make; settings in config.mk; licence in COPYING
include config.mk

PROGS = $(patsubst cmd/%.c,%,$(wildcard cmd/sme-*.c))
LIBOBJ = $(patsubst %.c,%.o,$(wildcard lib/*.c))
MAN1 = $(wildcard man/sme-*.1)
MAN5 = $(wildcard man/*.5)
MAN7 = man/sme.7

# what each program links besides libsme.a
LIBS_sme-obis   = $(JANSSON_LIBS)
LIBS_sme-csv    = $(JANSSON_LIBS)
LIBS_sme-mscons =
LIBS_sme-ise    =
LIBS_sme-upload = $(CURL_LIBS) $(SSH2_LIBS) $(SSL_LIBS) $(JANSSON_LIBS) -pthread
LIBS_sme-export = $(JANSSON_LIBS)
LIBS_sme-fetch  = $(CURL_LIBS) $(JANSSON_LIBS)
# the known_hosts test links knownhosts.c, which needs OpenSSL's HMAC
tests/0317-knownhosts.bin: JANSSON_LIBS += $(SSL_LIBS)

all: $(PROGS)

# objects are rebuilt when the compiler or its flags change (SANITIZE=1)
.flags: FORCE
	@echo '$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS)' | cmp -s - $@ || \
	    echo '$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS)' >$@

lib/%.o: lib/%.c lib/sme.h config.mk .flags
	$(CC) $(CPPFLAGS) $(CFLAGS) $(JANSSON_CFLAGS) $(CURL_CFLAGS) $(SSH2_CFLAGS) $(SSL_CFLAGS) -c -o $@ $<

libsme.a: $(LIBOBJ)
	rm -f $@
	ar rcs $@ $(LIBOBJ)

cmd/%.o: cmd/%.c lib/sme.h config.mk .flags
	$(CC) $(CPPFLAGS) $(CFLAGS) -Ilib $(JANSSON_CFLAGS) $(CURL_CFLAGS) -c -o $@ $<

$(PROGS): %: cmd/%.o libsme.a .flags
	$(CC) $(LDFLAGS) -o $@ cmd/$@.o libsme.a $(LIBS_$@)

# tests/*.c are small C programs printing TAP, built beside their source
TESTBIN = $(patsubst %.c,%.bin,$(wildcard tests/*.c))
tests/%.bin: tests/%.c tests/tap.h libsme.a .flags
	$(CC) $(CPPFLAGS) $(CFLAGS) -Ilib -o $@ $< libsme.a $(JANSSON_LIBS)

deps:
	@sh tests/deps.sh

check: deps all $(TESTBIN)
	mandoc -Tlint -Wwarning $(MAN7) $(MAN1) $(MAN5)
	sh tests/servers.sh start
	prove -f $$(ls tests/*.t tests/*.bin | sort) ; rc=$$?; sh tests/servers.sh stop; exit $$rc

demo: deps all
	sh examples/demo.sh

bench: all
	sh bench/run.sh

fuzz:
	sh fuzz/run.sh 300

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANPREFIX)/man1 \
	    $(DESTDIR)$(MANPREFIX)/man5 $(DESTDIR)$(MANPREFIX)/man7
	cp -f $(PROGS) $(DESTDIR)$(PREFIX)/bin/
	cp -f $(MAN1) $(DESTDIR)$(MANPREFIX)/man1/
	[ -z "$(MAN5)" ] || cp -f $(MAN5) $(DESTDIR)$(MANPREFIX)/man5/
	cp -f $(MAN7) $(DESTDIR)$(MANPREFIX)/man7/

uninstall:
	for p in $(PROGS); do rm -f $(DESTDIR)$(PREFIX)/bin/$$p; done
	for m in $(MAN1); do rm -f $(DESTDIR)$(MANPREFIX)/man1/$${m#man/}; done
	for m in $(MAN5); do rm -f $(DESTDIR)$(MANPREFIX)/man5/$${m#man/}; done
	rm -f $(DESTDIR)$(MANPREFIX)/man7/sme.7

clean:
	rm -f $(PROGS) cmd/*.o lib/*.o libsme.a tests/*.bin .flags
	rm -rf tests/run bench/out

.PHONY: all deps check demo bench fuzz install uninstall clean FORCE

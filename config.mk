# sme build configuration; see COPYING for the licence
VERSION = 0.1.0
PREFIX  = /usr/local
MANPREFIX = $(PREFIX)/share/man
DESTDIR =
CC      = cc
PKG_CONFIG = pkg-config

CFLAGS  = -std=c11 -Wall -Wextra -O2 -g -fstack-protector-strong -D_FORTIFY_SOURCE=2
CPPFLAGS = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DSME_VERSION=\"$(VERSION)\"
LDFLAGS =

# SANITIZE=1 builds with AddressSanitizer and UndefinedBehaviorSanitizer
ifeq ($(SANITIZE),1)
CFLAGS  = -std=c11 -Wall -Wextra -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

JANSSON_CFLAGS = $$($(PKG_CONFIG) --cflags jansson)
JANSSON_LIBS   = $$($(PKG_CONFIG) --libs jansson)
CURL_CFLAGS    = $$($(PKG_CONFIG) --cflags libcurl)
CURL_LIBS      = $$($(PKG_CONFIG) --libs libcurl)
SSH2_CFLAGS    = $$($(PKG_CONFIG) --cflags libssh2)
SSH2_LIBS      = $$($(PKG_CONFIG) --libs libssh2)
SSL_CFLAGS     = $$($(PKG_CONFIG) --cflags openssl)
SSL_LIBS       = $$($(PKG_CONFIG) --libs openssl)

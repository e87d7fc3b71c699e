# SPDX-License-Identifier: GPL-2.0
#
# devcred: kernel module, userspace and the board they run on.
#
#   make            build the module and the guest programs for KERNEL
#   make check      every test: host tests, then the guest selftests on
#                   6.12 and 6.1; ends with "N passed, N failed"
#   make demo       boot the board and show devcred working
#   make stress     the long reliability runs (power cuts, 1000 board
#                   kills, fuzzing), with their counts
#   make bench      devcred against the usual ways of keeping credentials
#                   on flash: prints the table, writes bench/results.json
#   make fuzz       the libFuzzer targets (FUZZ_SECONDS each, default 60)
#   make deps       install what the build needs (Debian packages)
#   make clean      remove build/ (kernels stay cached in $(DEVCRED_CACHE))
#
# Kbuild reads the file "Kbuild" in this folder, not this Makefile.

KERNEL ?= 6.12
BUILD ?= $(CURDIR)/build
CROSS ?= aarch64-linux-gnu-
DEVCRED_CACHE ?= $(shell bash -c '. scripts/lib.sh && echo $$DEVCRED_CACHE')
KSFT := $(DEVCRED_CACHE)/linux-source-6.12/tools/testing/selftests

export BUILD DEVCRED_CACHE

.PHONY: all deps module check demo stress bench fuzz clean userspace-arm64 help

all:
	scripts/build $(KERNEL)

deps:
	scripts/deps

module: all

check:
	scripts/check

demo:
	scripts/demo

stress:
	scripts/stress

bench:
	scripts/bench

FUZZ_SECONDS ?= 60
fuzz:
	fuzz/run.sh $(FUZZ_SECONDS)

# Programs for the board, cross-built; scripts/build calls this after making
# sure the kernel tree (which supplies the kselftest harness) is unpacked.
# The daemon joins the board once its protocol code is there.
DAEMON_BINS := $(if $(wildcard daemon/credctl/main.c),$(addprefix $(BUILD)/arm64/bin/,devcredd credctl devcred-web devcred-provision \
		devcred-unseal) \
		$(BUILD)/arm64/test-bin/devcredd_load) \
	       $(if $(wildcard daemon/provider/provider.c),$(BUILD)/arm64/lib/devcred.so)

userspace-arm64: $(DAEMON_BINS)
	$(MAKE) -C selftests CC=$(CROSS)gcc OUTPUT=$(BUILD)/arm64/selftests KSFT=$(KSFT)

# devcredd and credctl for the board, from the layers of daemon/ (README in
# each folder): the libraries and common/ as one static archive, so that
# each program takes only what it uses; credctl needs common/ and
# libssl/libcrypto (its https client certificate, through the provider).
DAEMON_LIB := $(wildcard daemon/common/*.c daemon/lib/*/*.c)
DAEMON_HDRS := $(wildcard daemon/*/*.h daemon/*/*/*.h) uapi/linux/devcred.h
DEVCREDD_SRCS := $(wildcard daemon/devcredd/*.c)
ARM := $(BUILD)/arm64
ARM_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -D_FORTIFY_SOURCE=2 \
	      -fstack-protector-strong -Idaemon -Iuapi
arm_objs = $(patsubst daemon/%.c,$(ARM)/obj/%.o,$(1))

$(ARM)/obj/%.o: daemon/%.c $(DAEMON_HDRS)
	@mkdir -p $(@D)
	$(CROSS)gcc $(ARM_CFLAGS) $(ARM_EXTRA) -c -o $@ $<

$(ARM)/lib/libdevcred.a: $(call arm_objs,$(DAEMON_LIB))
	@mkdir -p $(@D)
	rm -f $@
	$(CROSS)ar rcs $@ $^

$(ARM)/bin/devcredd: $(call arm_objs,$(DEVCREDD_SRCS)) $(ARM)/lib/libdevcred.a
	@mkdir -p $(@D)
	$(CROSS)gcc $(ARM_CFLAGS) -o $@ $^ -lcrypto -lexpat

# credctl: the files of daemon/credctl/ (factory-expected when its file is
# there); libcurl is opened at run time, for URIs only (curl_dl.h), not
# linked; libssl and libcrypto are linked: https transfers present the
# provisioning credential through the devcred provider, put into the
# SSL_CTX libcurl makes (credctl/uri/client_cert.h), and that takes
# OpenSSL's own API. DEVCRED_DATADIR (below) is where install puts its data.
CREDCTL_SRCS := $(wildcard daemon/credctl/*.c daemon/credctl/*/*.c)
$(call arm_objs,$(CREDCTL_SRCS)): ARM_EXTRA = -DDEVCRED_DATADIR='"$(DEVCRED_DATADIR)"' \
	$(if $(filter %/factory_expected.c,$(CREDCTL_SRCS)),-DCREDCTL_FACTORY_EXPECTED)

$(ARM)/bin/credctl: $(call arm_objs,$(CREDCTL_SRCS)) $(ARM)/lib/libdevcred.a
	@mkdir -p $(@D)
	$(CROSS)gcc $(ARM_CFLAGS) -o $@ $^ -lssl -lcrypto -lcrypt

# devcred-web: the files of daemon/web/ (README there), with credctl's URI
# layer for the downloads; libevent (evhttp, bufferevent_openssl), json-c
# for devcredd's --json answers and the API's bodies, libcrypt for the
# password hash.
WEB_SRCS := $(wildcard daemon/web/*.c)
$(ARM)/bin/devcred-web: $(call arm_objs,$(WEB_SRCS) $(wildcard daemon/credctl/uri/*.c)) \
			$(ARM)/lib/libdevcred.a
	@mkdir -p $(@D)
	$(CROSS)gcc $(ARM_CFLAGS) -o $@ $^ -lssl -lcrypto -lcrypt -ljson-c -levent -levent_openssl \
		-lpthread

# devcred-provision: the files of daemon/provision/ (README there), with
# credctl's URI layer for the fetches; json-c for devcredd's status --json.
PROVISION_SRCS := $(wildcard daemon/provision/*.c)
$(ARM)/bin/devcred-provision: $(call arm_objs,$(PROVISION_SRCS) $(wildcard daemon/credctl/uri/*.c)) \
			      $(ARM)/lib/libdevcred.a
	@mkdir -p $(@D)
	$(CROSS)gcc $(ARM_CFLAGS) -o $@ $^ -lssl -lcrypto -lexpat -ljson-c

# devcred-unseal: the files of daemon/unseal/ (README there); libkeyutils
# for the kernel's trusted and encrypted keys (libkeyutils-dev:arm64,
# scripts/deps); libcrypto for the store client's secure heap.
UNSEAL_SRCS := $(wildcard daemon/unseal/*.c)
$(ARM)/bin/devcred-unseal: $(call arm_objs,$(UNSEAL_SRCS)) $(ARM)/lib/libdevcred.a
	@mkdir -p $(@D)
	$(CROSS)gcc $(ARM_CFLAGS) -o $@ $^ -lkeyutils -lcrypto

# The devcred OpenSSL provider (daemon/provider/README.md): a module,
# position independent, OSSL_provider_init() its only export; of common/
# it takes the protocol and the names.
include daemon/provider/common.mk
PROVIDER_SRCS := $(wildcard daemon/provider/*.c) \
		 $(addprefix daemon/common/,$(PROVIDER_COMMON_FILES))
$(ARM)/pic/%.o: daemon/%.c $(DAEMON_HDRS)
	@mkdir -p $(@D)
	$(CROSS)gcc $(ARM_CFLAGS) -fPIC -fvisibility=hidden -c -o $@ $<

$(ARM)/lib/devcred.so: $(patsubst daemon/%.c,$(ARM)/pic/%.o,$(PROVIDER_SRCS)) \
		       daemon/provider/provider.map
	@mkdir -p $(@D)
	$(CROSS)gcc $(ARM_CFLAGS) -shared -Wl,--version-script=daemon/provider/provider.map \
		-Wl,-z,defs -Wl,-z,relro,-z,now -o $@ $(filter %.o,$^) -lcrypto

# The boot tests' unprivileged clients that try to freeze devcredd
# (selftests/boot/daemon_load.sh): a test helper, on the board's PATH beside
# the selftests' (scripts/build), never installed.
$(ARM)/test-bin/devcredd_load: $(ARM)/obj/tests/devcredd_load.o $(ARM)/lib/libdevcred.a
	@mkdir -p $(@D)
	$(CROSS)gcc $(ARM_CFLAGS) -o $@ $^

clean:
	rm -rf $(BUILD)

help:
	@sed -n '3,17p' Makefile

# Documentation and installation.
#
#   make docs       Documentation/ as HTML in $(BUILD)/docs/html (Sphinx,
#                   warnings are errors; the uAPI structures come from the
#                   header's kernel-doc)
#   make install    DESTDIR=... PREFIX=/usr: devcredd, credctl and the
#                   other programs (the board's, cross-built: devcred-web,
#                   devcred-provision, devcred-unseal), the devcred OpenSSL provider
#                   (in OSSL_MODULESDIR), their man pages, the
#                   factory-certificate table, the uAPI header, the module's
#                   source for DKMS, the systemd units, the busybox inittab
#                   lines and the /etc/devcred layout (existing configuration
#                   files are kept)
.PHONY: docs install

docs:
	scripts/docs

PREFIX ?= /usr
SYSCONFDIR ?= /etc
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
INCLUDEDIR ?= $(PREFIX)/include
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
# credctl finds the factory-certificate table here; it is compiled in
# (-DDEVCRED_DATADIR) and must match the table's installed place.
DEVCRED_DATADIR ?= $(DATADIR)/devcred
DEVCRED_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' dkms.conf)
# credctl --version and devcredd --version.
ARM_CFLAGS += -DDEVCRED_VERSION='"$(DEVCRED_VERSION)"'
DKMS_SRC := $(PREFIX)/src/devcred-$(DEVCRED_VERSION)
CREDCTL_BIN ?= $(ARM)/bin/credctl
PROVIDER_SO ?= $(ARM)/lib/devcred.so
# OpenSSL's modules folder on the board: where its libcrypto looks for
# -provider devcred (the arm64 libcrypto's pkg-config says which).
OSSL_MODULESDIR ?= $(or $(shell PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig \
	pkg-config --variable=modulesdir libcrypto 2>/dev/null),/usr/lib/aarch64-linux-gnu/ossl-modules)
DEVCREDD_BIN ?= $(ARM)/bin/devcredd
WEB_BIN ?= $(ARM)/bin/devcred-web
PROVISION_BIN ?= $(ARM)/bin/devcred-provision
UNSEAL_BIN ?= $(ARM)/bin/devcred-unseal
SUBST_PATHS := sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g'

install: $(CREDCTL_BIN) $(DEVCREDD_BIN) $(PROVIDER_SO) $(WEB_BIN) $(PROVISION_BIN) $(UNSEAL_BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(OSSL_MODULESDIR) \
		$(DESTDIR)$(DEVCRED_DATADIR) $(DESTDIR)$(INCLUDEDIR)/linux $(DESTDIR)$(SYSTEMDUNITDIR) \
		$(DESTDIR)$(DKMS_SRC)/driver $(DESTDIR)$(DKMS_SRC)/uapi/linux \
		$(DESTDIR)$(SYSCONFDIR)/default $(DESTDIR)$(SYSCONFDIR)/devcred/provisioning.d
	install -m 0755 $(CREDCTL_BIN) $(DESTDIR)$(BINDIR)/credctl
	install -m 0755 $(DEVCREDD_BIN) $(DESTDIR)$(SBINDIR)/devcredd
	install -m 0644 $(PROVIDER_SO) $(DESTDIR)$(OSSL_MODULESDIR)/devcred.so
	install -m 0755 $(WEB_BIN) $(DESTDIR)$(SBINDIR)/devcred-web
	install -m 0755 $(PROVISION_BIN) $(DESTDIR)$(SBINDIR)/devcred-provision
	install -m 0755 $(UNSEAL_BIN) $(DESTDIR)$(SBINDIR)/devcred-unseal
	install -m 0644 Documentation/man/credctl.1 $(DESTDIR)$(MANDIR)/man1/credctl.1
	install -m 0644 Documentation/man/devcredd.8 $(DESTDIR)$(MANDIR)/man8/devcredd.8
	install -m 0644 Documentation/man/devcred-web.8 $(DESTDIR)$(MANDIR)/man8/devcred-web.8
	install -m 0644 Documentation/man/devcred-provision.8 $(DESTDIR)$(MANDIR)/man8/devcred-provision.8
	install -m 0644 Documentation/man/devcred-unseal.8 $(DESTDIR)$(MANDIR)/man8/devcred-unseal.8
	install -m 0644 data/factory-certs.tsv $(DESTDIR)$(DEVCRED_DATADIR)/factory-certs.tsv
	install -m 0644 uapi/linux/devcred.h $(DESTDIR)$(INCLUDEDIR)/linux/devcred.h
	install -m 0644 dkms.conf Kbuild $(DESTDIR)$(DKMS_SRC)/
	install -m 0644 driver/Kbuild driver/*.c driver/*.h $(DESTDIR)$(DKMS_SRC)/driver/
	install -m 0644 uapi/linux/devcred.h $(DESTDIR)$(DKMS_SRC)/uapi/linux/
	$(SUBST_PATHS) packaging/devcredd.service.in >$(DESTDIR)$(SYSTEMDUNITDIR)/devcredd.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/devcredd.service
	$(SUBST_PATHS) packaging/devcred-web.service.in >$(DESTDIR)$(SYSTEMDUNITDIR)/devcred-web.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/devcred-web.service
	$(SUBST_PATHS) packaging/devcred-provision.service.in \
		>$(DESTDIR)$(SYSTEMDUNITDIR)/devcred-provision.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/devcred-provision.service
	$(SUBST_PATHS) packaging/devcred-unseal.service.in \
		>$(DESTDIR)$(SYSTEMDUNITDIR)/devcred-unseal.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/devcred-unseal.service
	$(SUBST_PATHS) packaging/inittab.in >$(DESTDIR)$(DEVCRED_DATADIR)/inittab
	chmod 0644 $(DESTDIR)$(DEVCRED_DATADIR)/inittab
	install -m 0644 packaging/etc-devcred/README packaging/etc-devcred/provisioning.conf.example \
		$(DESTDIR)$(SYSCONFDIR)/devcred/
	install -m 0644 packaging/etc-devcred/provisioning.d/README \
		packaging/etc-devcred/provisioning.d/device-certificates.xml.example \
		$(DESTDIR)$(SYSCONFDIR)/devcred/provisioning.d/
	[ -e $(DESTDIR)$(SYSCONFDIR)/devcred/factory-issuers ] || \
		install -m 0644 packaging/etc-devcred/factory-issuers $(DESTDIR)$(SYSCONFDIR)/devcred/
	[ -e $(DESTDIR)$(SYSCONFDIR)/devcred/seal.conf ] || \
		install -m 0644 packaging/etc-devcred/seal.conf $(DESTDIR)$(SYSCONFDIR)/devcred/
	[ -e $(DESTDIR)$(SYSCONFDIR)/devcred/key-access ] || \
		install -m 0644 packaging/etc-devcred/key-access $(DESTDIR)$(SYSCONFDIR)/devcred/
	[ -e $(DESTDIR)$(SYSCONFDIR)/default/devcredd ] || \
		install -m 0644 packaging/default-devcredd $(DESTDIR)$(SYSCONFDIR)/default/devcredd

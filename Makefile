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

.PHONY: all deps module check demo stress fuzz clean userspace-arm64 help

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

FUZZ_SECONDS ?= 60
fuzz:
	fuzz/run.sh $(FUZZ_SECONDS)

# Programs for the board, cross-built; scripts/build calls this after making
# sure the kernel tree (which supplies the kselftest harness) is unpacked.
# The daemon joins the board once its protocol code is there.
DAEMON_BINS := $(if $(wildcard daemon/credctl.c),$(BUILD)/arm64/bin/devcredd $(BUILD)/arm64/bin/credctl)

userspace-arm64: $(DAEMON_BINS)
	$(MAKE) -C selftests CC=$(CROSS)gcc OUTPUT=$(BUILD)/arm64/selftests KSFT=$(KSFT)

# devcredd and credctl for the board, over the one shared library (a static
# archive: each program takes only what it uses).
DAEMON_LIB := $(wildcard daemon/lib/*.c)
DAEMON_HDRS := $(wildcard daemon/lib/*.h) uapi/linux/devcred.h
ARM := $(BUILD)/arm64
ARM_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -D_FORTIFY_SOURCE=2 \
	      -fstack-protector-strong -Idaemon/lib -Iuapi
ARM_LIB_OBJS := $(patsubst daemon/lib/%.c,$(ARM)/lib/%.o,$(DAEMON_LIB))

$(ARM)/lib/%.o: daemon/lib/%.c $(DAEMON_HDRS)
	@mkdir -p $(@D)
	$(CROSS)gcc $(ARM_CFLAGS) -c -o $@ $<

$(ARM)/lib/libdevcred.a: $(ARM_LIB_OBJS)
	rm -f $@
	$(CROSS)ar rcs $@ $^

$(ARM)/bin/%: daemon/%.c $(ARM)/lib/libdevcred.a $(DAEMON_HDRS)
	@mkdir -p $(@D)
	$(CROSS)gcc $(ARM_CFLAGS) -o $@ $< $(ARM)/lib/libdevcred.a -lcrypto

clean:
	rm -rf $(BUILD)

help:
	@sed -n '3,15p' Makefile

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# devcred built into the kernel takes its module parameters from the kernel
# command line (devcred.P=V). With devcred.mtd= it binds to that MTD device
# and leaves the device tree binding alone, also when the device appears
# only after devcred initialised (a nandsim partition loaded by init).
set -u
. "$(dirname "$0")/../tap.sh"
. "$TOP/scripts/lib.sh"

tap_plan 2
tap_ok "devcred.mtd=devcred devcred.app_blob_max=32768: bound by name, limits applied" \
	vm --builtin --no-daemon --modparam "mtd=devcred app_blob_max=32768" -- sh -ec '
		grep -q "devcred.mtd=devcred devcred.app_blob_max=32768" /proc/cmdline
		[ "$(cat /sys/module/devcred/parameters/mtd)" = devcred ]
		[ "$(cat /sys/module/devcred/parameters/app_blob_max)" = 32768 ]
		# mtd= replaces the device tree binding: no platform driver.
		[ ! -e /sys/bus/platform/drivers/devcred ]
		dmesg | grep -q "devcred: mtd=devcred: binding that MTD device once it is registered"
		dmesg | grep -q "devcred: bound to mtd[0-9]* \"devcred\""
		# devcred_ioctl checks INFO reports app_blob_max and that a
		# 32768-byte application blob fits and one more byte does not.
		/usr/lib/devcred/selftests/run_selftests devcred_board devcred_ioctl >/tmp/ksft 2>&1 ||
			{ grep -E "^(not ok|#)" /tmp/ksft | grep -v "^# *ok" | tail -n 40; exit 1; }
		grep -E "^# (PASSED|SKIPPED|FAILED|Totals)" /tmp/ksft'

tap_ok "devcred.mtd= naming a nandsim partition: bound once init loads nandsim" \
	vm --builtin --no-daemon --nand "$DEVCRED_NAND" -- sh -ec '
		grep -q "devcred.mtd=\"NAND simulator partition 0\"" /proc/cmdline
		grep -q "^nandsim " /proc/modules
		dmesg | grep -q "devcred: bound to mtd[0-9]* \"NAND simulator partition 0\""
		DEVCRED_EXPECT_MTD="NAND simulator partition 0" \
			/usr/lib/devcred/selftests/run_selftests devcred_board'

tap_done

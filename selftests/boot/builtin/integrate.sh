#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/kernel-integrate, as a BSP layer would run it on a kernel tree:
# it adds the driver, its Kconfig and Makefile lines and the uAPI header,
# a second run changes nothing, a changed or stale file is put right, and a
# tree sharing files by hard links leaves the other tree alone. The builtin
# kernel built from such a tree has devcred in its image, and its
# headers_install exports linux/devcred.h. Runs on the host.
set -u
. "$(dirname "$0")/../tap.sh"
. "$TOP/scripts/lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
kb=$("$TOP/scripts/kernel" --builtin "$KERNEL" 2>"$tmp/kernel.log") ||
	{ sed 's/^/# /' "$tmp/kernel.log"; echo "Bail out! no builtin kernel for $KERNEL"; exit 1; }
src=$(readlink -f "$kb/source")
pristine=$DEVCRED_CACHE/linux-source-$KERNEL

# A kernel tree cut down to what integration reads and writes.
mini=$tmp/linux
mkdir -p "$mini/drivers/misc" "$mini/include/uapi/linux"
cp "$pristine/Makefile" "$mini/"
cp "$pristine/drivers/misc/Kconfig" "$pristine/drivers/misc/Makefile" "$mini/drivers/misc/"

# same_driver KDIR: KDIR holds exactly the project's driver sources and header.
same_driver() {
	local f
	for f in "$TOP"/driver/*.[ch] "$TOP/driver/Kbuild" "$TOP/driver/Kconfig"; do
		cmp -s "$f" "$1/drivers/misc/devcred/${f##*/}" || { echo "# ${f##*/} differs"; return 1; }
	done
	for f in "$1"/drivers/misc/devcred/*.[ch]; do
		[ -e "$TOP/driver/${f##*/}" ] || { echo "# stale ${f##*/}"; return 1; }
	done
	cmp -s "$TOP/uapi/linux/devcred.h" "$1/include/uapi/linux/devcred.h"
}

tree_sum() {
	(cd "$1" && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum)
}

first_run() {
	local before after
	"$TOP/scripts/kernel-integrate" "$mini" >"$tmp/run1" || return 1
	sed 's/^/# /' "$tmp/run1"
	same_driver "$mini" &&
	[ "$(grep -cx 'source "drivers/misc/devcred/Kconfig"' "$mini/drivers/misc/Kconfig")" -eq 1 ] &&
	# inside the menu: the line right before the last endmenu
	[ "$(grep -v '^$' "$mini/drivers/misc/Kconfig" | tail -n2 | head -n1)" = 'source "drivers/misc/devcred/Kconfig"' ] &&
	[ "$(grep -cE '^obj-\$\(CONFIG_DEVCRED\)[[:space:]]+\+= devcred/$' "$mini/drivers/misc/Makefile")" -eq 1 ] || return 1
	before=$(tree_sum "$mini")
	"$TOP/scripts/kernel-integrate" "$mini" >"$tmp/run2" || return 1
	sed 's/^/# /' "$tmp/run2"
	after=$(tree_sum "$mini")
	[ "$before" = "$after" ] && grep -q "already has this devcred" "$tmp/run2"
}

repair() {
	echo '/* local edit */' >>"$mini/drivers/misc/devcred/store.c"
	echo '/* gone from the project */' >"$mini/drivers/misc/devcred/old.c"
	"$TOP/scripts/kernel-integrate" "$mini" >"$tmp/run3" || return 1
	sed 's/^/# /' "$tmp/run3"
	[ "$(sort "$tmp/run3")" = "$(printf '%s\n' \
		'kernel-integrate: removed drivers/misc/devcred/old.c' \
		'kernel-integrate: updated drivers/misc/devcred/store.c')" ] &&
	same_driver "$mini"
}

hardlinked() {
	local before
	rm -rf "$tmp/orig" "$tmp/copy"
	mkdir -p "$tmp/orig/drivers/misc" "$tmp/orig/include/uapi/linux"
	cp "$pristine/Makefile" "$tmp/orig/"
	cp "$pristine/drivers/misc/Kconfig" "$pristine/drivers/misc/Makefile" "$tmp/orig/drivers/misc/"
	before=$(tree_sum "$tmp/orig")
	cp -al "$tmp/orig" "$tmp/copy"
	"$TOP/scripts/kernel-integrate" "$tmp/copy" >/dev/null &&
	[ "$(tree_sum "$tmp/orig")" = "$before" ] &&
	[ -f "$tmp/copy/drivers/misc/devcred/Kconfig" ]
}

refuses_non_tree() {
	mkdir -p "$tmp/empty"
	! "$TOP/scripts/kernel-integrate" "$tmp/empty" 2>"$tmp/err" &&
	grep -q "not a kernel source tree: Makefile is missing" "$tmp/err" &&
	[ -z "$(ls -A "$tmp/empty")" ]
}

# The kernel scripts/kernel --builtin built: devcred configured in, linked
# into the image, from the tree integration prepared.
in_image() {
	grep -qx CONFIG_DEVCRED=y "$kb/.config" &&
	grep -qx kernel/drivers/misc/devcred/devcred.ko "$kb/modules.builtin" &&
	[ -f "$kb/drivers/misc/devcred/built-in.a" ] &&
	same_driver "$src"
}

# The integrated tree's own headers_install (into a scratch folder), as a
# BSP's SDK would install the uAPI headers.
headers() {
	make -C "$src" O="$tmp/hdr-build" ARCH=arm64 INSTALL_HDR_PATH="$tmp/hdr" \
		headers_install >"$tmp/hdr.log" 2>&1 || { tail -n 20 "$tmp/hdr.log" | sed 's/^/# /'; return 1; }
	grep -E 'HDRINST.*linux/devcred\.h' "$tmp/hdr.log" | sed 's/^/# /'
	grep -qE 'HDRINST +usr/include/linux/devcred\.h$' "$tmp/hdr.log" &&
	[ -f "$tmp/hdr/include/linux/devcred.h" ] &&
	printf '#include <linux/devcred.h>\nint main(void) { return DEVCRED_IOC_INFO == 0; }\n' >"$tmp/use.c" &&
	${CROSS}gcc -nostdinc -isystem "$(${CROSS}gcc -print-file-name=include)" \
		-I "$tmp/hdr/include" -std=c90 -Wall -Werror -fsyntax-only "$tmp/use.c"
}

# The build folder names the tree it was built from, and refuses a make run
# in it: its objects were built with that tree mounted at the pristine
# tree's path (scripts/kernel), where a plain make would find no devcred.
folder_guarded() {
	[ "$src" = "$(readlink -f "$DEVCRED_CACHE/linux-source-$KERNEL-devcred")" ] ||
		{ echo "# $kb/source is $src"; return 1; }
	# kernelversion: a target that changes nothing, should the guard fail.
	if make -C "$kb" kernelversion >"$tmp/make.log" 2>&1; then
		echo "# make in $kb ran"
		return 1
	fi
	grep -q "is scripts/kernel's: build it with scripts/kernel --builtin $KERNEL" "$tmp/make.log" ||
		{ sed 's/^/# /' "$tmp/make.log"; return 1; }
}

tap_plan 7
tap_ok "kernel-integrate adds driver, header, Kconfig and Makefile lines; a second run changes nothing" first_run
tap_ok "kernel-integrate puts back an edited file and removes a stale one, touching nothing else" repair
tap_ok "kernel-integrate on a hard-linked copy leaves the original tree unchanged" hardlinked
tap_ok "kernel-integrate refuses a folder that is no kernel tree, writing nothing" refuses_non_tree
tap_ok "the builtin kernel has CONFIG_DEVCRED=y and devcred in its image, from an up-to-date tree" in_image
tap_ok "headers_install of the integrated tree exports linux/devcred.h, usable from C" headers
tap_ok "the builtin build folder's source is the integrated tree, and a make run in it is refused with the reason" folder_guarded
tap_done

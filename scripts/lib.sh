# SPDX-License-Identifier: GPL-2.0
# Shared by the scripts in this folder: where things are and how to build for
# the board. Sourced, not run.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Kernel trees and builds are large and slow to make: keep them outside the
# clone so that every clone and every CI run on this machine shares them.
if [ -z "${DEVCRED_CACHE:-}" ]; then
	if [ -w /var/cache ] || [ -w /var/cache/devcred ]; then
		DEVCRED_CACHE=/var/cache/devcred
	else
		DEVCRED_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/devcred
	fi
fi
export DEVCRED_CACHE
BUILD=${DEVCRED_BUILD:-$TOP/build}
CROSS=aarch64-linux-gnu-
KERNEL_DEFAULT=6.12
KERNELS="6.12 6.1"
# scripts/vm's options for a boot running the kselftests: two processors,
# since devcred_concurrency's threads are in the driver at the same time
# only so (the kernels have no preemption; on one processor it SKIPs).
SELFTESTS_VM=(--no-daemon --smp 2)
# The NAND board's chip (scripts/vm --nand): nandsim's 128 MiB SLC part, 2 KiB
# pages, 128 KiB blocks (ID 20 f1 00 15), devcred on a first partition of 32
# blocks.
DEVCRED_NAND="first_id_byte=0x20 second_id_byte=0xf1 third_id_byte=0x00 fourth_id_byte=0x15 parts=32"

die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

# Packages are checked on every build, but apt only runs when one is missing.
ensure_deps() {
	"$TOP/scripts/deps"
}

# hash_of FILE... -> a short content hash, for cache keys
hash_of() {
	cat "$@" | sha256sum | cut -c1-16
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What driver/record.c takes from the kernel, for building it in userspace
 * (fuzzing): fixed-width types, byte order helpers and crc32_le(), the
 * latter from zlib (zlib's crc32() is the kernel's crc32_le() with the
 * inversions folded in).
 */
#ifndef DEVCRED_RECORD_SHIM_H
#define DEVCRED_RECORD_SHIM_H

#include <assert.h>
#include <endian.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <zlib.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#define __packed __attribute__((packed))
#define cpu_to_le16(x) htole16(x)
#define cpu_to_le32(x) htole32(x)
#define cpu_to_le64(x) htole64(x)
#define le16_to_cpu(x) le16toh(x)
#define le32_to_cpu(x) le32toh(x)
#define le64_to_cpu(x) le64toh(x)

static inline u32 crc32_le(u32 crc, const void *p, size_t len)
{
	return ~(u32)crc32(~crc, p, len);
}

#endif /* DEVCRED_RECORD_SHIM_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * The board: devcred.ko bound to its partition and /dev/devcred in place.
 *
 * DEVCRED_EXPECT_MTD names the partition the store must be bound to
 * (default "devcred", the device tree partition; nandsim runs set it to the
 * nandsim partition's name).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <unistd.h>
#include <mtd/mtd-user.h>

#include "kselftest_harness.h"
#include "devcred_test.h"

TEST(devnode_is_char_device_mode_0600)
{
	struct stat st;

	ASSERT_EQ(0, stat("/dev/devcred", &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
}

/* The attach line in the kernel log matches the partition's sysfs geometry. */
TEST(bound_partition_geometry_logged)
{
	const char *want = getenv("DEVCRED_EXPECT_MTD");
	unsigned long long size, sys_size;
	unsigned int erase, write;
	char name[64], *line;
	int idx;

	if (!want)
		want = "devcred";
	line = klog_find("devcred: bound to mtd");
	ASSERT_NE(NULL, line) TH_LOG("no attach line in the kernel log");
	ASSERT_EQ(5, sscanf(line, "devcred: bound to mtd%d \"%63[^\"]\": size %llu, erase size %u, write size %u",
			    &idx, name, &size, &erase, &write)) TH_LOG("attach line: %s", line);
	free(line);

	EXPECT_STREQ(want, name);
	ASSERT_EQ(0, mtd_sysfs_ull(idx, "size", &sys_size));
	EXPECT_EQ(sys_size, size);
	ASSERT_EQ(0, mtd_sysfs_ull(idx, "erasesize", &sys_size));
	EXPECT_EQ(sys_size, erase);
	ASSERT_EQ(0, mtd_sysfs_ull(idx, "writesize", &sys_size));
	EXPECT_EQ(sys_size, write);
	/* The store needs at least two erase blocks to rotate records. */
	EXPECT_LE(2ULL * erase, size);
}

/* The DT's read-only neighbour cannot be opened for writing nor erased. */
TEST(readonly_partition_refuses_writes)
{
	struct erase_info_user ei = { 0 };
	unsigned long long flags;
	char dev[32];
	int idx, fd;

	idx = mtd_index_by_name("factory");
	if (idx < 0)
		SKIP(return, "no \"factory\" partition on this board");
	ASSERT_EQ(0, mtd_sysfs_ull(idx, "flags", &flags));
	EXPECT_EQ(0, flags & MTD_WRITEABLE);

	snprintf(dev, sizeof(dev), "/dev/mtd%d", idx);
	EXPECT_EQ(-1, open(dev, O_RDWR));
	EXPECT_EQ(EACCES, errno);

	fd = open(dev, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mtd_sysfs_ull(idx, "erasesize", &flags));
	ei.length = flags;
	EXPECT_EQ(-1, ioctl(fd, MEMERASE, &ei));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, write(fd, "x", 1));
	EXPECT_EQ(EBADF, errno);
	close(fd);
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * The flash partition disappears under an open descriptor: the physmap
 * driver is unbound, which removes its MTD devices. The store must let go
 * of the partition (MTD notifier) and fail with ENODEV from then on.
 * Destroys the board's flash for the rest of the boot: the boot tests run
 * it on a board of its own (it is not one of the run_selftests programs).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/devcred.h>

#include "kselftest_harness.h"
#include "devcred_test.h"

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	int ret;

	if (fd < 0)
		return -1;
	ret = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
	close(fd);
	return ret;
}

TEST(partition_removed_under_open_descriptor)
{
	struct devcred_slot_status st = { .size = sizeof(st) };
	struct devcred_info info = { .size = sizeof(info) };
	struct devcred_erase er = { .size = sizeof(er), .slot = DEVCRED_SLOT_APP1 };
	struct devcred_format fmt = { .size = sizeof(fmt) };
	int fd = open("/dev/devcred", O_RDWR);
	struct dc_cred cred;

	dc_make_cred(&cred, 61);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, DEVCRED_IOC_INFO, &info));
	EXPECT_EQ(0, info.flags & DEVCRED_INFO_GONE);

	ASSERT_EQ(0, write_str("/sys/bus/platform/drivers/physmap-flash/unbind", "0.flash"));
	EXPECT_GT(0, mtd_index_by_name("devcred"));

	ASSERT_EQ(0, ioctl(fd, DEVCRED_IOC_INFO, &info));
	EXPECT_TRUE(info.flags & DEVCRED_INFO_GONE);
	EXPECT_EQ(-1, ioctl(fd, DEVCRED_IOC_SLOT_STATUS, &st));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, ioctl(fd, DEVCRED_IOC_FORMAT, &fmt));
	EXPECT_EQ(ENODEV, errno);
	er.slot = DEVCRED_SLOT_PLATFORM1;
	EXPECT_EQ(-1, ioctl(fd, DEVCRED_IOC_ERASE, &er));
	EXPECT_EQ(ENODEV, errno);
	/* Application slots live in RAM: they keep working. */
	EXPECT_EQ(0, dc_put_cred(fd, DEVCRED_SLOT_APP1, &cred));
	EXPECT_EQ(0, dc_blob_is(fd, DEVCRED_IOC_READ_CERT, DEVCRED_SLOT_APP1, 0, cred.cert,
				cred.cert_len));
	st.slot = DEVCRED_SLOT_APP1;
	EXPECT_EQ(0, ioctl(fd, DEVCRED_IOC_SLOT_STATUS, &st));
	er.slot = DEVCRED_SLOT_APP1;
	EXPECT_EQ(0, ioctl(fd, DEVCRED_IOC_ERASE, &er));
	EXPECT_EQ(0, close(fd));
}

TEST_HARNESS_MAIN

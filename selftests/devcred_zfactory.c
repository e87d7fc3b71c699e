// SPDX-License-Identifier: GPL-2.0
/*
 * builtin's factory credential: written when builtin is empty or
 * self-signed, then replaced or erased only in factory mode (module
 * parameter factory_mode, off by default: EPERM).
 *
 * These tests leave builtin holding a factory credential when factory_mode
 * cannot be switched at run time, so this program is named to run last in
 * run_selftests (which runs the programs of one boot in alphabetical order).
 * When /sys/module/devcred/parameters/factory_mode is writable, tests switch
 * it on briefly to empty builtin, and the teardown puts back its value.
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

#define BUILTIN		DEVCRED_SLOT_BUILTIN

FIXTURE(factory) {
	int fd;
	char mode[8];		/* factory_mode at setup */
	bool can_switch;	/* factory_mode is writable */
	struct dc_cred a, b;
};

FIXTURE_SETUP(factory)
{
	self->fd = open(DEVCRED_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	self->can_switch = !dc_param_read("factory_mode", self->mode, sizeof(self->mode)) &&
			   !access(DC_PARAM_DIR "factory_mode", W_OK);
	dc_make_cred(&self->a, 901);
	dc_make_cred(&self->b, 902);
}

FIXTURE_TEARDOWN(factory)
{
	if (self->can_switch)
		EXPECT_EQ(0, dc_param_write("factory_mode", self->mode));
	close(self->fd);
}

static bool factory_mode(int fd)
{
	struct devcred_info info;

	return !dc_info(fd, &info) && (info.flags & DEVCRED_INFO_FACTORY_MODE);
}

static int set_factory_mode(FIXTURE_DATA(factory) *self, bool on)
{
	if (!self->can_switch || dc_param_write("factory_mode", on ? "1" : "0"))
		return -1;
	return factory_mode(self->fd) == on ? 0 : -1;
}

static int write_builtin(FIXTURE_DATA(factory) *self, __u32 origin, const struct dc_cred *c)
{
	return dc_write(self->fd, BUILTIN, origin, c->cert, c->cert_len, c->key, c->key_len);
}

/* Empties builtin, in factory mode if it must; leaves factory mode off. */
static int empty_builtin(FIXTURE_DATA(factory) *self)
{
	int ret;

	if (!dc_builtin_factory_locked(self->fd))
		return dc_erase(self->fd, BUILTIN) || (factory_mode(self->fd) &&
						       set_factory_mode(self, false));
	if (set_factory_mode(self, true))
		return -1;
	ret = dc_erase(self->fd, BUILTIN);
	return set_factory_mode(self, false) || ret;
}

/* builtin holds a factory credential (@self->a unless one was there), factory mode off. */
static int factory_builtin(FIXTURE_DATA(factory) *self)
{
	struct devcred_slot_status st;

	if (factory_mode(self->fd) && set_factory_mode(self, false))
		return -1;
	if (dc_status(self->fd, BUILTIN, &st))
		return -1;
	if (st.origin == DEVCRED_ORIGIN_FACTORY)
		return 0;
	return dc_erase(self->fd, BUILTIN) ||
	       write_builtin(self, DEVCRED_ORIGIN_FACTORY, &self->a);
}

TEST_F(factory, factory_mode_off_by_default)
{
	char mode[8];

	EXPECT_FALSE(factory_mode(self->fd));
	if (!dc_param_read("factory_mode", mode, sizeof(mode)))
		EXPECT_STREQ("N", mode);
}

TEST_F(factory, info_flag_follows_factory_mode)
{
	if (!self->can_switch)
		SKIP(return, "factory_mode cannot be switched at run time");
	ASSERT_EQ(0, dc_param_write("factory_mode", "1"));
	EXPECT_TRUE(factory_mode(self->fd));
	ASSERT_EQ(0, dc_param_write("factory_mode", "0"));
	EXPECT_FALSE(factory_mode(self->fd));
}

/* Switching factory mode at run time leaves a line in the kernel log. */
TEST_F(factory, factory_mode_change_logged)
{
	char *line;

	if (!self->can_switch)
		SKIP(return, "factory_mode cannot be switched at run time");
	ASSERT_EQ(0, dc_param_write("factory_mode", "1"));
	line = klog_find("devcred: factory mode ");
	ASSERT_NE(NULL, line) TH_LOG("switching factory mode on left no line");
	EXPECT_NE(NULL, strstr(line, "factory mode on")) TH_LOG("%s", line);
	free(line);
	ASSERT_EQ(0, dc_param_write("factory_mode", "0"));
	line = klog_find("devcred: factory mode ");
	ASSERT_NE(NULL, line);
	EXPECT_NE(NULL, strstr(line, "factory mode off")) TH_LOG("%s", line);
	free(line);
}

TEST_F(factory, factory_written_into_empty_builtin)
{
	struct devcred_slot_status st;

	if (empty_builtin(self))
		SKIP(return, "builtin holds a factory credential; factory_mode cannot be switched");
	ASSERT_EQ(0, write_builtin(self, DEVCRED_ORIGIN_FACTORY, &self->a));
	ASSERT_EQ(0, dc_status(self->fd, BUILTIN, &st));
	EXPECT_EQ(DEVCRED_SLOT_FLASH | DEVCRED_SLOT_PRESENT, st.flags);
	EXPECT_EQ(DEVCRED_ORIGIN_FACTORY, st.origin);
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_CERT, BUILTIN, 0,
				self->a.cert, self->a.cert_len));
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_KEY, BUILTIN, 0,
				self->a.key, self->a.key_len));
}

TEST_F(factory, factory_replaces_self_signed)
{
	struct devcred_slot_status st;

	if (empty_builtin(self))
		SKIP(return, "builtin holds a factory credential; factory_mode cannot be switched");
	ASSERT_EQ(0, write_builtin(self, DEVCRED_ORIGIN_SELF_SIGNED, &self->a));
	ASSERT_EQ(0, write_builtin(self, DEVCRED_ORIGIN_FACTORY, &self->b));
	ASSERT_EQ(0, dc_status(self->fd, BUILTIN, &st));
	EXPECT_EQ(DEVCRED_ORIGIN_FACTORY, st.origin);
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_CERT, BUILTIN, 0,
				self->b.cert, self->b.cert_len));
}

TEST_F(factory, self_signed_over_factory_eperm)
{
	struct dc_snapshot before;

	ASSERT_EQ(0, factory_builtin(self));
	ASSERT_EQ(0, dc_snapshot(self->fd, BUILTIN, &before));
	EXPECT_ERRNO(EPERM, write_builtin(self, DEVCRED_ORIGIN_SELF_SIGNED, &self->b));
	EXPECT_TRUE(dc_snapshot_unchanged(self->fd, &before));
	dc_snapshot_free(&before);
}

TEST_F(factory, factory_over_factory_eperm)
{
	struct dc_snapshot before;

	ASSERT_EQ(0, factory_builtin(self));
	ASSERT_EQ(0, dc_snapshot(self->fd, BUILTIN, &before));
	EXPECT_ERRNO(EPERM, write_builtin(self, DEVCRED_ORIGIN_FACTORY, &self->b));
	EXPECT_TRUE(dc_snapshot_unchanged(self->fd, &before));
	dc_snapshot_free(&before);
}

TEST_F(factory, erase_factory_eperm)
{
	struct dc_snapshot before;

	ASSERT_EQ(0, factory_builtin(self));
	ASSERT_EQ(0, dc_snapshot(self->fd, BUILTIN, &before));
	EXPECT_ERRNO(EPERM, dc_erase(self->fd, BUILTIN));
	EXPECT_TRUE(dc_snapshot_unchanged(self->fd, &before));
	dc_snapshot_free(&before);
}

/* The other slots are not affected by builtin's lock. */
TEST_F(factory, platform_slots_writable_with_factory_builtin)
{
	ASSERT_EQ(0, factory_builtin(self));
	EXPECT_EQ(0, dc_put_cred(self->fd, DEVCRED_SLOT_PLATFORM1, &self->b));
	EXPECT_EQ(0, dc_erase(self->fd, DEVCRED_SLOT_PLATFORM1));
}

TEST_F(factory, factory_mode_replaces_and_erases_factory)
{
	struct devcred_slot_status st;

	ASSERT_EQ(0, factory_builtin(self));
	if (set_factory_mode(self, true))
		SKIP(return, "factory_mode cannot be switched at run time");
	ASSERT_EQ(0, write_builtin(self, DEVCRED_ORIGIN_FACTORY, &self->b));
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_CERT, BUILTIN, 0,
				self->b.cert, self->b.cert_len));
	ASSERT_EQ(0, write_builtin(self, DEVCRED_ORIGIN_SELF_SIGNED, &self->a));
	ASSERT_EQ(0, dc_status(self->fd, BUILTIN, &st));
	EXPECT_EQ(DEVCRED_ORIGIN_SELF_SIGNED, st.origin);
	ASSERT_EQ(0, write_builtin(self, DEVCRED_ORIGIN_FACTORY, &self->b));
	ASSERT_EQ(0, dc_erase(self->fd, BUILTIN));
	ASSERT_EQ(0, dc_status(self->fd, BUILTIN, &st));
	EXPECT_EQ(0, st.flags & DEVCRED_SLOT_PRESENT);
	EXPECT_EQ(DEVCRED_ORIGIN_NONE, st.origin);
}

TEST_HARNESS_MAIN

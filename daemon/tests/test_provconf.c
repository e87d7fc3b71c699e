// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of provisioning.conf (common/provconf.c): every key, the
 * defaults, and one test per refusal, each naming its line. TAP on stdout.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/provconf.h"
#include "tap.h"

static struct dc_provconf pc;
static char why[512];

static int parse(const char *text)
{
	why[0] = '\0';
	return dc_provconf_parse(text, strlen(text), &pc, why, sizeof(why));
}

static void test_full(void)
{
	CHECK(parse("# comment\n\n server = https://10.0.2.2:8443/p/ \n"
		    "ca=/etc/devcred/prov-ca.pem\ninterval = 15m\r\n"
		    "upload = https://10.0.2.2:8443/up/") == 0);
	CHECK(!strcmp(pc.server, "https://10.0.2.2:8443/p/"));
	CHECK(!strcmp(pc.ca, "/etc/devcred/prov-ca.pem"));
	CHECK(!strcmp(pc.upload, "https://10.0.2.2:8443/up/"));
	CHECK(pc.interval_s == 900);
}

static void test_defaults(void)
{
	CHECK(parse("server = http://h/\n") == 0);
	CHECK(pc.interval_s == DC_PROVCONF_INTERVAL_DEFAULT);
	CHECK(!pc.ca[0] && !pc.upload[0]);
}

static void test_intervals(void)
{
	static const struct { const char *v; long s; } ok[] = {
		{ "0", 0 }, { "90", 90 }, { "90s", 90 }, { "2h", 7200 }, { "1d", 86400 },
		{ "366d", 366 * 86400L },
	};
	static const char *const refused[] = { "", "-1", "1x", "1hh", "h", "367d", "99999999999999999999" };
	char text[128];
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(text, sizeof(text), "server=http://h/\ninterval=%s\n", ok[i].v);
		CHECK(parse(text) == 0 && pc.interval_s == ok[i].s);
	}
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		snprintf(text, sizeof(text), "server=http://h/\ninterval=%s\n", refused[i]);
		CHECK(parse(text) == -EINVAL);
		CHECK_STR(why, "line 2: interval");
	}
}

static void test_refusals(void)
{
	char big[DC_PROVCONF_VALUE_MAX + 32];

	CHECK(parse("server=http://h/\nsevrer=x\n") == -EINVAL);
	CHECK_STR(why, "line 2: unknown key (server, ca, interval, upload): sevrer");
	CHECK(parse("server=http://h/\nserver=http://i/\n") == -EINVAL);
	CHECK_STR(why, "line 2: given twice: server");
	CHECK(parse("server=http://h/\ninterval=1\ninterval=2\n") == -EINVAL);
	CHECK_STR(why, "line 3: given twice: interval");
	CHECK(parse("server http://h/\n") == -EINVAL);
	CHECK_STR(why, "line 1: no '='");
	CHECK(parse("server=http://h/\nca=\n") == -EINVAL);
	CHECK_STR(why, "line 2: empty value: ca");
	CHECK(parse("server=http://h/\nca=prov-ca.pem\n") == -EINVAL);
	CHECK_STR(why, "line 2: not an absolute path: ca");
	CHECK(parse("ca=/x\n") == -EINVAL);
	CHECK_STR(why, "no server = URL");
	CHECK(dc_provconf_parse("server=http://h/\0x\n", 18, &pc, why, sizeof(why)) == -EINVAL);
	CHECK_STR(why, "line 1: NUL byte");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "server=", 7);
	CHECK(parse(big) == -EINVAL);
	CHECK_STR(why, "line 1: value too long: server");
}

static void test_load(void)
{
	char path[] = "/tmp/provconf-XXXXXX";
	int fd = mkstemp(path);
	const char text[] = "server = https://h/\n";

	CHECK(fd >= 0);
	CHECK(write(fd, text, sizeof(text) - 1) == sizeof(text) - 1);
	close(fd);
	CHECK(dc_provconf_load(path, &pc, why, sizeof(why)) == 0);
	CHECK(!strcmp(pc.server, "https://h/"));
	unlink(path);
	CHECK(dc_provconf_load(path, &pc, why, sizeof(why)) == -ENOENT);
	CHECK_STR(why, path);
}

static const struct tap_test tests[] = {
	TAP_TEST(test_full, "provconf: every key read, spaces and CR trimmed"),
	TAP_TEST(test_defaults, "provconf: interval 24h by default, ca and upload empty"),
	TAP_TEST(test_intervals, "provconf: intervals with units; malformed and over 366d refused"),
	TAP_TEST(test_refusals, "provconf: unknown, repeated, empty, missing server, relative ca, NUL, long lines refused with their line"),
	TAP_TEST(test_load, "provconf: read from a file; a missing file is ENOENT naming it"),
};

int main(void)
{
	return tap_run(tests, TAP_COUNT(tests));
}

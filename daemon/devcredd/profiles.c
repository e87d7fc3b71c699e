// SPDX-License-Identifier: GPL-2.0
/*
 * The TLS profile settings in effect: see profiles.h.
 *
 * The platform part's values are the store's (DEVCRED_IOC_GET_BINDINGS);
 * its file keeps their sources. Each part is a text file, one setting a
 * line, rewritten whole (a new file renamed over the old one, so that a
 * power cut leaves either):
 *
 *	cert PlatformProfile1 Platform1 /etc/devcred/provisioning.d/a.xml
 *	select provisioning PlatformProfile1 https://prov.example/b.cfg
 *	select-app syslog ApplicationProfile2 https://prov.example/c.cfg
 *
 * (select-app: sec.TLS.profileSelection.syslog, kept apart from the
 * device.* selection of syslog, which wins over it.)
 *
 * The source is the rest of the line, control characters replaced.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/io.h"
#include "common/log.h"
#include "common/names.h"
#include "lib/store/store.h"
#include "profiles.h"

#define DD_PROFILES_FILE	"profiles"
/*
 * In the run folder, hidden: programs list it for the operations' links,
 * and devcredd's clean-up of dot names takes directories and links only.
 */
#define DD_PROFILES_RUN_FILE	".profiles"
#define DD_PROFILES_HEADER	"# devcred TLS profile settings, written by devcredd\n"
/* The source of a platform setting the store holds and the file does not. */
#define DD_PROFILES_FROM_FLASH	"the flash record"

int dd_profiles_is_platform(const struct dd_profiles *p, int op, int i)
{
	if (!op)
		return i < CONFIG_PROFILE_APP1;
	return i < DEVCRED_OP_FLASH_ONLY_END && p->cur.select[i] >= 0 &&
	       p->cur.select[i] < CONFIG_PROFILE_APP1;
}

/* @src, control characters replaced and cut to fit, into @dst. */
static void dd_set_source(char *dst, const char *src)
{
	size_t i;

	snprintf(dst, DD_PROFILE_SOURCE_MAX, "%s", src);
	for (i = 0; dst[i]; i++)
		if ((unsigned char)dst[i] < 0x20 || dst[i] == 0x7f)
			dst[i] = '?';
}

void dd_profiles_take(struct dd_profiles *p, const struct config_plan *plan, const char *source)
{
	int i;

	p->cur = plan->profiles;
	for (i = 0; i < CONFIG_PROFILE_COUNT; i++)
		if (plan->profiles_set.cert_set & (1u << i))
			dd_set_source(p->cert_from[i], source);
	for (i = 0; i < DEVCRED_OP_COUNT; i++)
		if (plan->profiles_set.select_set & (1u << i))
			dd_set_source(p->select_from[i], source);
	if (plan->profiles_set.syslog_app_set)
		dd_set_source(p->syslog_app_from, source);
}

static int dd_name_index(const char *const *names, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcasecmp(names[i], name))
			return i;
	return -1;
}

/* One line of a part; 0, or -EINVAL when it is not one devcredd writes. */
static int dd_parse_line(struct dd_profiles *p, char *line, int platform)
{
	char kind[16], what[32], value[32];
	int n = 0, i, v;

	if (sscanf(line, "%15s %31s %31s %n", kind, what, value, &n) != 3 || !n || !line[n])
		return -EINVAL;
	if (!strcmp(kind, "cert")) {
		i = dd_name_index(config_profile_names, CONFIG_PROFILE_COUNT, what);
		v = dd_name_index(config_cert_names, DEVCRED_SLOT_COUNT, value);
		if (i < 0 || v < 0 || (i < CONFIG_PROFILE_APP1) != platform ||
		    (i < CONFIG_PROFILE_APP1 && v >= DEVCRED_SLOT_APP1))
			return -EINVAL;
		p->cur.cert[i] = v;
		dd_set_source(p->cert_from[i], line + n);
		return 0;
	}
	i = dd_name_index(dc_op_names, DEVCRED_OP_COUNT, what);
	v = dd_name_index(config_profile_names, CONFIG_PROFILE_COUNT, value);
	if (!strcmp(kind, "select-app") && i == DEVCRED_OP_SYSLOG && v >= 0 && !platform) {
		p->cur.syslog_app = v;
		dd_set_source(p->syslog_app_from, line + n);
		return 0;
	}
	if (strcmp(kind, "select") || i < 0 || v < 0)
		return -EINVAL;
	p->cur.select[i] = v;
	dd_set_source(p->select_from[i], line + n);
	return dd_profiles_is_platform(p, 1, i) == platform ? 0 : -EINVAL;
}

/* Reads part @path; a damaged one leaves what it set at the defaults. */
static void dd_load_part(struct dd_profiles *p, const char *path, int platform)
{
	struct dd_profiles before = *p;
	char line[DD_PROFILE_SOURCE_MAX + 128];
	unsigned int no = 0;
	FILE *f = fopen(path, "re");

	if (!f) {
		if (errno != ENOENT)
			dc_log(DC_LOG_ERR, "TLS profiles: %s: %s; the defaults hold", path,
			       strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		no++;
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || !line[0])
			continue;
		if (dd_parse_line(p, line, platform)) {
			dc_log(DC_LOG_ERR, "TLS profiles: %s: line %u is not a setting devcredd writes; the defaults hold for the %s profiles",
			       path, no, platform ? "platform" : "application");
			*p = before;
			break;
		}
	}
	fclose(f);
}

/*
 * Platform setting @value from the store into *@cur, where the file said
 * *@cur with source @from: the store decides the value, the file's source
 * stays only when it was about the same value.
 */
static void dd_take_stored(signed char *cur, char *from, int value)
{
	if (*cur != value)
		dd_set_source(from, value < 0 ? "" : DD_PROFILES_FROM_FLASH);
	*cur = (signed char)value;
}

/*
 * The platform part as the store keeps it (@b, from the store's
 * DEVCRED_IOC_GET_BINDINGS). A flash-only operation the store has no
 * platform selection for keeps the application part's selection, if any.
 */
void dd_profiles_from_store(struct dd_profiles *p, const struct devcred_bindings *b)
{
	int i, v;

	for (i = 0; i < DEVCRED_PLATFORM_PROFILES; i++)
		dd_take_stored(&p->cur.cert[CONFIG_PROFILE_PLATFORM1 + i],
			       p->cert_from[CONFIG_PROFILE_PLATFORM1 + i],
			       b->profile_cert[i] == DEVCRED_PROFILE_UNSET ? -1 :
			       b->profile_cert[i] - DEVCRED_PROFILE_SLOT(0));
	for (i = 0; i < DEVCRED_OP_FLASH_ONLY_END; i++) {
		v = b->profile_select[i];
		if (v == DEVCRED_PROFILE_UNSET && dd_profiles_is_platform(p, 1, i) == 0 &&
		    p->cur.select[i] >= 0)
			continue;	/* an application profile */
		dd_take_stored(&p->cur.select[i], p->select_from[i],
			       v == DEVCRED_PROFILE_UNSET ? -1 : CONFIG_PROFILE_PLATFORM1 + v - 1);
	}
}

static void dd_load_stored(struct dd_profiles *p, int fd)
{
	struct devcred_bindings b;
	int ret;

	ret = store_get_bindings(fd, &b);
	if (ret) {
		dc_log(DC_LOG_ERR, "TLS profiles: cannot read the platform profile settings from the store: %s; the defaults hold",
		       strerror(-ret));
		memset(&b, 0, sizeof(b));
	}
	dd_profiles_from_store(p, &b);
}

void dd_profiles_load(struct dd_profiles *p, int fd, const char *state_dir, const char *run_dir)
{
	int i;

	memset(p, 0, sizeof(*p));
	config_profiles_init(&p->cur);
	snprintf(p->platform_path, sizeof(p->platform_path), "%s/" DD_PROFILES_FILE, state_dir);
	snprintf(p->app_path, sizeof(p->app_path), "%s/" DD_PROFILES_RUN_FILE, run_dir);
	dd_load_part(p, p->platform_path, 1);
	dd_load_part(p, p->app_path, 0);
	dd_load_stored(p, fd);
	for (i = 0; i < CONFIG_PROFILE_COUNT; i++)
		if (p->cur.cert[i] >= 0)
			dc_log(DC_LOG_INFO, "TLS profile %s: deviceCert %s, from %s",
			       config_profile_names[i], config_cert_names[(int)p->cur.cert[i]],
			       p->cert_from[i]);
	for (i = 0; i < DEVCRED_OP_COUNT; i++)
		if (p->cur.select[i] >= 0)
			dc_log(DC_LOG_INFO, "TLS profile selection of %s: %s, from %s", dc_op_names[i],
			       config_profile_names[(int)p->cur.select[i]], p->select_from[i]);
	if (p->cur.syslog_app >= 0)
		dc_log(DC_LOG_INFO, "TLS profile selection of %s: %s, from %s", "syslog (application)",
		       config_profile_names[(int)p->cur.syslog_app], p->syslog_app_from);
}

void dd_profiles_platform(const struct dd_profiles *p, struct devcred_bindings *b)
{
	int i;

	b->mask |= DEVCRED_BIND_PROFILES;
	memset(b->profile_cert, DEVCRED_PROFILE_UNSET, sizeof(b->profile_cert));
	memset(b->profile_select, DEVCRED_PROFILE_UNSET, sizeof(b->profile_select));
	for (i = 0; i < DEVCRED_PLATFORM_PROFILES; i++)
		if (p->cur.cert[CONFIG_PROFILE_PLATFORM1 + i] >= 0)
			b->profile_cert[i] =
				DEVCRED_PROFILE_SLOT(p->cur.cert[CONFIG_PROFILE_PLATFORM1 + i]);
	for (i = 0; i < DEVCRED_OP_FLASH_ONLY_END; i++)
		if (dd_profiles_is_platform(p, 1, i))
			b->profile_select[i] = p->cur.select[i] - CONFIG_PROFILE_PLATFORM1 + 1;
}

/* The lines of one part, in @f. */
static void dd_write_part(const struct dd_profiles *p, FILE *f, int platform)
{
	int i;

	fputs(DD_PROFILES_HEADER, f);
	for (i = 0; i < CONFIG_PROFILE_COUNT; i++)
		if (p->cur.cert[i] >= 0 && dd_profiles_is_platform(p, 0, i) == platform)
			fprintf(f, "cert %s %s %s\n", config_profile_names[i],
				config_cert_names[(int)p->cur.cert[i]], p->cert_from[i]);
	for (i = 0; i < DEVCRED_OP_COUNT; i++)
		if (p->cur.select[i] >= 0 && dd_profiles_is_platform(p, 1, i) == platform)
			fprintf(f, "select %s %s %s\n", dc_op_names[i],
				config_profile_names[(int)p->cur.select[i]], p->select_from[i]);
	if (p->cur.syslog_app >= 0 && !platform)
		fprintf(f, "select-app syslog %s %s\n", config_profile_names[(int)p->cur.syslog_app],
			p->syslog_app_from);
}

/* Makes folder @dir and those above it that are missing (mkdir -p). */
static int dd_make_dirs(char *dir)
{
	char *slash = dir;

	if (!*dir)
		return 0;	/* the root */
	while ((slash = strchr(slash + 1, '/'))) {
		*slash = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST) {
			*slash = '/';
			return -errno;
		}
		*slash = '/';
	}
	return mkdir(dir, 0755) && errno != EEXIST ? -errno : 0;
}

/* Writes part @path whole: a new file, synced, renamed over the old one. */
static int dd_save_part(const struct dd_profiles *p, const char *path, int platform)
{
	char dir[PATH_MAX], *text = NULL;
	size_t len = 0;
	FILE *f;
	int ret;

	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	ret = dd_make_dirs(dir);
	if (ret)
		return ret;
	f = open_memstream(&text, &len);
	if (!f)
		return -errno;
	dd_write_part(p, f, platform);
	ret = fclose(f) ? -ENOMEM : dc_replace_file(path, text, len, 0644, (gid_t)-1);
	free(text);
	return ret;
}

int dd_profiles_save(const struct dd_profiles *p)
{
	const char *path[2] = { p->app_path, p->platform_path };
	int part, ret, first = 0;

	for (part = 0; part < 2; part++) {
		ret = dd_save_part(p, path[part], part);
		if (ret)
			dc_log(DC_LOG_ERR, "TLS profiles: cannot write %s: %s", path[part],
			       strerror(-ret));
		if (!first)
			first = ret;
	}
	return first;
}

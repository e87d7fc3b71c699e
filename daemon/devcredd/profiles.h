/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TLS profile settings in effect: what the configuration files applied
 * so far set (sec.TLS.profile.N.deviceCert, device.sec.TLS.profile.deviceCertN,
 * the profile selections), combined as one phone combines its files, with
 * the file each setting came from.
 *
 * They are kept as the credentials they name are: the platform part (the
 * platform profiles, and the selections of 802.1x, syslog and
 * provisioning of a platform profile) on flash with the bindings, in the
 * store's record, across reboots; the application part (the application
 * profiles, the other selections) in the run folder, until the next boot,
 * as the application slots are. The sources of the platform part are
 * information only: a file in the state folder keeps them, and a setting
 * the store holds without one says it came from the flash record.
 */
#ifndef DEVCRED_DD_PROFILES_H
#define DEVCRED_DD_PROFILES_H

#include <limits.h>

#include "lib/config/config.h"

struct devcred_bindings;

/* The platform part's folder: devcredd --state-dir, $DEVCRED_STATE_DIR. */
#define DC_STATE_DIR	"/var/lib/devcred"

/* The longest source (a file's path or URI) kept; longer ones are cut. */
#define DD_PROFILE_SOURCE_MAX	256

/**
 * struct dd_profiles - the settings and their sources
 * @cur: the settings
 * @cert_from: the file that set each profile's deviceCert ("" if none)
 * @select_from: the file that set each operation's selection ("" if none)
 * @syslog_app_from: the file that set the application's syslog selection
 * @platform_path: the file of the platform part
 * @app_path: the file of the application part
 */
struct dd_profiles {
	struct config_profiles cur;
	char cert_from[CONFIG_PROFILE_COUNT][DD_PROFILE_SOURCE_MAX];
	char select_from[DEVCRED_OP_COUNT][DD_PROFILE_SOURCE_MAX];
	char syslog_app_from[DD_PROFILE_SOURCE_MAX];
	char platform_path[PATH_MAX];
	char app_path[PATH_MAX];
};

/*
 * Reads the settings the store @fd keeps, and those kept in @state_dir (the
 * platform part's sources) and @run_dir (the application part). A missing
 * file is the defaults; a damaged one is logged and counts as the defaults.
 */
void dd_profiles_load(struct dd_profiles *p, int fd, const char *state_dir, const char *run_dir);

/* Takes the settings @plan leaves, those it set coming from @source. */
/*
 * Takes the platform part from the store's bindings @b: what the store
 * holds wins over what devcredd kept (a format empties it; another writer
 * may have changed it).
 */
void dd_profiles_from_store(struct dd_profiles *p, const struct devcred_bindings *b);

void dd_profiles_take(struct dd_profiles *p, const struct config_plan *plan, const char *source);

/*
 * Puts the platform part of @p into @b, for DEVCRED_IOC_SET_BINDINGS, which
 * keeps it on flash with the bindings in one record.
 */
void dd_profiles_platform(const struct dd_profiles *p, struct devcred_bindings *b);

/* Writes both parts' files; 0, or a negative errno (logged). */
int dd_profiles_save(const struct dd_profiles *p);

/* Whether setting @i of @p is of the platform part: @op 1 for a selection. */
int dd_profiles_is_platform(const struct dd_profiles *p, int op, int i);

#endif /* DEVCRED_DD_PROFILES_H */

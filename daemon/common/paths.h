/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where devcredd and credctl meet: the default places both programs use,
 * each with the environment variable or option that moves it.
 */
#ifndef DEVCRED_COMMON_PATHS_H
#define DEVCRED_COMMON_PATHS_H

/* devcredd's socket: devcredd --socket, credctl's $DEVCRED_SOCKET. */
#define DC_SOCKET_PATH	"/run/devcred/devcredd.sock"
/* The published credentials: devcredd --run-dir, $DEVCRED_RUN_DIR for both. */
#define DC_RUN_DIR	"/run/devcred"
/* The configuration folder: devcredd --confdir, credctl's $DEVCRED_CONFDIR. */
#define DC_CONFDIR	"/etc/devcred"
/* The provisioning files devcredd applies at start: devcredd --provision-dir. */
#define DC_PROVISION_DIR DC_CONFDIR "/provisioning.d"

/*
 * The web administrator's password hash (common/password.h), in the
 * configuration folder: written by 'credctl web-password', readable by the
 * group devcred-web runs in.
 */
#define DC_WEB_PASSWORD_FILE	"web-password"
#define DC_WEB_GROUP		"devcred-web"

#endif /* DEVCRED_COMMON_PATHS_H */

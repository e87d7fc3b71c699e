/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devcred-provision: the device fetches its configuration from the
 * provisioning server the way the phones do, at boot and then every
 * interval, and has devcredd apply it.
 *
 * One round: the master file <MAC>.cfg (000000000000.cfg when the server
 * has none), the files its CONFIG_FILES lists, all handed to devcredd's
 * apply-files in their order (the first one wins a parameter), all or
 * nothing. The state goes to $DEVCRED_RUN_DIR/provision.state
 * (common/provstate.h) for "credctl provision status".
 */
#ifndef DEVCRED_PROVISION_H
#define DEVCRED_PROVISION_H

#include <stddef.h>

#include "common/provconf.h"
#include "common/provstate.h"

/* A failed round is tried again after 5 s, then 10, 20, ... up to 5 min. */
#define PV_BACKOFF_FIRST_S	5
#define PV_BACKOFF_MAX_S	300

/* The master file of a device whose own the server does not have. */
#define PV_DEFAULT_MASTER	"000000000000.cfg"

/**
 * struct pv_opts - where things are
 * @confdir: holds provisioning.conf
 * @state_path: the state file
 */
struct pv_opts {
	const char *confdir;
	char state_path[4096];
};

/*
 * One round, its outcome in @st (attempt, result, file, reason, slot,
 * subject, master, files; server from the setting). Returns 0 when the
 * device reached what the server describes; -EAGAIN when it failed in a
 * way worth retrying (server, network, devcredd); -EINVAL when only a
 * change on the server or in provisioning.conf can help (still retried,
 * since the server may be fixed); -ENOENT when there is no
 * provisioning.conf (nothing to retry until asked). @conf gets the
 * setting read.
 */
int pv_round(const struct pv_opts *o, struct dc_provconf *conf, struct dc_provstate *st);

/* devcredd.c: what the service asks devcredd. 0 or -1, why in @why. */
int pv_mac(char mac[13], char *why, size_t whylen);
/* The credential bound to provisioning: its slot and subject. */
int pv_presented(char *slot, size_t slotlen, char *subject, size_t subjlen, char *why,
		 size_t whylen);
/*
 * apply-files with @count files (@data, @len) named @names, comma-separated;
 * 0, or -1 with devcredd's first reason (without "credctl: ") in @why.
 */
int pv_apply(const char *const *data, const size_t *len, size_t count, const char *names,
	     char *why, size_t whylen);

#endif /* DEVCRED_PROVISION_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Provisioning configuration files, in the phones' XML format: any element
 * may carry parameters as attributes, e.g.
 *
 *	<polycomConfig device.set="1"
 *		device.sec.TLS.customDeviceCert1.set="1"
 *		device.sec.TLS.customDeviceCert1.publicCert="-----BEGIN PKCS7-----..."
 *		sec.TLS.profileSelection.SIP="ApplicationProfile1"/>
 *
 * Reading a file is two steps: dc_config_parse() collects the parameters
 * devcred knows (everything else is ignored), dc_config_plan() checks their
 * values and says what the file changes. Nothing touches the store here.
 */
#ifndef DEVCRED_CONFIG_H
#define DEVCRED_CONFIG_H

#include <stddef.h>
#include <linux/devcred.h>

#include "common/output.h"

/* What a known parameter controls. */
enum dc_param_kind {
	DC_PK_DEVICE_SET,	/* device.set: gate of every device.* parameter */
	DC_PK_SET,		/* a device.* parameter's own .set gate */
	DC_PK_CERT,		/* certificate of slot @arg */
	DC_PK_KEY,		/* private key of slot @arg */
	DC_PK_PROFILE,		/* deviceCert of TLS profile @arg (enum dc_profile) */
	DC_PK_SELECT,		/* profile selection of operation @arg */
};

/*
 * TLS profiles: two platform profiles (device.sec.TLS.profile.deviceCertN)
 * and six application profiles (sec.TLS.profile.N.deviceCert).
 */
enum dc_profile {
	DC_PROFILE_PLATFORM1,
	DC_PROFILE_PLATFORM2,
	DC_PROFILE_APP1,
	DC_PROFILE_COUNT = DC_PROFILE_APP1 + 6,
};

/**
 * struct dc_param - one parameter devcred reads
 * @name: its name in the file
 * @kind: what it controls
 * @arg: slot, profile or operation, by @kind
 * @gate: name of the parameter's own .set gate, or NULL (not a device.*
 *	parameter, or a gate itself)
 * @device: takes effect only with device.set="1"
 * @secret: a private key: kept in secure memory, never logged
 */
struct dc_param {
	const char *name;
	enum dc_param_kind kind;
	int arg;
	const char *gate;
	int device;
	int secret;
};

extern const struct dc_param dc_params[];
extern const size_t dc_param_count;

/* The index of parameter @name in dc_params[], or -1. */
int dc_param_find(const char *name);

/**
 * struct dc_config - the known parameters of one file
 * @value: each parameter's value (NUL-terminated), NULL when absent; the
 *	values of secret parameters live in OpenSSL's secure heap
 * @len: their lengths
 * @ignored: how many attributes were not devcred's
 */
struct dc_config {
	char **value;
	size_t *len;
	size_t ignored;
};

/*
 * Parses the XML in @buf. Returns 0, or -EINVAL with the problems written
 * to @err (one "credctl: ..." line each; a parameter given twice, or not
 * well-formed XML with its line number), or -ENOMEM. dc_config_free() must
 * be called either way.
 */
int dc_config_parse(struct dc_config *cfg, const char *buf, size_t len, struct dc_out *err);
void dc_config_free(struct dc_config *cfg);

/**
 * struct dc_plan_cred - a credential the file installs
 * @cert: certificate text, PEM lines restored (XML turns them into spaces)
 * @cert_len: its length
 * @key: private key text, or NULL (the slot's pending key is used)
 * @key_len: its length
 * @cert_param: the parameter it came from, for messages
 * @key_param: likewise, NULL without a key
 */
struct dc_plan_cred {
	char *cert;
	size_t cert_len;
	char *key;
	size_t key_len;
	const char *cert_param;
	const char *key_param;
};

/**
 * struct dc_plan - what a file changes
 * @cred: per slot, the credential to install (cert NULL: none)
 * @bind_mask: bit N set when operation N is bound anew
 * @bind: the slot of each operation in @bind_mask
 * @bind_param: the parameter that decided each binding, for messages
 */
struct dc_plan {
	struct dc_plan_cred cred[DEVCRED_SLOT_COUNT];
	unsigned int bind_mask;
	unsigned char bind[DEVCRED_OP_COUNT];
	const char *bind_param[DEVCRED_OP_COUNT];
};

/*
 * Checks every value of @cfg and fills @plan. Returns 0, or -EINVAL with
 * every problem written to @err, naming its parameter; -ENOMEM.
 * dc_plan_free() must be called either way.
 */
int dc_config_plan(const struct dc_config *cfg, struct dc_plan *plan, struct dc_out *err);
void dc_plan_free(struct dc_plan *plan);

#endif /* DEVCRED_CONFIG_H */

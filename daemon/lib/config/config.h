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
 * Reading a file is two steps: config_parse() collects the parameters
 * devcred knows (everything else is ignored), config_plan_make() checks their
 * values and says what the file changes. Nothing touches the store here.
 */
#ifndef DEVCRED_CONFIG_H
#define DEVCRED_CONFIG_H

#include <stddef.h>
#include <linux/devcred.h>

#include "common/output.h"

/* What a known parameter controls. */
enum config_param_kind {
	CONFIG_PK_DEVICE_SET,	/* device.set: gate of every device.* parameter */
	CONFIG_PK_SET,		/* a device.* parameter's own .set gate */
	CONFIG_PK_CERT,		/* certificate of slot @arg */
	CONFIG_PK_KEY,		/* private key of slot @arg */
	CONFIG_PK_PROFILE,		/* deviceCert of TLS profile @arg (enum config_profile) */
	CONFIG_PK_SELECT,		/* profile selection of operation @arg */
};

/*
 * TLS profiles: two platform profiles (device.sec.TLS.profile.deviceCertN)
 * and six application profiles (sec.TLS.profile.N.deviceCert).
 */
enum config_profile {
	CONFIG_PROFILE_PLATFORM1,
	CONFIG_PROFILE_PLATFORM2,
	CONFIG_PROFILE_APP1,
	CONFIG_PROFILE_COUNT = CONFIG_PROFILE_APP1 + 6,
};

/**
 * struct config_param - one parameter devcred reads
 * @name: its name in the file
 * @kind: what it controls
 * @arg: slot, profile or operation, by @kind
 * @gate: name of the parameter's own .set gate, or NULL (not a device.*
 *	parameter, or a gate itself)
 * @device: takes effect only with device.set="1"
 * @secret: a private key: kept in secure memory, never logged
 */
struct config_param {
	const char *name;
	enum config_param_kind kind;
	int arg;
	const char *gate;
	int device;
	int secret;
};

extern const struct config_param config_params[];
extern const size_t config_param_count;

/* The index of parameter @name in config_params[], or -ENOENT. */
int config_param_find(const char *name);

/**
 * struct config_file - the known parameters of one file
 * @value: each parameter's value (NUL-terminated), NULL when absent; the
 *	values of secret parameters live in OpenSSL's secure heap
 * @len: their lengths
 * @ignored: how many attributes were not devcred's
 */
struct config_file {
	char **value;
	size_t *len;
	size_t ignored;
};

/*
 * Parses the XML in @buf. Returns 0, or -EINVAL with the problems written
 * to @err (one "credctl: ..." line each; a parameter given twice, or not
 * well-formed XML with its line number), or -ENOMEM. config_file_free() must
 * be called either way.
 */
int config_parse(struct config_file *cfg, const char *buf, size_t len, struct dc_out *err);
void config_file_free(struct config_file *cfg);

/**
 * struct config_plan_cred - a credential the file installs
 * @cert: certificate text, PEM lines restored (XML turns them into spaces)
 * @cert_len: its length
 * @key: private key text, or NULL (the slot's pending key is used)
 * @key_len: its length
 * @cert_param: the parameter it came from, for messages
 * @key_param: likewise, NULL without a key
 */
struct config_plan_cred {
	char *cert;
	size_t cert_len;
	char *key;
	size_t key_len;
	const char *cert_param;
	const char *key_param;
};

/* The names files give profiles and device certificates (slots). */
extern const char *const config_profile_names[CONFIG_PROFILE_COUNT];
extern const char *const config_cert_names[DEVCRED_SLOT_COUNT];

/**
 * struct config_profiles - TLS profile settings, as files give them
 * @cert: each profile's deviceCert (a slot), or -1 where none was given:
 *	then Builtin
 * @select: each operation's selected profile (enum config_profile), or -1
 *	where none was given: then PlatformProfile1; for syslog the device.*
 *	selection
 * @syslog_app: the application's syslog selection
 *	(sec.TLS.profileSelection.syslog), or -1: it counts only while the
 *	device.* one is not given, whichever file came first
 */
struct config_profiles {
	signed char cert[CONFIG_PROFILE_COUNT];
	signed char select[DEVCRED_OP_COUNT];
	signed char syslog_app;
};

/* The profile operation @op selects by the settings @p. */
int config_profiles_profile(const struct config_profiles *p, int op);

/* All settings not given: the defaults. */
void config_profiles_init(struct config_profiles *p);
/* The slot operation @op uses by the settings @p. */
int config_profiles_slot(const struct config_profiles *p, int op);

/**
 * struct config_plan - what a file changes
 * @cred: per slot, the credential to install (cert NULL: none)
 * @bind_mask: bit N set when operation N is bound anew
 * @bind: the slot of each operation in @bind_mask
 * @bind_param: the parameter that decided each binding, for messages
 * @notes: the parameters that do not take effect and why, a "credctl: ..."
 *	line each, for the user: a file can change nothing and still be valid
 * @profiles: the profile settings once the file is applied
 * @profiles_set: what the file set: bit N of @cert_set for profile N,
 *	of @select_set for operation N, @syslog_app_set the application's
 *	syslog selection
 */
struct config_plan {
	struct config_plan_cred cred[DEVCRED_SLOT_COUNT];
	unsigned int bind_mask;
	unsigned char bind[DEVCRED_OP_COUNT];
	const char *bind_param[DEVCRED_OP_COUNT];
	struct dc_out notes;
	struct config_profiles profiles;
	struct {
		unsigned int cert_set;
		unsigned int select_set;
		unsigned int syslog_app_set;
	} profiles_set;
};

/*
 * Checks every value of @cfg and fills @plan, resolving the file against
 * the defaults alone. Returns 0, or -EINVAL with every problem written to
 * @err, naming its parameter; -ENOMEM. config_plan_free() must be called
 * either way.
 */
int config_plan_make(const struct config_file *cfg, struct config_plan *plan, struct dc_out *err);

/*
 * As config_plan_make(), resolving the file against @prior, the profile
 * settings in effect (the files applied before), as one phone combines
 * its files: a setting of @cfg replaces the same setting of @prior, the
 * others stay; plan->profiles is the result and plan->profiles_set what
 * @cfg set. @prior NULL: the defaults alone.
 */
int config_plan_make_on(const struct config_file *cfg, const struct config_profiles *prior,
			struct config_plan *plan, struct dc_out *err);
void config_plan_free(struct config_plan *plan);

#endif /* DEVCRED_CONFIG_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration parameters devcred reads, as the phones name them.
 * device.* parameters are the platform's: each needs device.set="1" and its
 * own .set="1" to take effect. sec.* parameters are the application's.
 */
#include <errno.h>
#include <string.h>

#include "config.h"

#define GATE(n)			{ n, CONFIG_PK_SET, 0, NULL, 1, 0 }
#define DEV(n, k, a, g)		{ n, k, a, g, 1, 0 }
#define DEV_KEY(n, a, g)	{ n, CONFIG_PK_KEY, a, g, 1, 1 }
#define APP(n, k, a)		{ n, k, a, NULL, 0, 0 }
#define APP_KEY(n, a)		{ n, CONFIG_PK_KEY, a, NULL, 0, 1 }

#define PLATFORM_CERT(x, slot)						\
	GATE("device.sec.TLS.customDeviceCert" #x ".set"),		\
	DEV("device.sec.TLS.customDeviceCert" #x ".publicCert", CONFIG_PK_CERT, slot, \
	    "device.sec.TLS.customDeviceCert" #x ".set"),		\
	DEV_KEY("device.sec.TLS.customDeviceCert" #x ".privateKey", slot, \
		"device.sec.TLS.customDeviceCert" #x ".set")

#define APP_CERT(x)							\
	APP("sec.TLS.customDeviceCert." #x, CONFIG_PK_CERT, DEVCRED_SLOT_APP1 + (x) - 1), \
	APP_KEY("sec.TLS.customDeviceKey." #x, DEVCRED_SLOT_APP1 + (x) - 1)

#define PLATFORM_PROFILE(x)						\
	GATE("device.sec.TLS.profile.deviceCert" #x ".set"),		\
	DEV("device.sec.TLS.profile.deviceCert" #x, CONFIG_PK_PROFILE,	\
	    CONFIG_PROFILE_PLATFORM1 + (x) - 1, "device.sec.TLS.profile.deviceCert" #x ".set")

#define APP_PROFILE(x)							\
	APP("sec.TLS.profile." #x ".deviceCert", CONFIG_PK_PROFILE, CONFIG_PROFILE_APP1 + (x) - 1)

#define PLATFORM_SELECT(name, op)					\
	GATE("device.sec.TLS.profileSelection." name ".set"),		\
	DEV("device.sec.TLS.profileSelection." name, CONFIG_PK_SELECT, op,	\
	    "device.sec.TLS.profileSelection." name ".set")

#define APP_SELECT(name, op)						\
	APP("sec.TLS.profileSelection." name, CONFIG_PK_SELECT, op)

const struct config_param config_params[] = {
	{ "device.set", CONFIG_PK_DEVICE_SET, 0, NULL, 0, 0 },
	PLATFORM_CERT(1, DEVCRED_SLOT_PLATFORM1),
	PLATFORM_CERT(2, DEVCRED_SLOT_PLATFORM2),
	/* UCS 3.3.2 and later: the one platform certificate of older firmware */
	GATE("device.sec.SSL.customDeviceCert.set"),
	DEV("device.sec.SSL.customDeviceCert.publicCert", CONFIG_PK_CERT, DEVCRED_SLOT_PLATFORM1,
	    "device.sec.SSL.customDeviceCert.set"),
	DEV_KEY("device.sec.SSL.customDeviceCert.privateKey", DEVCRED_SLOT_PLATFORM1,
		"device.sec.SSL.customDeviceCert.set"),
	APP_CERT(1), APP_CERT(2), APP_CERT(3), APP_CERT(4), APP_CERT(5), APP_CERT(6),
	PLATFORM_PROFILE(1),
	PLATFORM_PROFILE(2),
	APP_PROFILE(1), APP_PROFILE(2), APP_PROFILE(3),
	APP_PROFILE(4), APP_PROFILE(5), APP_PROFILE(6),
	PLATFORM_SELECT("dot1x", DEVCRED_OP_8021X),
	PLATFORM_SELECT("provisioning", DEVCRED_OP_PROVISIONING),
	PLATFORM_SELECT("syslog", DEVCRED_OP_SYSLOG),
	APP_SELECT("SIP", DEVCRED_OP_SIP),
	APP_SELECT("browser", DEVCRED_OP_BROWSER),
	APP_SELECT("LDAP", DEVCRED_OP_LDAP),
	APP_SELECT("XMPP", DEVCRED_OP_PRESENCE),
	APP_SELECT("syslog", DEVCRED_OP_SYSLOG),
};

const size_t config_param_count = sizeof(config_params) / sizeof(config_params[0]);

int config_param_find(const char *name)
{
	size_t i;

	for (i = 0; i < config_param_count; i++)
		if (!strcmp(config_params[i].name, name))
			return i;
	return -ENOENT;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * devcred-unseal: run once at boot, after the module and before devcredd
 * (see unseal.h). Exit 0 when the store is as it should be (KEK loaded,
 * newly sealed, nothing to do, or no TPM); 1 after a failure, logged with
 * its step; 2 for bad usage. devcredd starts either way: the slots whose
 * keys stay sealed say so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/paths.h"
#include "lib/store/store.h"
#include "unseal.h"

struct us_opts {
	char conf[US_PATH_MAX + 32];
	const char *device;
	int factory;
};

void us_failed(const char *step, int err, const char *fix)
{
	const char *name = strerrorname_np(err);

	dc_log(DC_LOG_ERR, "%s failed (%s): %s", step, name ? name : "?",
	       fix ? fix : strerror(err));
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: devcred-unseal [OPTIONS]\n\n"
		"Gives the devcred store its key-encryption key: unseals the stored one,\n"
		"or on a store in clear with a TPM 2.0 makes one (the keys are then sealed).\n\n"
		"  -c, --config FILE    the trusted key's options (default\n"
		"                       $DEVCRED_CONFDIR/" US_CONF_FILE " or " DC_CONFDIR "/" US_CONF_FILE ")\n"
		"  -d, --device PATH    the store (default " STORE_DEVICE_PATH ")\n"
		"      --factory        in factory mode, a new key-encryption key replaces\n"
		"                       one this TPM cannot unseal (its slots are emptied)\n"
		"  -v, --verbose LEVEL  0 errors .. 3 debug (default 2)\n"
		"      --syslog         log to syslog instead of standard error\n"
		"  -h, --help           this help\n"
		"      --version        the version\n");
}

static int parse_argv(struct us_opts *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "device", required_argument, NULL, 'd' },
		{ "factory", no_argument, NULL, 'F' },
		{ "verbose", required_argument, NULL, 'v' },
		{ "syslog", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	const char *confdir = getenv("DEVCRED_CONFDIR"), *conf = NULL;
	int c, level = DC_LOG_INFO, use_syslog = 0;
	char *end;

	o->device = STORE_DEVICE_PATH;
	while ((c = getopt_long(argc, argv, "c:d:v:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': conf = optarg; break;
		case 'd': o->device = optarg; break;
		case 'F': o->factory = 1; break;
		case 'S': use_syslog = 1; break;
		case 'v':
			level = strtol(optarg, &end, 10);
			if (*end || level < 0 || level > 3) {
				fprintf(stderr, "devcred-unseal: --verbose takes 0 to 3, not '%s'\n",
					optarg);
				return -1;
			}
			break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("devcred-unseal (devcred) %s\n", DEVCRED_VERSION); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return -1;
	}
	if ((size_t)(conf ? snprintf(o->conf, sizeof(o->conf), "%s", conf) :
		     snprintf(o->conf, sizeof(o->conf), "%s/%s",
			      confdir && *confdir ? confdir : DC_CONFDIR, US_CONF_FILE)) >=
	    sizeof(o->conf)) {
		fprintf(stderr, "devcred-unseal: the configuration file's path is too long\n");
		return -1;
	}
	dc_log_setup(level, use_syslog);
	return 0;
}

/* What an errno of DEVCRED_IOC_LOAD_KEK means. */
static const char *load_kek_fix(int err)
{
	switch (err) {
	case ENOKEY:
		return "the kernel did not find " DEVCRED_KEK_DESC " in this process's keyrings";
	case EKEYREJECTED:
		return "these keys are not the ones the store was sealed with";
	case EEXIST:
		return "the store has a key-encryption key already (sealed meanwhile?): run devcred-unseal again";
	case EOPNOTSUPP:
		return "the kernel lacks trusted or encrypted keys, or gcm(aes)";
	case EPERM:
		return "it needs CAP_SYS_ADMIN: run devcred-unseal as root";
	case EUCLEAN:
		return "the store holds no valid record (credctl format)";
	case EIO:
		return "the flash failed (the kernel log says where); the store kept its previous state";
	case EROFS:
		return "the credential partition is read-only";
	case ENODEV:
		return "the credential partition is gone";
	default:
		return NULL;
	}
}

static int load_kek(int fd, unsigned int flags)
{
	int ret = store_load_kek(fd, flags);

	if (ret)
		us_failed(flags & DEVCRED_KEK_NEW ? "DEVCRED_IOC_LOAD_KEK (a new key)" :
			  "DEVCRED_IOC_LOAD_KEK", -ret, load_kek_fix(-ret));
	return ret;
}

/* The store is sealed: its blobs through the TPM, then the ioctl. */
static int us_unseal(int fd, const struct us_conf *c, struct us_keys *k)
{
	struct store_blob kmk = { 0 }, kek = { 0 };
	int ret = store_read_seal(fd, DEVCRED_SEAL_KMK, &kmk);

	if (ret)
		us_failed("DEVCRED_IOC_READ_SEAL (the trusted key's blob)", -ret, NULL);
	if (!ret) {
		ret = store_read_seal(fd, DEVCRED_SEAL_KEK, &kek);
		if (ret)
			us_failed("DEVCRED_IOC_READ_SEAL (the encrypted key's blob)", -ret, NULL);
	}
	if (!ret)
		ret = us_keys_load(k, c, kmk.data, kek.data);
	if (!ret)
		ret = load_kek(fd, 0);
	if (!ret)
		dc_log(DC_LOG_INFO, "the key-encryption key is loaded: the sealed private keys are open");
	store_blob_free(&kmk);
	store_blob_free(&kek);
	return ret;
}

/* New keys sealed by the TPM; the store adopts them (or, in factory mode, replaces its own). */
static int us_create(int fd, const struct us_conf *c, struct us_keys *k)
{
	int ret = us_keys_new(k, c);

	if (!ret)
		ret = load_kek(fd, DEVCRED_KEK_NEW);
	return ret;
}

/* --factory: the stored key cannot be loaded; a new one replaces it. */
static int us_replace(int fd, const struct devcred_info *info, const struct us_conf *c,
		      struct us_keys *k)
{
	int ret;

	if (!(info->flags & DEVCRED_INFO_FACTORY_MODE)) {
		dc_log(DC_LOG_ERR, "--factory: the store is not in factory mode (devcred module parameter factory_mode=1): its key-encryption key stays");
		return -EPERM;
	}
	us_keys_revoke(k);
	ret = us_create(fd, c, k);
	if (!ret)
		dc_log(DC_LOG_WARN, "factory: a new key-encryption key replaced the one that could not be loaded; the slots whose keys it sealed are empty");
	return ret;
}

static int us_run(const struct us_opts *o, int fd, const struct devcred_info *info,
		  const struct us_conf *c)
{
	struct us_keys k = { 0 };
	int ret;

	if (info->flags & DEVCRED_INFO_KEK_LOADED) {
		dc_log(DC_LOG_INFO, "the key-encryption key is loaded already: nothing to do");
		return 0;
	}
	if (info->flags & (DEVCRED_INFO_GONE | DEVCRED_INFO_READONLY)) {
		dc_log(DC_LOG_INFO, "the credential partition is %s: nothing to do",
		       info->flags & DEVCRED_INFO_GONE ? "gone" : "read-only");
		return 0;
	}
	if (info->flags & DEVCRED_INFO_DAMAGED) {
		dc_log(DC_LOG_WARN, "the store holds no valid record: nothing to seal until it is formatted (credctl format); run devcred-unseal again then");
		return 0;
	}
	if ((info->flags & DEVCRED_INFO_KEYS_CLEAR) && !us_tpm2_present(c->tpm)) {
		dc_log(DC_LOG_WARN, "no TPM: private keys stay unencrypted on flash");
		if (info->flags & DEVCRED_INFO_SEALING_REQUIRED)
			dc_log(DC_LOG_WARN, "sealing is required: the store refuses private keys until a key-encryption key is loaded");
		return 0;
	}
	ret = us_keyring_new();
	if (ret)
		return ret;
	if (info->flags & DEVCRED_INFO_KEYS_CLEAR) {
		ret = us_create(fd, c, &k);
		if (!ret)
			dc_log(DC_LOG_INFO, "a new key-encryption key, sealed by the TPM at %s: private keys are stored sealed from now on",
			       c->tpm);
	} else {
		ret = us_unseal(fd, c, &k);
		if (ret && o->factory)
			ret = us_replace(fd, info, c, &k);
	}
	us_keys_revoke(&k);
	return ret;
}

/* What a failure to open the store means. */
static const char *open_fix(int err)
{
	switch (err) {
	case ENOENT:
		return "the devcred module is not loaded (modprobe devcred)";
	case EACCES:
	case EPERM:
		return "run devcred-unseal as root";
	default:
		return NULL;
	}
}

int main(int argc, char **argv)
{
	struct devcred_info info;
	struct us_opts o = { 0 };
	struct us_conf c;
	char why[512], step[US_PATH_MAX + 16];
	int fd, ret;

	dc_log_set_name("devcred-unseal");
	if (parse_argv(&o, argc, argv))
		return 2;
	ret = us_conf_load(o.conf, &c, why, sizeof(why));
	if (ret) {
		dc_log(DC_LOG_ERR, "configuration: %s", why);
		return 1;
	}
	fd = store_open(o.device, O_RDWR);
	if (fd < 0) {
		snprintf(step, sizeof(step), "open %s", o.device);
		us_failed(step, -fd, open_fix(-fd));
		return 1;
	}
	ret = store_info(fd, &info);
	if (ret)
		us_failed("DEVCRED_IOC_INFO", -ret, NULL);
	else
		ret = us_run(&o, fd, &info, &c);
	close(fd);
	return ret ? 1 : 0;
}

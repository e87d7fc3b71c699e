// SPDX-License-Identifier: GPL-2.0
/*
 * devcredd: owns /dev/devcred and answers credctl over a UNIX socket.
 *
 * At start it logs what the store holds and, when the built-in slot is
 * empty, makes the self-signed certificate for the device's MAC address,
 * applies the provisioning folder and publishes the credentials; then it
 * serves clients (server.c). Anyone may connect; the peer's credentials
 * decide who may change the store: root, or members of the admin group
 * (-g), and who may sign with which key (CONFDIR/key-access).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "common/log.h"
#include "common/paths.h"
#include "common/proto.h"
#include "lib/store/store.h"
#include "apply_dir.h"
#include "builtin.h"
#include "commands.h"
#include "hardening.h"
#include "key_access.h"
#include "listen.h"
#include "mac.h"
#include "notify.h"
#include "profiles.h"
#include "publish.h"
#include "server.h"

struct devcredd {
	const char *socket_path;
	const char *confdir;
	const char *device;
	const char *group;
	const char *iface;
	char mac[13];		/* "" when unknown */
	const char *provision_dir;
	const char *key_group;
	const char *state_dir;
	struct dd_profiles profiles;
	struct dd_admins admins;
	struct dd_publisher pub;
	int fd;
	struct dd_trust trust;
	struct dd_status_cache status_cache;
	char access_path[4096];
	struct dd_key_access access;
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: devcredd [OPTIONS]\n\n"
		"  -s, --socket PATH    socket to serve, at most 103 bytes (default " DC_SOCKET_PATH ")\n"
		"  -c, --confdir DIR    vendor trust: DIR/vendor-ca.pem, DIR/factory-issuers;\n"
		"                       who may sign with which key: DIR/key-access\n"
		"                       (default " DC_CONFDIR ")\n"
		"  -d, --device PATH    the store (default " STORE_DEVICE_PATH ")\n"
		"  -g, --group NAME     members may change the store, as root may\n"
		"  -i, --interface IF   MAC address for the self-signed certificate\n"
		"                       (default: the first Ethernet interface)\n"
		"  -p, --provision-dir DIR  apply DIR/*.xml at start\n"
		"                       (default " DC_PROVISION_DIR ")\n"
		"  -r, --run-dir DIR    publish each operation's credential in DIR/OPERATION\n"
		"                       (default $DEVCRED_RUN_DIR or " DC_RUN_DIR ")\n"
		"  -D, --state-dir DIR  keep the platform TLS profile settings in DIR\n"
		"                       (default $DEVCRED_STATE_DIR or " DC_STATE_DIR ")\n"
		"  -k, --key-group NAME published key.pem files readable by group NAME\n"
		"                       (mode 0640; default root only, 0600)\n"
		"  -K, --no-key-files   publish no key.pem: programs use the keys through\n"
		"                       the devcred provider (key.uri names the URI)\n"
		"  -v, --verbose LEVEL  0 errors .. 3 certificate details (default 2)\n"
		"      --syslog         log to syslog instead of standard error\n"
		"  -h, --help           this help\n"
		"      --version        devcredd's version and the OpenSSL it runs on\n");
}

static int parse_argv(struct devcredd *d, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "confdir", required_argument, NULL, 'c' },
		{ "device", required_argument, NULL, 'd' },
		{ "group", required_argument, NULL, 'g' },
		{ "interface", required_argument, NULL, 'i' },
		{ "provision-dir", required_argument, NULL, 'p' },
		{ "run-dir", required_argument, NULL, 'r' },
		{ "state-dir", required_argument, NULL, 'D' },
		{ "key-group", required_argument, NULL, 'k' },
		{ "no-key-files", no_argument, NULL, 'K' },
		{ "verbose", required_argument, NULL, 'v' },
		{ "syslog", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	int c, level = DC_LOG_INFO, use_syslog = 0;
	char *end;

	while ((c = getopt_long(argc, argv, "s:c:d:g:i:p:r:D:k:Kv:h", opts, NULL)) != -1) {
		switch (c) {
		case 's': d->socket_path = optarg; break;
		case 'c': d->confdir = optarg; break;
		case 'd': d->device = optarg; break;
		case 'g': d->group = optarg; break;
		case 'i': d->iface = optarg; break;
		case 'p': d->provision_dir = optarg; break;
		case 'r': d->pub.dir = optarg; break;
		case 'D': d->state_dir = optarg; break;
		case 'k': d->key_group = optarg; break;
		case 'K': d->pub.no_key_files = 1; break;
		case 'S': use_syslog = 1; break;
		case 'v':
			level = strtol(optarg, &end, 10);
			if (*end || level < 0 || level > 3) {
				fprintf(stderr, "devcredd: --verbose takes 0 to 3, not '%s'\n", optarg);
				return -1;
			}
			break;
		case 'h': usage(stdout); exit(0);
		case 'V':
			printf("devcredd (devcred) %s, protocol %u, %s\n", DEVCRED_VERSION,
			       DC_PROTO_VERSION, OpenSSL_version(OPENSSL_VERSION));
			exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return -1;
	}
	if (d->key_group && d->pub.no_key_files) {
		fprintf(stderr, "devcredd: --key-group names who reads key files, and --no-key-files publishes none: give one of them\n");
		return -1;
	}
	dc_log_setup(level, use_syslog);
	return 0;
}

/* Applies the provisioning directory, as root would with credctl apply. */
static void provision(struct devcredd *d)
{
	struct dd_ctx ctx = {
		.fd = d->fd, .trust = &d->trust, .admin = 1,
		.admin_group = d->group ? d->group : "", .now = time(NULL),
		.profiles = &d->profiles,
	};

	dd_apply_dir(&ctx, d->provision_dir);
	dc_out_free(&ctx.out);
	dc_out_free(&ctx.err);
}

static int setup(struct devcredd *d)
{
	char mac[13];
	struct group *gr;

	if (d->group) {
		gr = getgrnam(d->group);
		if (!gr) {
			dc_log(DC_LOG_ERR, "--group %s: no such group", d->group);
			return -1;
		}
		d->admins.gid = gr->gr_gid;
		d->admins.set = 1;
	}
	d->pub.key_gid = (gid_t)-1;
	if (d->key_group) {
		gr = getgrnam(d->key_group);
		if (!gr) {
			dc_log(DC_LOG_ERR, "--key-group %s: no such group", d->key_group);
			return -1;
		}
		d->pub.key_gid = gr->gr_gid;
	}
	d->fd = store_open(d->device, O_RDWR);
	if (d->fd < 0) {
		dc_log(DC_LOG_ERR, "%s: %s", d->device ? d->device : STORE_DEVICE_PATH,
		       strerror(-d->fd));
		return -1;
	}
	if (dd_trust_load(&d->trust, d->confdir))
		return -1;
	snprintf(d->access_path, sizeof(d->access_path), "%s/key-access", d->confdir);
	d->access.path = d->access_path;
	dd_key_access_load(&d->access);
	dd_profiles_load(&d->profiles, d->fd, d->state_dir, d->pub.dir);
	dd_log_store(d->fd);
	if (!dd_mac_address(d->iface, mac)) {
		dd_ensure_builtin(d->fd, mac);
		memcpy(d->mac, mac, sizeof(d->mac));
	}
	else
		dc_log(DC_LOG_ERR, "no MAC address (interface %s): cannot make a self-signed certificate",
		       d->iface ? d->iface : "auto");
	provision(d);
	dd_publish_init(&d->pub, d->fd);
	return 0;
}

/*
 * Room for every connection devcredd accepts: the soft limit on open
 * descriptors raised towards the hard one.
 */
static void raise_fd_limit(void)
{
	struct rlimit rl;
	rlim_t want = DD_CLIENTS_MAX + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
	setrlimit(RLIMIT_NOFILE, &rl);
}

int main(int argc, char **argv)
{
	struct devcredd d = {
		.socket_path = DC_SOCKET_PATH, .confdir = DC_CONFDIR,
		.provision_dir = DC_PROVISION_DIR,
		.pub.dir = getenv("DEVCRED_RUN_DIR") ? getenv("DEVCRED_RUN_DIR") : DC_RUN_DIR,
		.state_dir = getenv("DEVCRED_STATE_DIR") ? getenv("DEVCRED_STATE_DIR") : DC_STATE_DIR,
	};
	struct dd_ctx base;
	struct dd_server_opts opts;
	int lfd, lock, ret;
	long holder;

	if (parse_argv(&d, argc, argv))
		return 2;
	if (dd_harden())
		return 1;
	/* The folders and files devcredd makes get the modes it gives them. */
	umask(022);
	signal(SIGPIPE, SIG_IGN);
	raise_fd_limit();
	lock = dd_lock_socket_path(d.socket_path, &holder);
	if (lock == -ENAMETOOLONG) {
		dc_log(DC_LOG_ERR, "%s: the socket path is %zu bytes, at most %zu (it is bound as PATH.new first, and a Unix socket's path holds %zu)",
		       d.socket_path, strlen(d.socket_path), DD_SOCKET_PATH_MAX, DD_SOCKET_PATH_MAX + 4);
		return 1;
	}
	if (lock == -EADDRINUSE) {
		if (holder > 0)
			dc_log(DC_LOG_ERR, "%s: another devcredd (pid %ld) serves this socket: stop it first, or give another path (-s)",
			       d.socket_path, holder);
		else
			dc_log(DC_LOG_ERR, "%s: another devcredd serves this socket: stop it first, or give another path (-s)",
			       d.socket_path);
		return 1;
	}
	if (lock == -EPERM) {
		dc_log(DC_LOG_ERR, "%s.lock: not devcredd's (it must be a regular file of this user's, mode 0600): remove it",
		       d.socket_path);
		return 1;
	}
	if (lock < 0) {
		dc_log(DC_LOG_ERR, "%s.lock: %s", d.socket_path, strerror(-lock));
		return 1;
	}
	if (setup(&d))
		return 1;
	lfd = dd_listen_on(d.socket_path);
	if (lfd < 0) {
		dc_log(DC_LOG_ERR, "%s: %s", d.socket_path, strerror(-lfd));
		return 1;
	}
	base = (struct dd_ctx){
		.fd = d.fd, .trust = &d.trust, .admin_group = d.group ? d.group : "",
		.mac = d.mac, .pub = &d.pub, .status_cache = &d.status_cache,
		.access = &d.access, .peer_fd = -1, .profiles = &d.profiles,
	};
	opts = (struct dd_server_opts){ .listen_fd = lfd, .base = &base, .admins = d.admins,
					.access = &d.access };
	dc_log(DC_LOG_INFO, "serving %s", d.socket_path);
	/* Type=notify: the socket takes connections and the files are there. */
	dd_notify("READY=1");
	ret = dd_serve(&opts);
	dd_notify("STOPPING=1");
	dd_publish_stop(&d.pub);
	unlink(d.socket_path);
	close(lfd);
	dd_trust_free(&d.trust);
	dd_key_access_free(&d.access);
	close(d.fd);
	/* Last: until the socket is gone, no other devcredd may start on its path. */
	close(lock);
	return ret ? 1 : 0;
}

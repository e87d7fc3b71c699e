// SPDX-License-Identifier: GPL-2.0
/*
 * devcredd: owns /dev/devcred and answers credctl over a UNIX socket.
 *
 * At start it logs what the store holds and, when the built-in slot is
 * empty, makes the self-signed certificate for the device's MAC address.
 * Then it serves one request at a time, which serializes every change.
 * Anyone may connect; SO_PEERCRED decides who may change the store: root,
 * or members of the admin group (-g).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <fcntl.h>
#include <openssl/crypto.h>

#include "common/frame.h"
#include "common/io.h"
#include "common/log.h"
#include "common/paths.h"
#include "common/proto.h"
#include "lib/store/store.h"
#include "apply_dir.h"
#include "builtin.h"
#include "commands.h"
#include "mac.h"
#include "publish.h"
#include "verbs.h"

#define REQUEST_TIMEOUT_MS 5000
/* How often changes made around devcredd (another ioctl user) are looked for. */
#define STORE_POLL_MS 2000

struct devcredd {
	const char *socket_path;
	const char *confdir;
	const char *device;
	const char *group;
	const char *iface;
	char mac[13];		/* "" when unknown */
	const char *provision_dir;
	const char *key_group;
	gid_t gid;
	struct dd_publisher pub;
	int fd;
	struct dd_trust trust;
};

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: devcredd [OPTIONS]\n\n"
		"  -s, --socket PATH    socket to serve (default " DC_SOCKET_PATH ")\n"
		"  -c, --confdir DIR    vendor trust: DIR/vendor-ca.pem, DIR/factory-issuers\n"
		"                       (default " DC_CONFDIR ")\n"
		"  -d, --device PATH    the store (default " STORE_DEVICE_PATH ")\n"
		"  -g, --group NAME     members may change the store, as root may\n"
		"  -i, --interface IF   MAC address for the self-signed certificate\n"
		"                       (default: the first Ethernet interface)\n"
		"  -p, --provision-dir DIR  apply DIR/*.xml at start\n"
		"                       (default " DC_PROVISION_DIR ")\n"
		"  -r, --run-dir DIR    publish each operation's credential in DIR/OPERATION\n"
		"                       (default $DEVCRED_RUN_DIR or " DC_RUN_DIR ")\n"
		"  -k, --key-group NAME published key.pem files readable by group NAME\n"
		"                       (mode 0640; default root only, 0600)\n"
		"  -v, --verbose LEVEL  0 errors .. 3 certificate details (default 2)\n"
		"      --syslog         log to syslog instead of standard error\n");
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
		{ "key-group", required_argument, NULL, 'k' },
		{ "verbose", required_argument, NULL, 'v' },
		{ "syslog", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c, level = DC_LOG_INFO, use_syslog = 0;
	char *end;

	while ((c = getopt_long(argc, argv, "s:c:d:g:i:p:r:k:v:h", opts, NULL)) != -1) {
		switch (c) {
		case 's': d->socket_path = optarg; break;
		case 'c': d->confdir = optarg; break;
		case 'd': d->device = optarg; break;
		case 'g': d->group = optarg; break;
		case 'i': d->iface = optarg; break;
		case 'p': d->provision_dir = optarg; break;
		case 'r': d->pub.dir = optarg; break;
		case 'k': d->key_group = optarg; break;
		case 'S': use_syslog = 1; break;
		case 'v':
			level = strtol(optarg, &end, 10);
			if (*end || level < 0 || level > 3) {
				fprintf(stderr, "devcredd: --verbose takes 0 to 3, not '%s'\n", optarg);
				return -1;
			}
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return -1;
	}
	dc_log_setup(level, use_syslog);
	return 0;
}

static int listen_on(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char dir[sizeof(sa.sun_path)];
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	strcpy(dir, path);
	if (strrchr(dir, '/') && strrchr(dir, '/') != dir) {
		*strrchr(dir, '/') = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			return -errno;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	/* Everyone may ask; SO_PEERCRED decides what they may do. */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || chmod(path, 0666) ||
	    listen(fd, 16)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static int peer_is_admin(const struct devcredd *d, const struct ucred *cr)
{
	struct passwd *pw;
	gid_t groups[64];
	int n = 64, i;

	if (cr->uid == 0)
		return 1;
	if (!d->group)
		return 0;
	if (cr->gid == d->gid)
		return 1;
	pw = getpwuid(cr->uid);
	if (!pw || getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) < 0)
		return 0;
	for (i = 0; i < n; i++)
		if (groups[i] == d->gid)
			return 1;
	return 0;
}

static void answer(int conn, uint32_t status, struct dd_ctx *ctx)
{
	struct dc_response resp = {
		.status = status,
		.out = { (const uint8_t *)ctx->out.buf, ctx->out.len },
		.err = { (const uint8_t *)ctx->err.buf, ctx->err.len },
	};
	size_t len;
	uint8_t *msg;

	dd_reply_to(&ctx->reply, &resp);
	if (!dc_response_encode(&resp, &msg, &len)) {
		dc_write_all(conn, msg, len);
		OPENSSL_cleanse(msg, len);	/* it may carry a private key */
	}
	free(msg);
}

static void serve_one(struct devcredd *d, int conn)
{
	struct dd_ctx ctx = {
		.fd = d->fd, .trust = &d->trust, .admin_group = d->group ? d->group : "",
		.now = time(NULL), .mac = d->mac, .pub = &d->pub,
	};
	struct ucred cr;
	socklen_t crlen = sizeof(cr);
	struct dc_request req;
	const char *why = "unreadable";
	uint8_t *msg;
	size_t len = 0;
	int status, ret;

	ret = dc_read_message(conn, DC_PROTO_REQUEST, REQUEST_TIMEOUT_MS, &msg, &len);
	if (!ret && getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &cr, &crlen))
		ret = -errno;
	if (ret || dc_request_parse(msg, len, &req, &why)) {
		dc_log(DC_LOG_WARN, "dropped a bad request: %s", ret ? strerror(-ret) : why);
		dc_out_printf(&ctx.err, "devcredd: bad request: %s\n", ret ? strerror(-ret) : why);
		answer(conn, 1, &ctx);
		goto out;
	}
	ctx.admin = peer_is_admin(d, &cr);
	dc_log(DC_LOG_DEBUG, "uid %u pid %d: %s %s %s", cr.uid, cr.pid, req.verb, req.arg1,
	       req.arg2);
	status = dd_run_request(&ctx, &req);
	if (status && ctx.err.len)
		dc_log(DC_LOG_WARN, "uid %u: %s %s refused: %.*s", cr.uid, req.verb, req.arg1,
		       (int)ctx.err.len - 1, ctx.err.buf);
	/* When credctl returns, the published files show the change. */
	dd_publish(&d->pub, d->fd);
	answer(conn, status, &ctx);
out:
	if (msg)
		OPENSSL_cleanse(msg, len);
	free(msg);
	dc_out_free(&ctx.out);
	dc_out_free(&ctx.err);
	dd_reply_free(&ctx.reply);
}

/* Applies the provisioning directory, as root would with credctl apply. */
static void provision(struct devcredd *d)
{
	struct dd_ctx ctx = {
		.fd = d->fd, .trust = &d->trust, .admin = 1,
		.admin_group = d->group ? d->group : "", .now = time(NULL),
	};

	dd_apply_dir(&ctx, d->provision_dir);
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
		d->gid = gr->gr_gid;
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

int main(int argc, char **argv)
{
	struct devcredd d = {
		.socket_path = DC_SOCKET_PATH, .confdir = DC_CONFDIR,
		.provision_dir = DC_PROVISION_DIR,
		.pub.dir = getenv("DEVCRED_RUN_DIR") ? getenv("DEVCRED_RUN_DIR") : DC_RUN_DIR,
	};
	struct sigaction sa = { .sa_handler = on_signal };
	struct timeval send_timeout = { .tv_sec = REQUEST_TIMEOUT_MS / 1000 };
	struct pollfd pfd = { .events = POLLIN };
	int lfd, conn;

	if (parse_argv(&d, argc, argv))
		return 2;
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (setup(&d))
		return 1;
	lfd = listen_on(d.socket_path);
	if (lfd < 0) {
		dc_log(DC_LOG_ERR, "%s: %s", d.socket_path, strerror(-lfd));
		return 1;
	}
	dc_log(DC_LOG_INFO, "serving %s", d.socket_path);
	pfd.fd = lfd;
	while (!stopping) {
		/* The published files follow the store, whoever changed it. */
		dd_publish(&d.pub, d.fd);
		if (poll(&pfd, 1, STORE_POLL_MS) <= 0)
			continue;
		conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (conn < 0)
			continue;
		/* A client that never reads its answer must not stall the others. */
		setsockopt(conn, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof(send_timeout));
		serve_one(&d, conn);
		close(conn);
	}
	unlink(d.socket_path);
	dd_trust_free(&d.trust);
	close(d.fd);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * One provisioning round: see provision.h. Every failure leaves the store
 * as it was (devcredd applies the files all or nothing, and only once all
 * of them are fetched) and says in the state which file and why.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "credctl/uri/fetch.h"
#include "lib/config/master.h"
#include "provision.h"

struct pv_fetched {
	struct dc_buf file[CONFIG_MASTER_FILES_MAX];
	size_t count;
};

static void pv_fetched_free(struct pv_fetched *f)
{
	size_t i;

	for (i = 0; i < f->count; i++) {
		/* A file may hold a private key. */
		explicit_bzero((void *)f->file[i].data, f->file[i].len);
		free((void *)f->file[i].data);
	}
	f->count = 0;
}

__attribute__((format(printf, 4, 5)))
static int pv_failed(struct dc_provstate *st, const char *file, int ret, const char *fmt, ...)
{
	va_list ap;

	snprintf(st->result, sizeof(st->result), "failed");
	snprintf(st->file, sizeof(st->file), "%s", file ? file : "");
	va_start(ap, fmt);
	vsnprintf(st->reason, sizeof(st->reason), fmt, ap);
	va_end(ap);
	return ret;
}

/* @name on the server: its folder URL, with a '/' between. */
static void pv_url(const struct dc_provconf *c, const char *name, char *url, size_t size)
{
	size_t n = strlen(c->server);

	snprintf(url, size, "%s%s%s", c->server, n && c->server[n - 1] == '/' ? "" : "/", name);
}

static int pv_fetch(const struct dc_provconf *c, const char *name, struct dc_buf *out,
		    char *why, size_t whylen)
{
	/* As credctl's: the setting's CA, the provisioning credential presented. */
	struct uri_opts o = { .ca = c->ca[0] ? c->ca : NULL,
			      .client_cert = URI_CLIENT_CERT_PROVISIONING };
	char url[DC_PROVCONF_VALUE_MAX + CONFIG_MASTER_NAME_MAX + 2];

	pv_url(c, name, url, sizeof(url));
	return uri_download(url, &o, out, why, whylen);
}

/* The master file: the device's own, or the default when the server has none. */
static int pv_master(const struct dc_provconf *c, struct dc_provstate *st, struct dc_buf *out)
{
	char mac[13], own[32], why[URI_ERR_MAX];
	int ret;

	if (pv_mac(mac, why, sizeof(why)))
		return pv_failed(st, NULL, -EAGAIN, "%s", why);
	snprintf(own, sizeof(own), "%s.cfg", mac);
	snprintf(st->master, sizeof(st->master), "%s", own);
	ret = pv_fetch(c, own, out, why, sizeof(why));
	if (ret == URI_NOT_FOUND) {
		dc_log(DC_LOG_INFO, "provisioning: the server has no %s; using %s", own,
		       PV_DEFAULT_MASTER);
		snprintf(st->master, sizeof(st->master), "%s", PV_DEFAULT_MASTER);
		ret = pv_fetch(c, PV_DEFAULT_MASTER, out, why, sizeof(why));
	}
	return ret ? pv_failed(st, st->master, -EAGAIN, "%s", why) : 0;
}

static int pv_round_fetched(const struct dc_provconf *c, struct dc_provstate *st,
			    struct pv_fetched *f)
{
	struct config_master *m = calloc(1, sizeof(*m));
	struct dc_buf master = { 0 };
	struct dc_out err = { 0 };
	char why[URI_ERR_MAX], names[DC_PROTO_SOURCE_MAX * 2];
	const char *data[CONFIG_MASTER_FILES_MAX];
	size_t len[CONFIG_MASTER_FILES_MAX], i, n = 0;
	int ret;

	if (!m)
		return pv_failed(st, NULL, -EAGAIN, "out of memory");
	ret = pv_master(c, st, &master);
	if (!ret && config_master_parse((const char *)master.data, master.len, m, &err))
		ret = pv_failed(st, st->master, -EINVAL, "%.*s", (int)strcspn(err.buf + 9, "\n"),
				err.buf + 9);
	for (i = 0; !ret && i < m->count; i++) {
		if (pv_fetch(c, m->name[i], &f->file[f->count], why, sizeof(why)))
			ret = pv_failed(st, m->name[i], -EAGAIN, "%s", why);
		else
			f->count++;
		n += snprintf(names + n, sizeof(names) - n, "%s%s", i ? "," : "", m->name[i]);
		if (n >= sizeof(names))
			n = sizeof(names) - 1;
	}
	for (i = 0; i < f->count; i++) {
		data[i] = (const char *)f->file[i].data;
		len[i] = f->file[i].len;
	}
	if (!ret && m->count && pv_apply(data, len, f->count, names, why, sizeof(why))) {
		/* "NAME: reason" when devcredd's reason names one of the files. */
		for (i = 0; i < m->count; i++)
			if (!strncmp(why, m->name[i], strlen(m->name[i])) &&
			    why[strlen(m->name[i])] == ':')
				break;
		ret = pv_failed(st, i < m->count ? m->name[i] : NULL,
				strstr(why, "devcredd") ? -EAGAIN : -EINVAL, "%s",
				i < m->count ? why + strlen(m->name[i]) + 2 : why);
	}
	if (!ret) {
		snprintf(st->result, sizeof(st->result), "ok");
		snprintf(st->files, sizeof(st->files), "%s", names);
	}
	free((void *)master.data);
	dc_out_free(&err);
	free(m);
	return ret;
}

int pv_round(const struct pv_opts *o, struct dc_provconf *conf, struct dc_provstate *st)
{
	struct pv_fetched f = { .count = 0 };
	char path[4096], why[URI_ERR_MAX];
	int ret;

	st->attempt = time(NULL);
	st->result[0] = st->file[0] = st->reason[0] = st->master[0] = '\0';
	snprintf(path, sizeof(path), "%s/%s", o->confdir, DC_PROVCONF_FILE);
	ret = dc_provconf_load(path, conf, why, sizeof(why));
	if (ret)
		return pv_failed(st, DC_PROVCONF_FILE, ret == -ENOENT ? -ENOENT : -EINVAL, "%s", why);
	snprintf(st->server, sizeof(st->server), "%s", conf->server);
	/* What TLS presents: shown whether or not the round gets that far. */
	if (pv_presented(st->slot, sizeof(st->slot), st->subject, sizeof(st->subject), why,
			 sizeof(why)))
		dc_log(DC_LOG_WARN, "provisioning: no credential to present: %s", why);
	ret = pv_round_fetched(conf, st, &f);
	pv_fetched_free(&f);
	if (ret)
		dc_log(DC_LOG_WARN, "provisioning from %s failed: %s%s%s", conf->server, st->file,
		       st->file[0] ? ": " : "", st->reason);
	else
		dc_log(DC_LOG_INFO, "provisioning from %s: %s applied (%s)", conf->server,
		       st->files[0] ? st->files : "nothing", st->master);
	return ret;
}

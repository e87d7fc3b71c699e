// SPDX-License-Identifier: GPL-2.0
/*
 * credctl csr: devcredd makes the key and the certificate signing request
 * (it does every key operation); credctl writes what comes back:
 *
 *	DIR/<MAC>.csr			0644, replacing an older one
 *	DIR/<MAC>-private.key		0600, never replacing anything
 *
 * and, with --upload, sends the CSR to a server (the key too only with
 * --upload-key, and only over https). With --keep-key SLOT the
 * key stays in the device as SLOT's pending key and only the CSR is
 * written; 'credctl install SLOT --cert signed.pem' later pairs them.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/io.h"
#include "common/names.h"
#include "client.h"
#include "credctl.h"

#define MAC_HEX_LEN	12

static const struct {
	enum opt opt;
	const char *name;
	size_t max;
} subject_opts[] = {
	{ OPT_CN, "cn", DC_PROTO_NAME_MAX }, { OPT_ORG, "org", DC_PROTO_NAME_MAX },
	{ OPT_EMAIL, "email", DC_PROTO_NAME_MAX }, { OPT_COUNTRY, "country", DC_PROTO_NAME_MAX },
	{ OPT_STATE, "state", DC_PROTO_NAME_MAX }, { OPT_SAN, "san", DC_PROTO_SAN_MAX },
};

/*
 * One subject option (or --san): it fits the protocol (@max bytes) and
 * prints in the logs. What a subject may hold (lengths, the country's
 * form, the kinds of names) is devcredd's to judge.
 */
static int check_subject(const struct ctl_args *a, enum opt o, const char *name, size_t max)
{
	const char *s = a->value[o];
	size_t i;

	if (!s)
		return 0;
	if (!s[0])
		return ctl_usage_error(a->verb, "--%s is empty; leave it out instead", name);
	if (strlen(s) > max)
		return ctl_usage_error(a->verb, "--%s is %zu bytes long; the limit is %zu", name,
				   strlen(s), max);
	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return ctl_usage_error(a->verb, "--%s: control characters are not allowed in a subject",
					   name);
	return 0;
}

/*
 * The output folder (--out DIR, else the current one) must be a folder this
 * user may write into: checked before devcredd makes anything.
 */
static int check_out_dir(const char *given)
{
	const char *dir = given ? given : ".";
	const char *why = NULL;
	struct stat st;

	if (stat(dir, &st))
		why = strerror(errno);
	else if (!S_ISDIR(st.st_mode))
		why = "not a directory";
	else if (access(dir, W_OK | X_OK))
		why = strerror(errno);
	if (!why)
		return 0;
	if (given)
		fprintf(stderr, "credctl: --out %s: %s\n", dir, why);
	else
		fprintf(stderr, "credctl: the current directory: %s (choose another with --out DIR)\n",
			why);
	return DC_EXIT_FAILED;
}

/*
 * --upload sends the CSR; the private key goes too only when asked for
 * (--upload-key) and only over https: a CA that wants the key is one that
 * hands keys out, so it must at least get it privately and checked.
 */
static int check_upload(const struct ctl_args *a)
{
	const char *upload = a->value[OPT_UPLOAD];
	int with_key = !!(a->seen & O(OPT_UPLOAD_KEY));
	char err[URI_ERR_MAX], shown[URI_MAX];
	int ret;

	if (with_key && !upload)
		return ctl_usage_error(a->verb, "--upload-key goes with --upload https://.../");
	if (with_key && a->value[OPT_KEEP_KEY])
		return ctl_usage_error(a->verb, "--upload-key and --keep-key: the device keeps the key, there is none to upload");
	if (!upload)
		return 0;
	ret = uri_scheme_in(upload, "http,https,tftp", err, sizeof(err));
	if (ret > 0 && with_key)
		ret = uri_scheme_in(upload, "https", err, sizeof(err)) ? 1 : -2;
	if (ret == -1) {
		fprintf(stderr, "credctl: csr --upload: %s\n", err);
		return DC_EXIT_FAILED;
	}
	uri_display(upload, shown, sizeof(shown));
	if (ret == -2)
		return ctl_usage_error(a->verb, "--upload-key sends the private key, which goes over https only, not to '%s'; or keep the key in the device with --keep-key SLOT",
				       shown);
	if (!ret)
		return ctl_usage_error(a->verb, "--upload takes an http://, https:// or tftp:// URL, not '%s'",
				       shown);
	if (with_key && upload[strlen(upload) - 1] != '/')
		return ctl_usage_error(a->verb, "--upload URL must end with / with --upload-key (the file names are appended): two files go there, the CSR and the key");
	return 0;
}

static int check_csr_args(const struct ctl_args *a)
{
	const char *keep = a->value[OPT_KEEP_KEY];
	const char *type = a->value[OPT_KEY_TYPE];
	size_t i;
	int ret;

	if (!a->value[OPT_CN])
		return ctl_usage_error(a->verb, "needs --cn CN, the subject's common name");
	for (i = 0; i < ARRAY_SIZE(subject_opts); i++) {
		ret = check_subject(a, subject_opts[i].opt, subject_opts[i].name,
				    subject_opts[i].max);
		if (ret)
			return ret;
	}
	if (type && dc_key_type_by_name(type) < 0)
		return ctl_usage_error(a->verb, "unknown key type '%s'; key types are %s", type,
				       dc_key_type_list());
	if (keep && dc_slot_by_name(keep) < 0)
		return ctl_usage_error(a->verb, "unknown slot '%s'; slots are %s", keep,
				       dc_slot_list());
	return check_upload(a);
}

static void fill_request(const struct ctl_args *a, struct dc_request *req)
{
	struct dc_csr_request *c = &req->csr;

	memset(req, 0, sizeof(*req));
	snprintf(req->verb, sizeof(req->verb), "csr");
#define COPY(field, o) snprintf(c->field, sizeof(c->field), "%s", a->value[o] ? a->value[o] : "")
	COPY(key_type, OPT_KEY_TYPE);
	COPY(keep_key, OPT_KEEP_KEY);
	COPY(cn, OPT_CN);
	COPY(org, OPT_ORG);
	COPY(email, OPT_EMAIL);
	COPY(country, OPT_COUNTRY);
	COPY(state, OPT_STATE);
	COPY(san, OPT_SAN);
#undef COPY
}

/* The answer must hold what we asked for, and a name that is a MAC address. */
static int check_answer(const struct ctl_args *a, const struct dc_response *r)
{
	const char *name = r->file_name, *why = NULL;
	size_t i;

	for (i = 0; i < MAC_HEX_LEN && !why; i++)
		if (!(name[i] >= '0' && name[i] <= '9') && !(name[i] >= 'a' && name[i] <= 'f'))
			why = "the file name is not a MAC address";
	if (!why && name[MAC_HEX_LEN])
		why = "the file name is not a MAC address";
	if (!why && !r->csr.len)
		why = "no certificate signing request in it";
	if (!why && !a->value[OPT_KEEP_KEY] && !r->csr_key.len)
		why = "no private key in it";
	if (!why && a->value[OPT_KEEP_KEY] && r->csr_key.len)
		why = "a private key in it, though the device was to keep it";
	if (!why)
		return 0;
	fprintf(stderr, "credctl: bad answer from devcredd: %s\n", why);
	return DC_EXIT_FAILED;
}

/* Writes @b to a new file @path with @mode; O_EXCL: never over anything. */
static int write_new(const char *path, const struct dc_buf *b, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	int err;

	if (fd < 0)
		return -errno;
	if (fchmod(fd, mode) || dc_write_all(fd, b->data, b->len) || fsync(fd)) {
		err = -errno;
		close(fd);
		unlink(path);
		return err;
	}
	return close(fd) ? -errno : 0;
}

/**
 * struct csr_files - what csr writes
 * @csr: DIR/<MAC>.csr
 * @key: DIR/<MAC>-private.key, "" with --keep-key
 */
struct csr_files {
	char csr[PATH_MAX];
	char key[PATH_MAX];
};

static int write_files(const struct ctl_args *a, const struct dc_response *r, struct csr_files *f)
{
	const char *dir = a->value[OPT_OUT] ? a->value[OPT_OUT] : ".";
	int ret;

	snprintf(f->csr, sizeof(f->csr), "%s/%s.csr", dir, r->file_name);
	f->key[0] = '\0';
	if (r->csr_key.len) {
		snprintf(f->key, sizeof(f->key), "%s/%s-private.key", dir, r->file_name);
		ret = write_new(f->key, &r->csr_key, 0600);
		if (ret == -EEXIST) {
			fprintf(stderr, "credctl: %s exists; not overwriting a private key (move it away, or choose another --out DIR)\n",
				f->key);
			return DC_EXIT_FAILED;
		}
		if (ret) {
			fprintf(stderr, "credctl: %s: %s\n", f->key, strerror(-ret));
			return DC_EXIT_FAILED;
		}
	}
	ret = dc_replace_file(f->csr, r->csr.data, r->csr.len, 0644, (gid_t)-1);
	if (ret) {
		fprintf(stderr, "credctl: %s: %s\n", f->csr, strerror(-ret));
		if (f->key[0])
			unlink(f->key);	/* a key without its request is of no use */
		return DC_EXIT_FAILED;
	}
	printf("wrote %s\n", f->csr);
	if (f->key[0])
		printf("wrote %s\n", f->key);
	return 0;
}

static int upload(const struct ctl_args *a, const char *path, const char *name,
		  const struct dc_buf *b)
{
	char where[URI_MAX], err[URI_ERR_MAX];

	if (uri_upload(a->value[OPT_UPLOAD], name, b->data, b->len, &a->fetch, where,
			 sizeof(where), err, sizeof(err))) {
		fprintf(stderr, "credctl: %s: %s (%s is written all the same)\n", where, err, path);
		return DC_EXIT_FAILED;
	}
	printf("uploaded %s to %s\n", path, where);
	return 0;
}

static int upload_files(const struct ctl_args *a, const struct dc_response *r,
			const struct csr_files *f)
{
	char name[DC_PROTO_STR_MAX + 16];
	int ret;

	snprintf(name, sizeof(name), "%s.csr", r->file_name);
	ret = upload(a, f->csr, name, &r->csr);
	if (ret || !f->key[0])
		return ret;
	if (!(a->seen & O(OPT_UPLOAD_KEY))) {
		printf("the private key stays in %s (--upload-key sends it too, over https)\n",
		       f->key);
		return 0;
	}
	snprintf(name, sizeof(name), "%s-private.key", r->file_name);
	return upload(a, f->key, name, &r->csr_key);
}

int ctl_run_csr(const struct ctl_args *a)
{
	struct ctl_answer ans;
	struct dc_request req;
	struct csr_files files;
	char what[96];
	int ret;

	ret = check_csr_args(a);
	if (!ret)
		ret = check_out_dir(a->value[OPT_OUT]);
	if (ret)
		return ret;
	fill_request(a, &req);
	/* An RSA key takes seconds on a small board: say so, on a terminal. */
	snprintf(what, sizeof(what), "making an %s key in devcredd", req.csr.key_type[0] ?
		 req.csr.key_type : dc_key_type_names[DC_KEY_RSA2048]);
	ret = ctl_exchange_slow(&req, &ans, what);
	if (!ret)
		ret = ctl_print_answer(&ans);
	if (!ret)
		ret = check_answer(a, &ans.resp);
	if (!ret)
		ret = write_files(a, &ans.resp, &files);
	if (!ret)	/* the phones' words, once the files are there */
		printf("CSR generation completed\n");
	fflush(stdout);
	if (!ret && a->value[OPT_UPLOAD])
		ret = upload_files(a, &ans.resp, &files);
	ctl_answer_free(&ans);
	return ret;
}

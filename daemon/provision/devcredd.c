// SPDX-License-Identifier: GPL-2.0
/*
 * Asking devcredd, as credctl does: one request per connection (common/
 * proto.h). The MAC address is devcredd's (status --json), so that the
 * master file's name is the one the device's certificates and CSRs carry.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "common/connect.h"
#include "common/frame.h"
#include "common/io.h"
#include "provision.h"

/* apply-files writes to flash: as long as credctl waits for install. */
#define PV_ANSWER_TIMEOUT_MS	(60 * 1000)

struct pv_answer {
	struct dc_response resp;
	uint8_t *msg;
	size_t len;
};

static void pv_answer_free(struct pv_answer *a)
{
	if (a->msg) {
		explicit_bzero(a->msg, a->len);
		free(a->msg);
	}
	memset(a, 0, sizeof(*a));
}

static int pv_ask(const struct dc_request *req, struct pv_answer *a, char *why, size_t whylen)
{
	const char *path = dc_socket_path(), *bad = NULL;
	uint8_t *msg;
	size_t len;
	int fd, ret;

	memset(a, 0, sizeof(*a));
	ret = dc_request_encode(req, &msg, &len);
	if (ret) {
		snprintf(why, whylen, "cannot build the %s request: %s", req->verb, strerror(-ret));
		return -1;
	}
	fd = dc_connect(path);
	if (fd < 0) {
		dc_connect_explain(fd, path, why, whylen);
		free(msg);
		return -1;
	}
	ret = dc_write_all(fd, msg, len);
	explicit_bzero(msg, len);
	free(msg);
	if (!ret)
		ret = dc_read_message(fd, DC_PROTO_RESPONSE, PV_ANSWER_TIMEOUT_MS, &a->msg, &a->len);
	close(fd);
	if (!ret && dc_response_parse(a->msg, a->len, &a->resp, &bad))
		ret = -EBADMSG;
	if (ret) {
		snprintf(why, whylen, "devcredd's answer to %s: %s", req->verb,
			 bad ? bad : strerror(-ret));
		pv_answer_free(a);
		return -1;
	}
	return 0;
}

/* The first line of the answer's standard error, without "credctl: ". */
static void pv_first_error(const struct pv_answer *a, char *why, size_t whylen)
{
	const char *s = (const char *)a->resp.err.data, *nl;
	size_t n = a->resp.err.len;

	if (n > 9 && (!strncmp(s, "credctl: ", 9) || !strncmp(s, "devcred: ", 9))) {
		s += 9;
		n -= 9;
	}
	nl = n ? memchr(s, '\n', n) : NULL;
	snprintf(why, whylen, "%.*s", (int)(nl ? (size_t)(nl - s) : n), n ? s : "devcredd refused it");
}

int pv_mac(char mac[13], char *why, size_t whylen)
{
	struct dc_request req = { .verb = "status", .flags = DC_REQ_JSON };
	struct json_object *root = NULL, *v;
	struct json_tokener *tok;
	struct pv_answer a;
	const char *s;
	int ret = -1, i;

	if (pv_ask(&req, &a, why, whylen))
		return -1;
	if (a.resp.status) {
		pv_first_error(&a, why, whylen);
		goto out;
	}
	tok = json_tokener_new();
	/* The answer's text is not NUL-terminated: parsed by its length. */
	root = tok ? json_tokener_parse_ex(tok, (const char *)a.resp.out.data, a.resp.out.len) : NULL;
	json_tokener_free(tok);
	s = root && json_object_object_get_ex(root, "mac", &v) ? json_object_get_string(v) : NULL;
	if (!s || strlen(s) != 12) {
		snprintf(why, whylen, "devcredd does not know the device's MAC address (devcredd --iface)");
		goto out;
	}
	for (i = 0; i < 12; i++)
		mac[i] = s[i] >= 'A' && s[i] <= 'F' ? s[i] - 'A' + 'a' : s[i];
	mac[12] = '\0';
	ret = 0;
out:
	json_object_put(root);
	pv_answer_free(&a);
	return ret;
}

int pv_presented(char *slot, size_t slotlen, char *subject, size_t subjlen, char *why,
		 size_t whylen)
{
	struct dc_request req = { .verb = "credential", .arg1 = "op=provisioning" };
	struct pv_answer a;
	X509 *leaf = NULL;
	BIO *b;
	int ret = -1;

	slot[0] = subject[0] = '\0';
	if (pv_ask(&req, &a, why, whylen))
		return -1;
	if (a.resp.status || !a.resp.chain.len) {
		pv_first_error(&a, why, whylen);
		goto out;
	}
	snprintf(slot, slotlen, "%s", a.resp.slot);
	b = BIO_new_mem_buf(a.resp.chain.data, a.resp.chain.len);
	leaf = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
	BIO_free(b);
	if (!leaf) {
		snprintf(why, whylen, "devcredd's chain for provisioning does not decode");
		goto out;
	}
	X509_NAME_oneline(X509_get_subject_name(leaf), subject, subjlen);
	ret = 0;
out:
	X509_free(leaf);
	pv_answer_free(&a);
	return ret;
}

int pv_apply(const char *const *data, const size_t *len, size_t count, const char *names,
	     char *why, size_t whylen)
{
	struct dc_request req = { .verb = "apply-files" };
	struct pv_answer a;
	size_t i, total = 0;
	uint8_t *blob;
	int ret;

	if (strlen(names) > DC_PROTO_SOURCE_MAX) {
		snprintf(why, whylen, "the names of CONFIG_FILES are longer than %u characters together",
			 DC_PROTO_SOURCE_MAX);
		return -1;
	}
	for (i = 0; i < count; i++)
		total += len[i] + 1;
	if (total > DC_PROTO_BLOB_MAX) {
		snprintf(why, whylen, "the files are larger than %u bytes together", DC_PROTO_BLOB_MAX);
		return -1;
	}
	blob = malloc(total);
	if (!blob) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	for (total = 0, i = 0; i < count; i++) {
		memcpy(blob + total, data[i], len[i]);
		total += len[i];
		blob[total++] = '\0';
	}
	req.cert = (struct dc_buf){ blob, total };
	snprintf(req.source, sizeof(req.source), "%s", names);
	ret = pv_ask(&req, &a, why, whylen);
	/* The files may hold private keys. */
	explicit_bzero(blob, total);
	free(blob);
	if (ret)
		return -1;
	ret = a.resp.status ? -1 : 0;
	if (ret)
		pv_first_error(&a, why, whylen);
	pv_answer_free(&a);
	return ret;
}

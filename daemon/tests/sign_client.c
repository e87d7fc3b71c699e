// SPDX-License-Identifier: GPL-2.0
/*
 * A client of devcredd's credential and sign requests for the host tests
 * (test_devcredd.sh), without the provider: it opens a key reference,
 * keeps the pin it got, asks for a signature and checks it against the
 * certificate's public key with OpenSSL.
 *
 *	sign_client open REF PINFILE
 *		"credential REF"; prints "slot=S generation=G may_sign=0|1
 *		chain_sha256=HEX" and saves the pin (slot, generation, stamp)
 *		and the chain in PINFILE
 *	sign_client sign REF PINFILE SCHEME DIGEST [SALT [MGF1]]
 *		"sign REF" with that pin for the SHA digest of "devcred"
 *		(DIGEST: sha256, sha384, sha512, or "short" for 31 bytes);
 *		checks the signature with the chain's leaf key and prints
 *		"verified LEN"
 *	sign_client raw VERB REF PINFILE SCHEME DIGEST HEX
 *		the request as given (any verb, any digest name, any bytes)
 *
 * Exit status: 0 done; 1 refused (devcredd's message on stderr) or a
 * signature that does not verify; 2 usage or I/O errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "common/frame.h"
#include "common/io.h"
#include "common/names.h"
#include "common/proto.h"

/* The pin and chain, as "open" saves them: slot\ngeneration\nstamp-hex\nPEM. */
struct pin {
	char slot[DC_PROTO_STR_MAX + 1];
	unsigned long long generation;
	uint8_t stamp[DC_PROTO_STAMP_LEN];
	char chain[64 * 1024];
};

static int ask(const struct dc_request *req, uint8_t **msg, struct dc_response *resp)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *path = getenv("DEVCRED_SOCKET"), *why;
	uint8_t *out;
	size_t len, got = 0;
	int fd, ret;

	if (dc_request_encode(req, &out, &len))
		return 2;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path ? path : "/run/devcred/devcredd.sock");
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ret = fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ? -errno :
	      dc_write_all(fd, out, len) ?: dc_read_message(fd, DC_PROTO_RESPONSE, 30000, msg, &got);
	free(out);
	if (fd >= 0)
		close(fd);
	if (ret || dc_response_parse(*msg, got, resp, &why)) {
		fprintf(stderr, "sign_client: devcredd: %s\n", ret ? strerror(-ret) : why);
		return 2;
	}
	if (resp->err.len)
		fprintf(stderr, "%.*s", (int)resp->err.len, resp->err.data);
	return resp->status ? 1 : 0;
}

static int save_pin(const char *file, const struct dc_response *r)
{
	FILE *f = fopen(file, "w");
	size_t i;

	if (!f)
		return 2;
	fprintf(f, "%s\n%llu\n", r->slot, (unsigned long long)r->generation);
	for (i = 0; i < r->stamp.len; i++)
		fprintf(f, "%02x", r->stamp.data[i]);
	fprintf(f, "\n%.*s", (int)r->chain.len, r->chain.data);
	return fclose(f) ? 2 : 0;
}

static int load_pin(const char *file, struct pin *p)
{
	char hex[2 * DC_PROTO_STAMP_LEN + 3];
	FILE *f = fopen(file, "r");
	size_t i, n;

	if (!f || fscanf(f, "%64s %llu %66s ", p->slot, &p->generation, hex) != 3)
		return 2;
	for (i = 0; i < DC_PROTO_STAMP_LEN; i++)
		sscanf(hex + 2 * i, "%2hhx", &p->stamp[i]);
	n = fread(p->chain, 1, sizeof(p->chain) - 1, f);
	p->chain[n] = '\0';
	fclose(f);
	return 0;
}

static int cmd_open(const char *ref, const char *file)
{
	struct dc_request req = { .verb = "credential" };
	struct dc_response resp;
	uint8_t *msg = NULL;
	int ret;

	snprintf(req.arg1, sizeof(req.arg1), "%s", ref);
	ret = ask(&req, &msg, &resp);
	if (!ret) {
		printf("slot=%s generation=%llu may_sign=%u chain_bytes=%zu stamp_bytes=%zu\n",
		       resp.slot, (unsigned long long)resp.generation, resp.may_sign,
		       resp.chain.len, resp.stamp.len);
		ret = save_pin(file, &resp);
	}
	free(msg);
	return ret;
}

/* Checks @sig over @dgst with the leaf's key, as the scheme says. */
static int verify(const char *chain, const char *scheme, const char *md, unsigned int salt,
		  const char *mgf1, const uint8_t *sig, size_t sig_len, const uint8_t *dgst,
		  size_t dlen)
{
	BIO *b = BIO_new_mem_buf(chain, -1);
	X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	EVP_PKEY_CTX *ctx = x ? EVP_PKEY_CTX_new(X509_get0_pubkey(x), NULL) : NULL;
	int ok = ctx && EVP_PKEY_verify_init(ctx) > 0 &&
		 EVP_PKEY_CTX_set_signature_md(ctx, EVP_get_digestbyname(md)) > 0;

	if (ok && !strcmp(scheme, "rsa-pss"))
		ok = EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) > 0 &&
		     EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, salt) > 0 &&
		     EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_get_digestbyname(mgf1 ? mgf1 : md)) > 0;
	ok = ok && EVP_PKEY_verify(ctx, sig, sig_len, dgst, dlen) == 1;
	EVP_PKEY_CTX_free(ctx);
	X509_free(x);
	BIO_free(b);
	return ok;
}

static int cmd_sign(const char *verb, const char *ref, const char *file, const char *scheme,
		    const char *md, const char *salt, const char *mgf1, const char *hex)
{
	struct dc_request req = { 0 };
	uint8_t dgst[DC_PROTO_DIGEST_MAX + 8];
	unsigned int dlen = 0;
	struct dc_response resp;
	uint8_t *msg = NULL;
	struct pin *p = calloc(1, sizeof(*p));
	int ret;

	if (!p || load_pin(file, p))
		return 2;
	snprintf(req.verb, sizeof(req.verb), "%s", verb);
	snprintf(req.arg1, sizeof(req.arg1), "%s", ref);
	snprintf(req.use.slot, sizeof(req.use.slot), "%s", p->slot);
	req.use.generation = p->generation;
	req.use.stamp = (struct dc_buf){ p->stamp, sizeof(p->stamp) };
	snprintf(req.use.sig_alg, sizeof(req.use.sig_alg), "%s", scheme);
	snprintf(req.use.digest_alg, sizeof(req.use.digest_alg), "%s",
		 strcmp(md, "short") ? md : "sha256");
	if (mgf1)
		snprintf(req.use.mgf1_alg, sizeof(req.use.mgf1_alg), "%s", mgf1);
	req.use.salt_len = salt ? atoi(salt) : 0;
	if (hex) {
		while (dlen < sizeof(dgst) && sscanf(hex + 2 * dlen, "%2hhx", &dgst[dlen]) == 1)
			dlen++;
	} else if (!EVP_Digest("devcred", 7, dgst, &dlen,
			       EVP_get_digestbyname(strcmp(md, "short") ? md : "sha256"), NULL)) {
		return 2;
	}
	if (!strcmp(md, "short"))
		dlen = 31;
	req.use.digest = (struct dc_buf){ dgst, dlen };
	ret = ask(&req, &msg, &resp);
	if (!ret && !verify(p->chain, scheme, req.use.digest_alg, req.use.salt_len, mgf1,
			    resp.signature.data, resp.signature.len, dgst, dlen)) {
		fprintf(stderr, "sign_client: the signature (%zu bytes) does not verify\n",
			resp.signature.len);
		ret = 1;
	}
	if (!ret)
		printf("verified %zu\n", resp.signature.len);
	free(msg);
	free(p);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "open"))
		return cmd_open(argv[2], argv[3]);
	if (argc >= 6 && argc <= 8 && !strcmp(argv[1], "sign"))
		return cmd_sign("sign", argv[2], argv[3], argv[4], argv[5], argc > 6 ? argv[6] : NULL,
				argc > 7 ? argv[7] : NULL, NULL);
	if (argc == 8 && !strcmp(argv[1], "raw"))
		return cmd_sign(argv[2], argv[3], argv[4], argv[5], argv[6], NULL, NULL, argv[7]);
	fprintf(stderr, "usage: sign_client open REF PINFILE | sign REF PINFILE SCHEME DIGEST [SALT [MGF1]] | raw VERB REF PINFILE SCHEME DIGEST HEX\n");
	return 2;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the provisioning configuration reader: XML parsing, the
 * parameter gates, value checks, PEM restoration, the PKCS#7 mistake and
 * the profile -> binding resolution. Certificates come from the test
 * corpus (tests/gen-corpus.sh), directory given as argv[1].
 *
 *	test_config CORPUS_DIR
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "lib/config/config.h"
#include "lib/config/master.h"
#include "lib/config/merge.h"
#include "lib/config/pem.h"
#include "lib/cred/credential.h"
#include "lib/cred/secret.h"
#include "tap.h"

static const char *corpus;

/* A file of the corpus, NUL-terminated, with its newlines made spaces as XML would. */
static char *attr_file(const char *name)
{
	char path[512], *buf, *p;
	long n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", corpus, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, n + 1);
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	for (p = buf; p && *p; p++)
		if (*p == '\n')
			*p = ' ';
	return buf;
}

/* Parses and plans @xml; the result of the step that failed, or 0. */
static int plan_xml(const char *xml, struct config_plan *plan, struct dc_out *err)
{
	struct config_file cfg;
	int ret = config_parse(&cfg, xml, strlen(xml), err);

	memset(plan, 0, sizeof(*plan));
	if (!ret)
		ret = config_plan_make(&cfg, plan, err);
	config_file_free(&cfg);
	return ret;
}

static int lines(const struct dc_out *o)
{
	int n = 0;
	size_t i;

	for (i = 0; i < o->len; i++)
		n += o->buf[i] == '\n';
	return n;
}

/* Plans @xml, which must fail with one error line containing @want. */
static void expect_refused(const char *xml, const char *want)
{
	struct dc_out err = { 0 };
	struct config_plan plan;

	CHECK_EQ(plan_xml(xml, &plan, &err), -EINVAL);
	CHECK_STR(err.buf, want);
	CHECK_EQ(lines(&err), 1);
	config_plan_free(&plan);
	dc_out_free(&err);
}

static void test_parse_collects(void)
{
	const char *xml = "<?xml version=\"1.0\"?>\n<polycomConfig a.b=\"1\">"
			  "<x device.set=\"1\" up.backlight=\"5\"/>"
			  "<y><z sec.TLS.profile.3.deviceCert=\"Platform2\"/></y></polycomConfig>";
	struct dc_out err = { 0 };
	struct config_file cfg;

	CHECK_EQ(config_parse(&cfg, xml, strlen(xml), &err), 0);
	CHECK_EQ(cfg.ignored, 2);
	CHECK(!strcmp(cfg.value[config_param_find("device.set")], "1"));
	CHECK(!strcmp(cfg.value[config_param_find("sec.TLS.profile.3.deviceCert")], "Platform2"));
	CHECK(!cfg.value[config_param_find("sec.TLS.profile.1.deviceCert")]);
	CHECK_EQ(err.len, 0);
	config_file_free(&cfg);
}

static void test_parse_bad_xml(void)
{
	expect_refused("<a device.set=\"1\">\n<b></a>", "not well-formed XML at line 2");
	expect_refused("", "not well-formed XML at line 1");
}

static void test_parse_doctype(void)
{
	expect_refused("<!DOCTYPE a [<!ENTITY x \"xxxxxxxx\"><!ENTITY y \"&x;&x;&x;&x;\">]>"
		       "<a device.set=\"&y;\"/>", "document type declaration");
}

static void test_parse_twice(void)
{
	expect_refused("<a device.set=\"1\"><b device.set=\"1\"/></a>",
		       "device.set is given twice");
}

static void test_platform_cert(void)
{
	char *cert = attr_file("leaf.pem"), *key = attr_file("leaf.key"), *xml;
	struct dc_out err = { 0 };
	struct credential c;
	struct config_plan plan;

	if (!CHECK(cert && key))
		return;
	CHECK(asprintf(&xml, "<c device.set=\"1\" device.sec.TLS.customDeviceCert2.set=\"1\" "
		       "device.sec.TLS.customDeviceCert2.publicCert=\"%s\" "
		       "device.sec.TLS.customDeviceCert2.privateKey=\"%s\"/>", cert, key) > 0);
	CHECK_EQ(plan_xml(xml, &plan, &err), 0);
	CHECK(plan.cred[DEVCRED_SLOT_PLATFORM2].cert && plan.cred[DEVCRED_SLOT_PLATFORM2].key);
	CHECK(!plan.cred[DEVCRED_SLOT_PLATFORM1].cert);
	CHECK_EQ(plan.bind_mask, 0);
	CHECK_STR(plan.cred[DEVCRED_SLOT_PLATFORM2].key_param, "customDeviceCert2.privateKey");
	/* The line breaks XML took are back: OpenSSL reads the result. */
	CHECK_EQ(cred_decode(&c, plan.cred[DEVCRED_SLOT_PLATFORM2].cert,
			     plan.cred[DEVCRED_SLOT_PLATFORM2].cert_len,
			     plan.cred[DEVCRED_SLOT_PLATFORM2].key,
			     plan.cred[DEVCRED_SLOT_PLATFORM2].key_len, NULL, NULL), 0);
	CHECK(c.key != NULL);
	cred_free(&c);
	config_plan_free(&plan);
	dc_out_free(&err);
	free(xml);
	free(cert);
	free(key);
}

/* device.* parameters need device.set="1" and their own .set="1". */
static void test_gates(void)
{
	static const char *const files[] = {
		"<c device.sec.TLS.customDeviceCert1.set=\"1\" device.sec.TLS.customDeviceCert1.publicCert=\"x\"/>",
		"<c device.set=\"0\" device.sec.TLS.customDeviceCert1.set=\"1\" device.sec.TLS.customDeviceCert1.publicCert=\"x\"/>",
		"<c device.set=\"1\" device.sec.TLS.customDeviceCert1.publicCert=\"x\"/>",
		"<c device.set=\"1\" device.sec.TLS.customDeviceCert1.set=\"0\" device.sec.TLS.customDeviceCert1.publicCert=\"x\"/>",
		"<c device.set=\"1\" device.sec.TLS.profile.deviceCert1=\"Platform2\"/>",
		"<c device.sec.TLS.profileSelection.dot1x.set=\"1\" device.sec.TLS.profileSelection.dot1x=\"PlatformProfile2\"/>",
		"<c sec.TLS.customDeviceCert.1=\"\" sec.TLS.profile.1.deviceCert=\"\"/>",
	};
	struct dc_out err = { 0 };
	struct config_plan plan;
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		CHECK_EQ(plan_xml(files[i], &plan, &err), 0);
		CHECK(!plan.cred[DEVCRED_SLOT_PLATFORM1].cert);
		CHECK_EQ(plan.bind_mask, 0);
		config_plan_free(&plan);
	}
	CHECK_EQ(err.len, 0);
	expect_refused("<c device.set=\"yes\"/>", "device.set is 'yes'; permitted values are 0 and 1");
	expect_refused("<c device.sec.SSL.customDeviceCert.set=\"2\"/>",
		       "device.sec.SSL.customDeviceCert.set is '2'");
	dc_out_free(&err);
}

static void test_two_sources(void)
{
	expect_refused("<c device.set=\"1\" device.sec.TLS.customDeviceCert1.set=\"1\" "
		       "device.sec.TLS.customDeviceCert1.publicCert=\"a\" "
		       "device.sec.SSL.customDeviceCert.set=\"1\" "
		       "device.sec.SSL.customDeviceCert.publicCert=\"b\"/>",
		       "both set the certificate of platform1");
	expect_refused("<c sec.TLS.customDeviceKey.4=\"k\"/>",
		       "sec.TLS.customDeviceKey.4 gives a private key for app4 but no certificate");
}

static void test_app_certs(void)
{
	char *cert = attr_file("leaf.pem"), *xml;
	struct dc_out err = { 0 };
	struct config_plan plan;
	int x;

	for (x = 1; x <= 6; x++) {
		CHECK(asprintf(&xml, "<c sec.TLS.customDeviceCert.%d=\"%s\"/>", x, cert) > 0);
		CHECK_EQ(plan_xml(xml, &plan, &err), 0);
		CHECK(plan.cred[DEVCRED_SLOT_APP1 + x - 1].cert);
		/* No key: the slot's pending key from an on-device CSR is used. */
		CHECK(!plan.cred[DEVCRED_SLOT_APP1 + x - 1].key);
		CHECK(!plan.cred[x == 1 ? DEVCRED_SLOT_APP2 : DEVCRED_SLOT_APP1].cert);
		config_plan_free(&plan);
		free(xml);
	}
	dc_out_free(&err);
	free(cert);
}

static void test_bare_pkcs7(void)
{
	char *body = attr_file("p7-body.txt"), *xml;

	if (!CHECK(body))
		return;
	CHECK(asprintf(&xml, "<c sec.TLS.customDeviceCert.2=\"%s\"/>", body) > 0);
	expect_refused(xml, "sec.TLS.customDeviceCert.2: could not decode the certificate chain: it is a PKCS#7 body without its lines");
	free(xml);
	free(body);
}

static void test_bad_values(void)
{
	expect_refused("<c device.set=\"1\" device.sec.TLS.profile.deviceCert1.set=\"1\" "
		       "device.sec.TLS.profile.deviceCert1=\"Application1\"/>",
		       "device.sec.TLS.profile.deviceCert1 is 'Application1'; permitted values are Builtin, Platform1 or Platform2");
	expect_refused("<c sec.TLS.profile.6.deviceCert=\"App1\"/>",
		       "permitted values are Builtin, Platform1, Platform2, Application1, Application2, Application3, Application4, Application5 or Application6");
	expect_refused("<c device.set=\"1\" device.sec.TLS.profileSelection.dot1x.set=\"1\" "
		       "device.sec.TLS.profileSelection.dot1x=\"ApplicationProfile1\"/>",
		       "permitted values are PlatformProfile1 or PlatformProfile2");
	expect_refused("<c sec.TLS.profileSelection.SIP=\"Profile9\"/>",
		       "sec.TLS.profileSelection.SIP is 'Profile9'; permitted values are PlatformProfile1, PlatformProfile2, ApplicationProfile1");
}

/* Every problem is reported, not only the first. */
static void test_all_problems(void)
{
	struct dc_out err = { 0 };
	struct config_plan plan;

	CHECK_EQ(plan_xml("<c device.set=\"maybe\" sec.TLS.profile.1.deviceCert=\"x\" "
			  "sec.TLS.profileSelection.LDAP=\"y\" sec.TLS.customDeviceKey.1=\"k\"/>",
			  &plan, &err), -EINVAL);
	CHECK_EQ(lines(&err), 4);
	CHECK_STR(err.buf, "device.set");
	CHECK_STR(err.buf, "sec.TLS.profile.1.deviceCert");
	CHECK_STR(err.buf, "sec.TLS.profileSelection.LDAP");
	CHECK_STR(err.buf, "sec.TLS.customDeviceKey.1");
	config_plan_free(&plan);
	dc_out_free(&err);
}

static void test_bindings(void)
{
	struct dc_out err = { 0 };
	struct config_plan plan;

	/* A selection and the profile it selects. */
	CHECK_EQ(plan_xml("<c sec.TLS.profileSelection.SIP=\"ApplicationProfile2\" "
			  "sec.TLS.profile.2.deviceCert=\"Application3\"/>", &plan, &err), 0);
	CHECK_EQ(plan.bind_mask, 1u << DEVCRED_OP_SIP);
	CHECK_EQ(plan.bind[DEVCRED_OP_SIP], DEVCRED_SLOT_APP3);
	CHECK_STR(plan.bind_param[DEVCRED_OP_SIP], "profileSelection.SIP");
	config_plan_free(&plan);
	/* A selection alone: the profile's certificate defaults to Builtin. */
	CHECK_EQ(plan_xml("<c sec.TLS.profileSelection.XMPP=\"ApplicationProfile5\"/>", &plan,
			  &err), 0);
	CHECK_EQ(plan.bind_mask, 1u << DEVCRED_OP_PRESENCE);
	CHECK_EQ(plan.bind[DEVCRED_OP_PRESENCE], DEVCRED_SLOT_BUILTIN);
	config_plan_free(&plan);
	/*
	 * PlatformProfile1's certificate alone: every operation the file does
	 * not select otherwise uses PlatformProfile1 by default.
	 */
	CHECK_EQ(plan_xml("<c device.set=\"1\" device.sec.TLS.profile.deviceCert1.set=\"1\" "
			  "device.sec.TLS.profile.deviceCert1=\"platform2\" "
			  "sec.TLS.profileSelection.browser=\"ApplicationProfile1\"/>", &plan, &err), 0);
	CHECK_EQ(plan.bind_mask, (1u << DEVCRED_OP_COUNT) - 1);
	CHECK_EQ(plan.bind[DEVCRED_OP_8021X], DEVCRED_SLOT_PLATFORM2);
	CHECK_EQ(plan.bind[DEVCRED_OP_LDAP], DEVCRED_SLOT_PLATFORM2);
	CHECK_EQ(plan.bind[DEVCRED_OP_BROWSER], DEVCRED_SLOT_BUILTIN);
	config_plan_free(&plan);
	/* An application profile is no choice for a platform operation. */
	CHECK_EQ(plan_xml("<c sec.TLS.profileSelection.syslog=\"ApplicationProfile1\" "
			  "sec.TLS.profile.1.deviceCert=\"Application1\"/>", &plan, &err), -EINVAL);
	CHECK_STR(err.buf, "syslog: sec.TLS.profileSelection.syslog selects ApplicationProfile1, whose certificate is Application1; syslog may only use Builtin, Platform1 or Platform2");
	config_plan_free(&plan);
	dc_out_free(&err);
}

/* syslog has two selections; the device.* one wins when it takes effect. */
static void test_syslog_precedence(void)
{
	static const char *const orders[] = {
		"<c device.set=\"1\" device.sec.TLS.profileSelection.syslog.set=\"1\" "
		"device.sec.TLS.profileSelection.syslog=\"PlatformProfile2\" "
		"sec.TLS.profileSelection.syslog=\"ApplicationProfile1\" "
		"device.sec.TLS.profile.deviceCert2.set=\"1\" device.sec.TLS.profile.deviceCert2=\"Platform1\"/>",
		"<c sec.TLS.profileSelection.syslog=\"ApplicationProfile1\"><d device.set=\"1\" "
		"device.sec.TLS.profile.deviceCert2.set=\"1\" device.sec.TLS.profile.deviceCert2=\"Platform1\" "
		"device.sec.TLS.profileSelection.syslog.set=\"1\" "
		"device.sec.TLS.profileSelection.syslog=\"PlatformProfile2\"/></c>",
	};
	struct dc_out err = { 0 };
	struct config_plan plan;
	size_t i;

	for (i = 0; i < 2; i++) {
		CHECK_EQ(plan_xml(orders[i], &plan, &err), 0);
		CHECK(plan.bind_mask & (1u << DEVCRED_OP_SYSLOG));
		CHECK_EQ(plan.bind[DEVCRED_OP_SYSLOG], DEVCRED_SLOT_PLATFORM1);
		CHECK_STR(plan.bind_param[DEVCRED_OP_SYSLOG], "device.sec.TLS.profileSelection.syslog");
		config_plan_free(&plan);
	}
	/* Without device.set, the application's selection counts. */
	CHECK_EQ(plan_xml("<c device.sec.TLS.profileSelection.syslog.set=\"1\" "
			  "device.sec.TLS.profileSelection.syslog=\"PlatformProfile2\" "
			  "sec.TLS.profileSelection.syslog=\"ApplicationProfile4\"/>", &plan, &err), 0);
	CHECK_EQ(plan.bind[DEVCRED_OP_SYSLOG], DEVCRED_SLOT_BUILTIN);
	CHECK_STR(plan.bind_param[DEVCRED_OP_SYSLOG], "sec.TLS.profileSelection.syslog");
	config_plan_free(&plan);
	dc_out_free(&err);
}

/* Plans @xml on the settings @prior; the result of the step that failed, or 0. */
static int plan_xml_on(const char *xml, const struct config_profiles *prior,
		       struct config_plan *plan, struct dc_out *err)
{
	struct config_file cfg;
	int ret = config_parse(&cfg, xml, strlen(xml), err);

	memset(plan, 0, sizeof(*plan));
	if (!ret)
		ret = config_plan_make_on(&cfg, prior, plan, err);
	config_file_free(&cfg);
	return ret;
}

/*
 * Profile settings combine across files as on one phone: a file giving a
 * profile's deviceCert alone, then one giving the selection alone, bind
 * the operation to the first file's certificate; and the other way round.
 */
static void test_profiles_combine(void)
{
	struct config_profiles prior;
	struct dc_out err = { 0 };
	struct config_plan plan;

	config_profiles_init(&prior);
	CHECK_EQ(plan_xml_on("<c sec.TLS.profile.2.deviceCert=\"Application3\"/>", &prior, &plan,
			     &err), 0);
	CHECK_EQ(plan.bind_mask, 0);	/* nothing selects ApplicationProfile2 yet */
	CHECK_EQ(plan.profiles_set.cert_set, 1u << (CONFIG_PROFILE_APP1 + 1));
	prior = plan.profiles;
	config_plan_free(&plan);
	CHECK_EQ(plan_xml_on("<c sec.TLS.profileSelection.LDAP=\"ApplicationProfile2\"/>", &prior,
			     &plan, &err), 0);
	CHECK_EQ(plan.bind_mask, 1u << DEVCRED_OP_LDAP);
	CHECK_EQ(plan.bind[DEVCRED_OP_LDAP], DEVCRED_SLOT_APP3);
	CHECK_EQ(plan.profiles.cert[CONFIG_PROFILE_APP1 + 1], DEVCRED_SLOT_APP3);
	CHECK_EQ(plan.profiles_set.select_set, 1u << DEVCRED_OP_LDAP);
	prior = plan.profiles;
	config_plan_free(&plan);
	/* A later deviceCert rebinds what selects the profile by an earlier file. */
	CHECK_EQ(plan_xml_on("<c sec.TLS.profile.2.deviceCert=\"Platform2\"/>", &prior, &plan,
			     &err), 0);
	CHECK_EQ(plan.bind_mask, 1u << DEVCRED_OP_LDAP);
	CHECK_EQ(plan.bind[DEVCRED_OP_LDAP], DEVCRED_SLOT_PLATFORM2);
	config_plan_free(&plan);
	/* A platform operation selecting an application profile by an earlier file. */
	prior.select[DEVCRED_OP_SYSLOG] = CONFIG_PROFILE_APP1 + 1;
	prior.cert[CONFIG_PROFILE_APP1 + 1] = DEVCRED_SLOT_BUILTIN;
	CHECK_EQ(plan_xml_on("<c sec.TLS.profile.2.deviceCert=\"Application1\"/>", &prior, &plan,
			     &err), -EINVAL);
	CHECK_STR(err.buf, "syslog: the selection in effect (an earlier file) selects ApplicationProfile2, whose certificate is Application1");
	config_plan_free(&plan);
	dc_out_free(&err);
}

/*
 * syslog's two selections across files: the device.* one, given first,
 * still wins over the application's given later; without it the
 * application's counts.
 */
static void test_profiles_syslog_across(void)
{
	struct config_profiles prior;
	struct dc_out err = { 0 };
	struct config_plan plan;

	config_profiles_init(&prior);
	CHECK_EQ(plan_xml_on("<c device.set=\"1\" device.sec.TLS.profileSelection.syslog.set=\"1\" "
			     "device.sec.TLS.profileSelection.syslog=\"PlatformProfile2\" "
			     "device.sec.TLS.profile.deviceCert2.set=\"1\" "
			     "device.sec.TLS.profile.deviceCert2=\"Platform1\"/>", &prior, &plan, &err), 0);
	CHECK_EQ(plan.bind[DEVCRED_OP_SYSLOG], DEVCRED_SLOT_PLATFORM1);
	prior = plan.profiles;
	config_plan_free(&plan);
	CHECK_EQ(plan_xml_on("<c sec.TLS.profileSelection.syslog=\"ApplicationProfile4\"/>", &prior,
			     &plan, &err), 0);
	CHECK_EQ(plan.bind_mask, 0);
	CHECK_EQ(plan.profiles_set.syslog_app_set, 1);
	CHECK_EQ(config_profiles_slot(&plan.profiles, DEVCRED_OP_SYSLOG), DEVCRED_SLOT_PLATFORM1);
	config_plan_free(&plan);
	/* No device.* selection: the application's binds syslog. */
	config_profiles_init(&prior);
	CHECK_EQ(plan_xml_on("<c sec.TLS.profileSelection.syslog=\"ApplicationProfile4\"/>", &prior,
			     &plan, &err), 0);
	CHECK_EQ(plan.bind_mask, 1u << DEVCRED_OP_SYSLOG);
	CHECK_STR(plan.bind_param[DEVCRED_OP_SYSLOG], "sec.TLS.profileSelection.syslog");
	config_plan_free(&plan);
	dc_out_free(&err);
}

static void test_pem_unfold(void)
{
	static const char in[] = "  -----BEGIN ENCRYPTED PRIVATE KEY----- AAAA BBBB\r\n\tCC -----END ENCRYPTED PRIVATE KEY-----  ";
	size_t n;
	char *out = config_pem_unfold(in, strlen(in), &n);

	CHECK(out && !strcmp(out, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\nBBBB\nCC\n-----END ENCRYPTED PRIVATE KEY-----\n"));
	CHECK_EQ(n, strlen(out));
	cred_secret_free(out, n);
}

/* Parses @xml into @cfg; 0 when it parsed. */
static int parse_xml(const char *xml, struct config_file *cfg)
{
	struct dc_out err = { 0 };
	int ret = config_parse(cfg, xml, strlen(xml), &err);

	dc_out_free(&err);
	return ret;
}

/* The first file listed wins a parameter; the others fill what it lacks. */
static void test_merge_precedence(void)
{
	struct config_file first, second, merged = { 0 };
	const char *origin[256] = { NULL };
	struct dc_out err = { 0 };
	struct config_plan plan = { 0 };
	int sip = config_param_find("sec.TLS.profileSelection.SIP");
	int p2 = config_param_find("sec.TLS.profile.2.deviceCert");
	int ldap = config_param_find("sec.TLS.profileSelection.LDAP");

	if (!CHECK(config_param_count <= 256))
		return;
	CHECK_EQ(parse_xml("<c sec.TLS.profileSelection.SIP=\"ApplicationProfile2\" "
			   "sec.TLS.profile.2.deviceCert=\"Application3\" x.y=\"1\"/>", &first), 0);
	CHECK_EQ(parse_xml("<c sec.TLS.profileSelection.SIP=\"ApplicationProfile1\" "
			   "sec.TLS.profile.2.deviceCert=\"Application1\" "
			   "sec.TLS.profileSelection.LDAP=\"ApplicationProfile2\" z=\"2\"/>", &second), 0);
	CHECK_EQ(config_file_merge(&merged, &first, origin, "first.cfg"), 2);
	CHECK_EQ(config_file_merge(&merged, &second, origin, "second.cfg"), 1);
	CHECK(!strcmp(merged.value[sip], "ApplicationProfile2"));
	CHECK(!strcmp(merged.value[p2], "Application3"));
	CHECK(!strcmp(merged.value[ldap], "ApplicationProfile2"));
	CHECK_STR(origin[sip], "first.cfg");
	CHECK_STR(origin[ldap], "second.cfg");
	CHECK_EQ(merged.ignored, 2);
	/* What lost stays with its file, freed with it. */
	CHECK(!strcmp(second.value[sip], "ApplicationProfile1"));
	CHECK(!second.value[ldap]);
	/* The merged parameters plan as one file would. */
	CHECK_EQ(config_plan_make(&merged, &plan, &err), 0);
	CHECK_EQ(plan.bind[DEVCRED_OP_SIP], DEVCRED_SLOT_APP3);
	CHECK_EQ(plan.bind[DEVCRED_OP_LDAP], DEVCRED_SLOT_APP3);
	config_plan_free(&plan);
	config_file_free(&first);
	config_file_free(&second);
	config_file_free(&merged);
	dc_out_free(&err);
}

/* A gate in one file opens the parameters of another, as on a phone. */
static void test_merge_gates(void)
{
	struct config_file a, b, merged = { 0 };
	struct dc_out err = { 0 };
	struct config_plan plan = { 0 };

	CHECK_EQ(parse_xml("<c device.set=\"1\"/>", &a), 0);
	CHECK_EQ(parse_xml("<c device.set=\"0\" device.sec.TLS.profile.deviceCert1.set=\"1\" "
			   "device.sec.TLS.profile.deviceCert1=\"platform2\"/>", &b), 0);
	CHECK_EQ(config_file_merge(&merged, &a, NULL, NULL), 1);
	CHECK_EQ(config_file_merge(&merged, &b, NULL, NULL), 2);
	CHECK_EQ(config_plan_make(&merged, &plan, &err), 0);
	CHECK_EQ(plan.bind[DEVCRED_OP_8021X], DEVCRED_SLOT_PLATFORM2);
	config_plan_free(&plan);
	config_file_free(&a);
	config_file_free(&b);
	config_file_free(&merged);
	dc_out_free(&err);
}

static void expect_master_refused(const char *xml, const char *want)
{
	struct dc_out err = { 0 };
	struct config_master m;

	CHECK_EQ(config_master_parse(xml, strlen(xml), &m, &err), -EINVAL);
	CHECK_STR(err.buf, want);
	CHECK_EQ(m.count, 0);
	dc_out_free(&err);
}

static void test_master(void)
{
	static const char xml[] = "<?xml version=\"1.0\"?>\n<APPLICATION APP_FILE_PATH=\"sip.ld\" "
				  "CONFIG_FILES=\" site.cfg,, phones/p1.cfg ,x..y.cfg\"/>";
	struct dc_out err = { 0 };
	struct config_master m;

	CHECK_EQ(config_master_parse(xml, strlen(xml), &m, &err), 0);
	CHECK_EQ(m.count, 3);
	CHECK(!strcmp(m.name[0], "site.cfg"));
	CHECK(!strcmp(m.name[1], "phones/p1.cfg"));
	CHECK(!strcmp(m.name[2], "x..y.cfg"));
	CHECK_EQ(config_master_parse("<A CONFIG_FILES=\"\"/>", 20, &m, &err), 0);
	CHECK_EQ(m.count, 0);
	CHECK_EQ(config_master_parse("<A/>", 4, &m, &err), 0);
	CHECK_EQ(m.count, 0);
	CHECK_EQ(err.len, 0);
	dc_out_free(&err);
	expect_master_refused("<A CONFIG_FILES=\"a.cfg, ../etc/shadow\"/>", "'../etc/shadow': it leads out");
	expect_master_refused("<A CONFIG_FILES=\"a/../../b\"/>", "leads out");
	expect_master_refused("<A CONFIG_FILES=\"/etc/passwd\"/>", "an absolute path");
	expect_master_refused("<A CONFIG_FILES=\"http://evil/x.cfg\"/>", "may not have");
	expect_master_refused("<A CONFIG_FILES=\"a\"><B CONFIG_FILES=\"b\"/></A>", "given twice");
	expect_master_refused("<A CONFIG_FILES=\"1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17\"/>",
			      "more than 16 files");
	expect_master_refused("<!DOCTYPE a><A/>", "document type declaration");
	expect_master_refused("<A CONFIG_FILES=\"a\">", "not well-formed XML");
}

static const struct tap_test tests[] = {
	TAP_TEST(test_parse_collects, "parse: devcred's parameters kept from any element, others counted"),
	TAP_TEST(test_parse_bad_xml, "parse: XML that is not well-formed refused with its line"),
	TAP_TEST(test_parse_doctype, "parse: a DOCTYPE (entity expansion) refused"),
	TAP_TEST(test_parse_twice, "parse: a parameter given twice refused"),
	TAP_TEST(test_platform_cert, "plan: platform certificate and key, PEM line breaks restored"),
	TAP_TEST(test_gates, "plan: device.* without device.set or .set = 1, and empty values, change nothing; gates are 0 or 1"),
	TAP_TEST(test_two_sources, "plan: two sources for one slot, a key without certificate refused"),
	TAP_TEST(test_app_certs, "plan: sec.TLS.customDeviceCert.x go to appx"),
	TAP_TEST(test_bare_pkcs7, "plan: a PKCS#7 body without its BEGIN/END lines gets its own error"),
	TAP_TEST(test_bad_values, "plan: bad profile values listed with the permitted ones"),
	TAP_TEST(test_all_problems, "plan: every problem reported, each with its parameter"),
	TAP_TEST(test_bindings, "plan: profile selection and profile certificates resolve to bindings"),
	TAP_TEST(test_syslog_precedence, "plan: the device.* syslog selection wins over the application's"),
	TAP_TEST(test_profiles_combine, "plan: profile settings combine across files, deviceCert then selection and back"),
	TAP_TEST(test_profiles_syslog_across, "plan: the device.* syslog selection of an earlier file wins over a later application one"),
	TAP_TEST(test_pem_unfold, "PEM restored from an attribute value"),
	TAP_TEST(test_merge_precedence, "merge: the file listed first wins a parameter, the others fill in"),
	TAP_TEST(test_merge_gates, "merge: a gate in one file opens another file's parameters"),
	TAP_TEST(test_master, "master file: CONFIG_FILES listed in order; names leaving the folder refused"),
};

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_config CORPUS_DIR\n");
		return 2;
	}
	corpus = argv[1];
	dc_log_setup(DC_LOG_ERR, 0);
	return tap_run(tests, TAP_COUNT(tests));
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The master file's CONFIG_FILES, with expat: see master.h. The names come
 * from the network and become URLs on the same server: each is checked to
 * stay inside the server's folder before anyone fetches it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <expat.h>

#include "master.h"

struct master_state {
	XML_Parser parser;
	struct config_master *m;
	struct dc_out *err;
	int failed;
	int seen;
	int refused_dtd;
};

/* A relative path inside the folder: no way up, out or to another scheme. */
static const char *name_problem(const char *name, size_t len)
{
	size_t i;

	if (len > CONFIG_MASTER_NAME_MAX)
		return "longer than 255 characters";
	if (name[0] == '/')
		return "an absolute path; names are relative to the master file's folder";
	for (i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f || name[i] == '\\' ||
		    name[i] == '?' || name[i] == '#' || name[i] == ':')
			return "it has a character a file name here may not have (control, \\ ? # :)";
	for (i = 0; i < len; i++)
		if ((i == 0 || name[i - 1] == '/') && !strncmp(name + i, "..", 2) &&
		    (i + 2 == len || name[i + 2] == '/'))
			return "it leads out of the master file's folder (..)";
	return NULL;
}

static void master_error(struct master_state *st, const char *msg, const char *name, size_t len)
{
	dc_out_printf(st->err, "credctl: CONFIG_FILES: '%.*s': %s\n", (int)(len > 64 ? 64 : len),
		      name, msg);
	st->failed = -EINVAL;
	XML_StopParser(st->parser, XML_FALSE);
}

static void take_list(struct master_state *st, const char *list)
{
	struct config_master *m = st->m;
	const char *p = list, *end, *why;
	size_t len;

	while (*p) {
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		len = end - p;
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len) {
			why = name_problem(p, len);
			if (why)
				return master_error(st, why, p, len);
			if (m->count == CONFIG_MASTER_FILES_MAX)
				return master_error(st, "more than 16 files listed", p, len);
			memcpy(m->name[m->count], p, len);
			m->name[m->count++][len] = '\0';
		}
		p = *end ? end + 1 : end;
	}
}

static void XMLCALL on_element(void *data, const XML_Char *name, const XML_Char **attr)
{
	struct master_state *st = data;
	size_t i;

	(void)name;
	for (i = 0; attr[i] && attr[i + 1] && !st->failed; i += 2) {
		if (strcmp(attr[i], "CONFIG_FILES"))
			continue;
		if (st->seen++) {
			dc_out_printf(st->err, "credctl: CONFIG_FILES is given twice; give it once\n");
			st->failed = -EINVAL;
			XML_StopParser(st->parser, XML_FALSE);
			return;
		}
		take_list(st, attr[i + 1]);
	}
}

static void XMLCALL on_doctype(void *data, const XML_Char *name, const XML_Char *sysid,
				  const XML_Char *pubid, int has_internal_subset)
{
	struct master_state *st = data;

	(void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
	st->refused_dtd = 1;
	XML_StopParser(st->parser, XML_FALSE);
}

int config_master_parse(const char *buf, size_t len, struct config_master *m,
			struct dc_out *err)
{
	struct master_state st = { .m = m, .err = err };
	enum XML_Status status;

	memset(m, 0, sizeof(*m));
	st.parser = XML_ParserCreate(NULL);
	if (!st.parser)
		return -ENOMEM;
	XML_SetUserData(st.parser, &st);
	XML_SetStartElementHandler(st.parser, on_element);
	XML_SetStartDoctypeDeclHandler(st.parser, on_doctype);
	status = XML_Parse(st.parser, buf, len, XML_TRUE);
	if (st.refused_dtd) {
		dc_out_printf(err, "credctl: the file has a document type declaration (<!DOCTYPE); provisioning files must not\n");
		st.failed = -EINVAL;
	} else if (status != XML_STATUS_OK && !st.failed) {
		dc_out_printf(err, "credctl: not well-formed XML at line %lu, column %lu: %s\n",
			      (unsigned long)XML_GetCurrentLineNumber(st.parser),
			      (unsigned long)XML_GetCurrentColumnNumber(st.parser) + 1,
			      XML_ErrorString(XML_GetErrorCode(st.parser)));
		st.failed = -EINVAL;
	}
	XML_ParserFree(st.parser);
	if (st.failed)
		m->count = 0;
	return st.failed;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a configuration file with expat: every attribute of every element
 * is a parameter. Only devcred's parameters are kept; a phone's files carry
 * hundreds of others, which are counted and named at debug level.
 *
 * Document type declarations are refused: a provisioning file has no use
 * for entities, and refusing them rules out entity expansion attacks.
 *
 * Private keys pass through expat's buffers, so expat gets an allocator
 * that zeroizes every block it frees or moves.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <expat.h>

#include "common/log.h"
#include "lib/cred/secret.h"
#include "config.h"

struct parse_state {
	XML_Parser parser;
	struct config_file *cfg;
	struct dc_out *err;
	int failed;		/* -EINVAL or -ENOMEM once something went wrong */
	int refused_dtd;
};

__attribute__((format(printf, 2, 3)))
static void parse_error(struct parse_state *st, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	dc_out_printf(st->err, "credctl: %s\n", msg);
	if (!st->failed)
		st->failed = -EINVAL;
}

static void take_param(struct parse_state *st, const char *name, const char *value)
{
	struct config_file *cfg = st->cfg;
	int i = config_param_find(name);
	size_t len;

	if (i < 0) {
		cfg->ignored++;
		dc_log(DC_LOG_DEBUG, "configuration: ignoring %s (not a devcred parameter)", name);
		return;
	}
	if (cfg->value[i]) {
		parse_error(st, "%s is given twice; give each parameter once", name);
		return;
	}
	len = strlen(value);
	cfg->value[i] = cred_secret_dup(value, len);
	cfg->len[i] = len;
	if (!cfg->value[i]) {
		st->failed = -ENOMEM;
		XML_StopParser(st->parser, XML_FALSE);
	}
}

static void XMLCALL on_element(void *data, const XML_Char *name, const XML_Char **attr)
{
	struct parse_state *st = data;
	size_t i;

	(void)name;
	for (i = 0; attr[i] && attr[i + 1]; i += 2)
		take_param(st, attr[i], attr[i + 1]);
}

static void XMLCALL on_doctype(void *data, const XML_Char *name, const XML_Char *sysid,
				  const XML_Char *pubid, int has_internal_subset)
{
	struct parse_state *st = data;

	(void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
	st->refused_dtd = 1;
	XML_StopParser(st->parser, XML_FALSE);
}

static void xml_free(void *p)
{
	if (p)
		cred_secret_zero(p, malloc_usable_size(p));
	free(p);
}

static void *xml_realloc(void *p, size_t size)
{
	size_t old = p ? malloc_usable_size(p) : 0;
	void *n = malloc(size);

	if (n && p)
		memcpy(n, p, old < size ? old : size);
	if (n || !size)
		xml_free(p);
	return n;
}

static const XML_Memory_Handling_Suite xml_memory = {
	.malloc_fcn = malloc, .realloc_fcn = xml_realloc, .free_fcn = xml_free,
};

static int config_file_alloc(struct config_file *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->value = calloc(config_param_count, sizeof(*cfg->value));
	cfg->len = calloc(config_param_count, sizeof(*cfg->len));
	return cfg->value && cfg->len ? 0 : -ENOMEM;
}

int config_parse(struct config_file *cfg, const char *buf, size_t len, struct dc_out *err)
{
	struct parse_state st = { .cfg = cfg, .err = err };
	enum XML_Status status;
	char where[96];

	if (config_file_alloc(cfg))
		return -ENOMEM;
	/* UTF-8 unless the XML declaration says otherwise. */
	st.parser = XML_ParserCreate_MM(NULL, &xml_memory, NULL);
	if (!st.parser)
		return -ENOMEM;
	XML_SetUserData(st.parser, &st);
	XML_SetStartElementHandler(st.parser, on_element);
	XML_SetStartDoctypeDeclHandler(st.parser, on_doctype);
	status = XML_Parse(st.parser, buf, len, XML_TRUE);
	if (st.refused_dtd) {
		parse_error(&st, "the file has a document type declaration (<!DOCTYPE); provisioning files must not");
	} else if (status != XML_STATUS_OK && st.failed != -ENOMEM) {
		snprintf(where, sizeof(where), "line %lu, column %lu",
			 (unsigned long)XML_GetCurrentLineNumber(st.parser),
			 (unsigned long)XML_GetCurrentColumnNumber(st.parser) + 1);
		dc_out_printf(err, "credctl: not well-formed XML at %s: %s\n", where,
			      XML_ErrorString(XML_GetErrorCode(st.parser)));
		st.failed = -EINVAL;
	}
	XML_ParserFree(st.parser);
	if (!st.failed && cfg->ignored)
		dc_log(DC_LOG_DEBUG, "configuration: %zu parameters were not devcred's",
		       cfg->ignored);
	return st.failed;
}

void config_file_free(struct config_file *cfg)
{
	size_t i;

	if (cfg->value)
		for (i = 0; i < config_param_count; i++)
			cred_secret_free(cfg->value[i], cfg->len[i]);
	free(cfg->value);
	free(cfg->len);
	memset(cfg, 0, sizeof(*cfg));
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HTML forms' bodies (application/x-www-form-urlencoded): split at '&' and
 * '=', each part decoded by libevent's evhttp_uridecode() ('+' is a space).
 * A field decoding to a NUL byte, a field given twice or more than
 * WEB_FORM_FIELDS fields make the whole form malformed.
 */
#ifndef DEVCRED_WEB_FORM_H
#define DEVCRED_WEB_FORM_H

#define WEB_FORM_FIELDS	16

struct web_form {
	int n;
	char *name[WEB_FORM_FIELDS];
	char *value[WEB_FORM_FIELDS];
};

/* 0, or -1 when malformed (@f then empty). */
int web_form_parse(const char *body, struct web_form *f);

/* The value of field @name, NULL when absent. */
const char *web_form_get(const struct web_form *f, const char *name);

/* @name's value, NULL when absent or empty. */
const char *web_form_nonempty(const struct web_form *f, const char *name);

/* Wipes (a form may hold a password) and frees. */
void web_form_free(struct web_form *f);

#endif /* DEVCRED_WEB_FORM_H */

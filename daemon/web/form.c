// SPDX-License-Identifier: GPL-2.0
/* HTML forms' bodies: see form.h. */
#include <stdlib.h>
#include <string.h>
#include <event2/http.h>

#include "form.h"

void web_form_free(struct web_form *f)
{
	int i;

	for (i = 0; i < f->n; i++) {
		explicit_bzero(f->name[i], strlen(f->name[i]));
		explicit_bzero(f->value[i], strlen(f->value[i]));
		free(f->name[i]);
		free(f->value[i]);
	}
	memset(f, 0, sizeof(*f));
}

/* Part @s of @len bytes, decoded; NULL when it holds a NUL or memory ran out. */
static char *web_form_decode(const char *s, size_t len)
{
	char *raw = strndup(s, len), *out;
	size_t n = 0;

	if (!raw)
		return NULL;
	out = evhttp_uridecode(raw, 1, &n);
	explicit_bzero(raw, len);
	free(raw);
	if (out && strlen(out) != n) {
		explicit_bzero(out, n);
		free(out);
		out = NULL;
	}
	return out;
}

int web_form_parse(const char *body, struct web_form *f)
{
	const char *p = body, *eq;
	size_t len;

	memset(f, 0, sizeof(*f));
	while (*p) {
		len = strcspn(p, "&");
		eq = memchr(p, '=', len);
		if (len) {
			if (f->n == WEB_FORM_FIELDS || !eq)
				goto bad;
			f->name[f->n] = web_form_decode(p, eq - p);
			f->value[f->n] = web_form_decode(eq + 1, len - (eq + 1 - p));
			f->n++;
			if (!f->name[f->n - 1] || !f->value[f->n - 1] ||
			    (f->n > 1 && web_form_get(f, f->name[f->n - 1]) != f->value[f->n - 1]))
				goto bad;
		}
		p += len + !!p[len];
	}
	return 0;
bad:
	if (f->n && (!f->name[f->n - 1] || !f->value[f->n - 1])) {
		free(f->name[f->n - 1]);
		free(f->value[f->n - 1]);
		f->n--;
	}
	web_form_free(f);
	return -1;
}

const char *web_form_get(const struct web_form *f, const char *name)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (!strcmp(f->name[i], name))
			return f->value[i];
	return NULL;
}

const char *web_form_nonempty(const struct web_form *f, const char *name)
{
	const char *v = web_form_get(f, name);

	return v && v[0] ? v : NULL;
}

// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

#include "log.h"

static int log_level = DC_LOG_INFO;
static int log_syslog;
static const char *log_name = "devcredd";

void dc_log_set_name(const char *name)
{
	log_name = name;
}

void dc_log_setup(int level, int use_syslog)
{
	log_level = level;
	log_syslog = use_syslog;
	if (use_syslog)
		openlog(log_name, LOG_PID, LOG_DAEMON);
}

int dc_log_level(void)
{
	return log_level;
}

void dc_log(enum dc_log_level level, const char *fmt, ...)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };
	static const char *const tag[] = { "error", "warning", "info", "debug" };
	char line[4096];
	va_list ap;

	if ((int)level > log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One call per line: threads' lines never interleave. */
	if (log_syslog)
		syslog(prio[level], "%s", line);
	else
		fprintf(stderr, "%s: %s: %s\n", log_name, tag[level], line);
}

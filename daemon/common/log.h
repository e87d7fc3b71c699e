/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devcredd's log: to stderr (default) or syslog, with a verbosity level.
 * Level 3 adds certificate details, as the phones' "TLS logging level 3".
 */
#ifndef DEVCRED_LOG_H
#define DEVCRED_LOG_H

enum dc_log_level {
	DC_LOG_ERR = 0,
	DC_LOG_WARN = 1,
	DC_LOG_INFO = 2,
	DC_LOG_DEBUG = 3,
};

/* The program's name in the lines and in syslog (default "devcredd"); before setup. */
void dc_log_set_name(const char *name);
void dc_log_setup(int level, int use_syslog);
int dc_log_level(void);
void dc_log(enum dc_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* DEVCRED_LOG_H */

/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the devcred selftests: kernel log and MTD sysfs. */
#ifndef DEVCRED_TEST_H
#define DEVCRED_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>

/* Returns a malloc'ed copy of the last kernel log line containing @needle. */
static inline char *klog_find(const char *needle)
{
	int len = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *buf, *hit = NULL, *p, *end;

	if (len <= 0)
		return NULL;
	buf = calloc(1, len + 1);
	if (!buf)
		return NULL;
	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, len);
	for (p = buf; len > 0 && (p = strstr(p, needle)); p++)
		hit = p;
	if (hit) {
		end = strchr(hit, '\n');
		hit = strndup(hit, end ? (size_t)(end - hit) : strlen(hit));
	}
	free(buf);
	return hit;
}

static inline int mtd_sysfs_ull(int idx, const char *attr, unsigned long long *val)
{
	char path[96];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/sys/class/mtd/mtd%d/%s", idx, attr);
	f = fopen(path, "r");
	if (!f)
		return -1;
	ok = fscanf(f, "%lli", val) == 1;
	fclose(f);
	return ok ? 0 : -1;
}

/* The index of the MTD device named @name in /proc/mtd, or -1. */
static inline int mtd_index_by_name(const char *name)
{
	char line[160], quoted[80];
	int idx = -1, n;
	FILE *f = fopen("/proc/mtd", "r");

	if (!f)
		return -1;
	snprintf(quoted, sizeof(quoted), "\"%s\"", name);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (sscanf(line, "mtd%d:", &n) == 1 && strstr(line, quoted) &&
		    strlen(strstr(line, quoted)) == strlen(quoted)) {
			idx = n;
			break;
		}
	}
	fclose(f);
	return idx;
}

#endif /* DEVCRED_TEST_H */

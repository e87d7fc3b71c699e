// SPDX-License-Identifier: GPL-2.0
/* The device's MAC address, from sysfs: see mac.h. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mac.h"

static int read_sysfs(const char *iface, const char *attr, char *buf, size_t len)
{
	char path[256];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", iface, attr);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	ok = fgets(buf, len, f) != NULL;
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return ok ? 0 : -EIO;
}

/* The first interface, by name, whose type is Ethernet (ARPHRD_ETHER, 1). */
static int first_ethernet(char *name, size_t len)
{
	struct dirent **list;
	char type[16];
	int n, i, found = -ENODEV;

	n = scandir("/sys/class/net", &list, NULL, alphasort);
	if (n < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		if (found && list[i]->d_name[0] != '.' && strcmp(list[i]->d_name, "lo") &&
		    !read_sysfs(list[i]->d_name, "type", type, sizeof(type)) &&
		    !strcmp(type, "1")) {
			snprintf(name, len, "%s", list[i]->d_name);
			found = 0;
		}
		free(list[i]);
	}
	free(list);
	return found;
}

int dd_mac_address(const char *iface, char out[13])
{
	char name[NAME_MAX + 1], addr[32];
	unsigned int b[6];
	int ret, i;

	if (!iface) {
		ret = first_ethernet(name, sizeof(name));
		if (ret)
			return ret;
		iface = name;
	}
	ret = read_sysfs(iface, "address", addr, sizeof(addr));
	if (ret)
		return ret;
	if (sscanf(addr, "%2x:%2x:%2x:%2x:%2x:%2x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
		return -EINVAL;
	for (i = 0; i < 6; i++)
		snprintf(out + 2 * i, 3, "%02X", b[i]);
	return 0;
}

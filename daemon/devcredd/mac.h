/* SPDX-License-Identifier: GPL-2.0 */
/* The device's MAC address: the self-signed certificate's name, the CSR files' name. */
#ifndef DEVCRED_DD_MAC_H
#define DEVCRED_DD_MAC_H

/*
 * The MAC address of @iface (or, when NULL, of the first Ethernet interface
 * by name) as 12 upper-case hex digits, e.g. "0004F206075D". 0 or a
 * negative errno.
 */
int dd_mac_address(const char *iface, char out[13]);

#endif /* DEVCRED_DD_MAC_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Telling the service manager how devcredd is doing, systemd's way
 * (sd_notify(3), Type=notify): a datagram to $NOTIFY_SOCKET, written here
 * so that devcredd needs no libsystemd. Without $NOTIFY_SOCKET (started by
 * init scripts, or by hand) nothing is sent.
 */
#ifndef DEVCRED_DD_NOTIFY_H
#define DEVCRED_DD_NOTIFY_H

/*
 * Sends @state ("READY=1", "STOPPING=1") to $NOTIFY_SOCKET when it is set:
 * a path, or an abstract socket when it starts with '@'. 0 when sent or
 * not asked for, else a negative errno (logged as a warning).
 */
int dd_notify(const char *state);

#endif /* DEVCRED_DD_NOTIFY_H */

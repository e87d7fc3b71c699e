/* SPDX-License-Identifier: GPL-2.0 */
/* What devcredd does at start: log the store, make the self-signed builtin. */
#ifndef DEVCRED_DD_BUILTIN_H
#define DEVCRED_DD_BUILTIN_H

/* Logs what every slot holds, as the phones do at boot. */
void dd_log_store(int fd);

/*
 * On a store whose builtin slot is empty, makes and stores the self-signed
 * certificate for @mac. Returns 0 when nothing was needed or it was made.
 */
int dd_ensure_builtin(int fd, const char *mac);

#endif /* DEVCRED_DD_BUILTIN_H */

/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the files of devcred_bench (bench/devcred_bench.c). */
#ifndef DEVCRED_BENCH_H
#define DEVCRED_BENCH_H

#include <stdint.h>

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t bench_now_ns(void);
/* A non-negative decimal count; 2 (usage error, reported) when @s is not one. */
int bench_parse_count(const char *s, long *out);
/* devcred_bench tls PORT CAFILE ROUNDS CERT_A KEY_A CERT_B KEY_B */
int bench_tls(char **argv);
/* Runs @argv (its output to /dev/null): its time from fork to exit in @ns; 1 unless it exited 0. */
int bench_run(char **argv, uint64_t *ns);
/* devcred_bench web CAFILE ROUNDS keep:URL|new:URL... -- COMMAND [ARGS...] */
int bench_web(int argc, char **argv);
/* DEVCRED_IOC_LOAD_KEK on @fd with @flags; its time in @ns; 1 (reported) on failure. */
int bench_load_kek(int fd, unsigned int flags, uint64_t *ns);
/* devcred_bench kek [new] */
int bench_kek(const char *mode);
/* devcred_bench keyload TYPE DESC BLOB_FILE */
int bench_keyload(const char *type, const char *desc, const char *path);

#endif

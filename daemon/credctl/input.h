/* SPDX-License-Identifier: GPL-2.0 */
/*
 * credctl's inputs: a FILE, standard input ("-") or a URI, read whole into
 * a buffer of at most DC_PROTO_BLOB_MAX bytes. Failures are printed as
 * "credctl: WHERE: why"; the functions then return EXIT_FAILED.
 */
#ifndef CREDCTL_INPUT_H
#define CREDCTL_INPUT_H

#include "credctl/uri/fetch.h"
#include "common/proto.h"

/* Reads FILE, "-" or a URI into @out (malloc'ed); 0 or EXIT_FAILED. */
int input_read(const char *arg, const struct fetch_opts *o, struct dc_buf *out);

/*
 * Reads a passphrase file (a local file or "-", never a URI) into @out,
 * without one trailing newline ("\n" or "\r\n"); 0 or EXIT_FAILED.
 */
int input_read_passphrase(const char *path, struct dc_buf *out);

/* "standard input" for "-", the URI without its password, else @arg. */
const char *input_label(const char *arg, char *buf, size_t size);

/* Wipes and frees what input_read() filled. */
void input_free(struct dc_buf *b);

#endif /* CREDCTL_INPUT_H */

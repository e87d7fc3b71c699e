/* SPDX-License-Identifier: GPL-2.0 */
/*
 * credctl's inputs: a FILE, standard input ("-") or a URI, read whole into
 * a buffer of at most DC_PROTO_BLOB_MAX bytes. Failures are printed as
 * "credctl: WHERE: why"; the functions then return DC_EXIT_FAILED.
 */
#ifndef CREDCTL_INPUT_H
#define CREDCTL_INPUT_H

#include "common/proto.h"
#include "credctl/uri/fetch.h"

/* Reads FILE, "-" or a URI into @out (malloc'ed); 0 or DC_EXIT_FAILED. */
int ctl_input_read(const char *arg, const struct uri_opts *o, struct dc_buf *out);

/*
 * Reads a passphrase file (a local file or "-", never a URI) into @out,
 * without one trailing newline ("\n" or "\r\n"); 0 or DC_EXIT_FAILED.
 */
int ctl_input_read_passphrase(const char *path, struct dc_buf *out);

/* "standard input" for "-", the URI without its password, else @arg. */
const char *ctl_input_label(const char *arg, char *buf, size_t size);

/* Wipes and frees what ctl_input_read() filled. */
void ctl_input_free(struct dc_buf *b);

#endif /* CREDCTL_INPUT_H */

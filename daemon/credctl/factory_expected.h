/* SPDX-License-Identifier: GPL-2.0 */
/*
 * credctl factory-expected PART REVISION: did a unit with this console or
 * box part number and label revision ship with a factory certificate?
 */
#ifndef DEVCRED_FACTORY_EXPECTED_H
#define DEVCRED_FACTORY_EXPECTED_H

/*
 * Looks @part up in the factory-certificate table: the file named by the
 * environment variable DEVCRED_FACTORY_TABLE, else
 * DEVCRED_DATADIR "/factory-certs.tsv" (DEVCRED_DATADIR defaults to
 * "/usr/share/devcred"; set it with -DDEVCRED_DATADIR='"DIR"').
 *
 * Prints "yes" or "no", the platform, the first revision with a factory
 * certificate and its date, tab-separated, on one line of standard output,
 * and returns 0. An unknown part number, a malformed revision or an
 * unreadable table print "credctl: factory-expected: ..." on standard error
 * and return 1.
 */
int ctl_factory_expected(const char *part, const char *revision);

#endif /* DEVCRED_FACTORY_EXPECTED_H */

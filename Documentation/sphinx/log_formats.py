#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print every log message format of the kernel module and devcredd, one
per line, as "SOURCE<TAB>LEVEL<TAB>FORMAT" (FORMAT with C escapes as
written). scripts/packaging-checks checks that troubleshooting.rst shows
each of them, so that the guide follows the code.

    log_formats.py TOP
"""
import glob
import os
import re
import sys

STRING = r'"(?:[^"\\]|\\.)*"'
# The call, then its format: one or more adjacent string literals.
CALLS = {
    "kernel": re.compile(r"\b(pr_(?:info|warn|err|notice)(?:_ratelimited)?)\(\s*"
                         r"((?:%s\s*)+)" % STRING),
    "kernel-probe": re.compile(r"\b(dev_err_probe)\([^;]*?,\s*[^;]*?,\s*"
                               r"((?:%s\s*)+)" % STRING),
    "devcredd": re.compile(r"\bdc_log\(\s*([^,]+?),\s*((?:%s\s*)+)" % STRING),
}


def formats(top):
    files = {
        "kernel": sorted(glob.glob(os.path.join(top, "driver", "*.c"))),
        # Every layer devcredd links logs through dc_log(); credctl logs nothing.
        "devcredd": sorted(p for p in glob.glob(os.path.join(top, "daemon", "**", "*.c"),
                                                recursive=True)
                           if os.sep + "credctl" + os.sep not in p
                           and os.sep + "tests" + os.sep not in p),
    }
    seen = set()
    for source, paths in files.items():
        for path in paths:
            text = open(path, encoding="utf-8").read()
            for kind, call in CALLS.items():
                if not kind.startswith(source):
                    continue
                for match in call.finditer(text):
                    level = match.group(1).strip()
                    fmt = "".join(re.findall(STRING, match.group(2)))
                    fmt = fmt.replace('""', "")[1:-1]
                    if fmt.endswith("\\n"):
                        fmt = fmt[:-2]
                    if (source, fmt) not in seen:
                        seen.add((source, fmt))
                        yield source, level, fmt, os.path.relpath(path, top)


if __name__ == "__main__":
    for source, level, fmt, path in formats(sys.argv[1]):
        print("%s\t%s\t%s\t%s" % (source, level, fmt, path))

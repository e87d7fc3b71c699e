#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""report.py WORK RESULTS.json: the figures of one `make bench` run.

Reads what bench/guest.sh left in WORK/share/out/PHASE.txt and the flash
chip's own log of each counting boot (WORK/trace-PHASE.log, scripts/vm
--trace-flash), checks that the independent counts agree, writes
RESULTS.json and prints the table. Exits 1 when a cross-check fails (the
figures cannot be trusted), 0 otherwise, targets met or not.
"""
import datetime
import json
import os
import random
import statistics
import subprocess
import sys

ERASE_SIZE = 256 << 10
# QEMU's virt board builds its flash banks 4 bytes wide: one program word.
BANK_WIDTH = 4
FLASH = "virt.flash1"  # the bank scripts/vm gives the board's flash file


def load_phase(work, phase):
    values = {}
    with open(os.path.join(work, "share", "out", phase + ".txt")) as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("=")
            values[key] = value
    if values.get("done") != "1":
        sys.exit(f"report.py: phase {phase} did not finish")
    return values


def flash_log(work, phase):
    """Blocks erased and bytes programmed, as the flash chip saw them.

    QEMU 7.2 traces a buffered program command as "block write start:
    bytes:N" where N is the command's word count minus one (the CFI
    encoding), and every block erase with its offset.
    """
    erases = programs = words = 0
    with open(os.path.join(work, f"trace-{phase}.log")) as f:
        for line in f:
            if FLASH + ":" not in line:
                continue
            if line.startswith("pflash_write_block_erase"):
                erases += 1
            elif line.startswith("pflash_write_block_start"):
                programs += 1
                words += int(line.rsplit("bytes:", 1)[1], 16) + 1
    return {"blocks_erased": erases, "program_commands": programs,
            "bytes_programmed": words * BANK_WIDTH}


def ints(s):
    return [int(x) for x in s.split()]


def median_ms(s):
    return statistics.median(ints(s)) / 1e6


def r3(x):
    return round(x, 3)


def ratio_ci(num, den, rounds=2000):
    """95% bootstrap interval of sum(medians of num) / sum(medians of den),
    each a list of sample lists: how far the ratio could move with other
    draws of the same noise. Seeded, so that a run's figures are stable."""
    rng = random.Random(8)

    def resampled(sets):
        return sum(statistics.median(rng.choices(s, k=len(s))) for s in sets)

    ratios = sorted(resampled(num) / resampled(den) for _ in range(rounds))
    return [r3(ratios[int(0.025 * rounds)]), r3(ratios[int(0.975 * rounds) - 1])]


class Checks:
    def __init__(self):
        self.failed = []

    def equal(self, what, *values):
        if len(set(values)) != 1:
            self.failed.append(f"{what}: {values}")
        return values[0]


def ftrace_calls(p):
    """MTD calls made by the workload: virt's two banks are one concatenated
    device, so each erase or write enters mtd_erase/mtd_write once from the
    caller and once more from concat_erase/concat_write for the bank."""
    return {
        "mtd_erase_calls": int(p["ftrace_mtd_erase"]) - int(p["ftrace_concat_erase"]),
        "mtd_write_calls": int(p["ftrace_mtd_write"]) - int(p["ftrace_concat_write"]),
        "mtd_write_oob_direct_calls": int(p["ftrace_mtd_write_oob"]) - int(p["ftrace_mtd_write"]),
        "chip_blocks_erased": int(p["ftrace_do_erase_oneblock"]),
        "chip_buffer_writes": int(p["ftrace_cfi_intelext_write_buffers"]),
        "chip_word_writes": int(p["ftrace_cfi_intelext_write_words"]),
    }


def counts(work, checks):
    prep = load_phase(work, "prep")
    record = statistics.mean([int(prep["bytes_A.state"]), int(prep["bytes_B.state"])])
    cred = statistics.mean([int(prep["bytes_A.cert"]) + int(prep["bytes_A.key"]),
                            int(prep["bytes_B.cert"]) + int(prep["bytes_B.key"])])
    out = {}
    for phase in ("devcred", "uboot", "flashcp"):
        p = load_phase(work, phase)
        n = int(p["updates"])
        chip = flash_log(work, phase)
        ft = ftrace_calls(p)
        erases = checks.equal(f"{phase}: blocks erased (flash chip log, ftrace do_erase_oneblock)",
                              chip["blocks_erased"], ft["chip_blocks_erased"])
        checks.equal(f"{phase}: chip-level writes (ftrace, word writes must be 0)",
                     ft["chip_word_writes"], 0)
        checks.equal(f"{phase}: direct mtd_write_oob calls (must be 0)",
                     ft["mtd_write_oob_direct_calls"], 0)
        entry = {"updates": n, "flash_chip": chip, "ftrace": ft}
        if phase == "devcred":
            drv_erases, drv_bytes = int(p["erases"]), int(p["bytes_written"])
            entry["driver_counters"] = {"erases": drv_erases, "bytes_written": drv_bytes}
            checks.equal("devcred: erases (chip log, ftrace mtd_erase calls, driver)",
                         erases, ft["mtd_erase_calls"], drv_erases)
            checks.equal("devcred: bytes programmed (chip log, driver)",
                         chip["bytes_programmed"], drv_bytes)
            checks.equal("devcred: one mtd_write per update (ftrace)", ft["mtd_write_calls"], n)
            checks.equal("devcred: last sequence number", int(p["sequence"]),
                         int(prep["sequence"]) + n)
        elif phase == "uboot":
            # Per update: the sector's image in one write() and the flag byte
            # (one word on the chip).
            checks.equal("uboot: bytes programmed (chip log, known sizes)",
                         chip["bytes_programmed"], n * (ERASE_SIZE + BANK_WIDTH))
            checks.equal("uboot: one erase per update", erases, n)
        else:
            # Images A and B alternate, A first; each programmed in whole words.
            words = [-(-int(prep[f"bytes_{p}.state"]) // BANK_WIDTH) for p in "AB"]
            checks.equal("flashcp: bytes programmed (chip log, image sizes in words)",
                         chip["bytes_programmed"],
                         ((n + 1) // 2 * words[0] + n // 2 * words[1]) * BANK_WIDTH)
        entry["erases_per_update"] = erases / n
        entry["bytes_per_update"] = chip["bytes_programmed"] / n
        entry["bytes_per_record_byte"] = chip["bytes_programmed"] / n / record
        out[phase] = entry
    out["record_bytes"] = record
    out["updated_credential_bytes"] = cred
    return out


def timings(work):
    a = load_phase(work, "attach")
    d = load_phase(work, "daemon")
    t = {"attach": {}, "records_per_block": int(a["records_per_block"]),
         "record_bytes_on_flash": int(a["record_bytes"])}
    for state in ("one", "block", "partition"):
        attach, read = ints(a[f"attach_{state}_ns"]), ints(a[f"read_{state}_ns"])
        load = ints(a[f"store_load_{state}_ns"])
        t["attach"][state] = {
            "records": int(a["records_" + state]),
            "attach_ms": median_ms(a[f"attach_{state}_ns"]),
            "bind_only_ms": median_ms(a[f"bind_{state}_ns"]),
            "store_load_ms": median_ms(a[f"store_load_{state}_ns"]),
            "read_partition_ms": median_ms(a[f"read_{state}_ns"]),
            "runs": len(attach),
            "ratio_95ci": ratio_ci([attach], [read]),
            "store_load_ratio_95ci": ratio_ci([load], [read]),
        }
    erase, cp = median_ms(d["install_flash_erase_ns"]), median_ms(d["install_flashcp_ns"])
    install_ci = ratio_ci([ints(d["install_credctl_ns"])],
                          [ints(d["install_flash_erase_ns"]), ints(d["install_flashcp_ns"])])
    t["install"] = {
        "credctl_ms": median_ms(d["install_credctl_ns"]),
        "flash_erase_ms": erase, "flashcp_ms": cp, "baseline_ms": erase + cp,
        "credctl_help_ms": median_ms(d["credctl_help_ns"]),
        "credctl_list_ms": median_ms(d["credctl_list_ns"]),
        "runs": len(ints(d["install_credctl_ns"])),
        "ratio_95ci": install_ci,
        "erases": int(d["install_erases"]),
        "bytes_programmed_per_install": int(d["install_bytes"]) / int(d["install_count"]),
    }
    td, tt = ints(d["tls_devcred_ns"]), ints(d["tls_tmpfs_ns"])
    # Rates from the median handshake; their ratio is the inverse of the times'.
    lo, hi = ratio_ci([tt], [td])
    t["tls"] = {"devcred_per_s": 1e9 / statistics.median(td),
                "tmpfs_per_s": 1e9 / statistics.median(tt),
                "handshakes_each": len(td), "ratio_95ci": [lo, hi]}
    t["csr"] = {}
    for kind in ("ec-p256", "rsa2048"):
        c, o = ints(d[f"csr_{kind}_credctl_ns"]), ints(d[f"csr_{kind}_openssl_ns"])
        t["csr"][kind] = {"credctl_ms": median_ms(d[f"csr_{kind}_credctl_ns"]),
                          "openssl_ms": median_ms(d[f"csr_{kind}_openssl_ns"]),
                          "credctl_mean_ms": statistics.mean(c) / 1e6,
                          "openssl_mean_ms": statistics.mean(o) / 1e6,
                          "runs": len(c), "ratio_95ci": ratio_ci([c], [o])}
    return t


def metric(mid, title, value, baselines, target, passed, note, **extra):
    m = {"id": mid, "metric": title, "devcred": value, "baselines": baselines,
         "target": target, "result": "pass" if passed else "miss", "note": note}
    m.update(extra)
    if "ratio_95ci" in m:
        # A ratio whose interval holds the target's bound could land on
        # either side of it in another run: say so.
        bound = float(target.split()[1].rstrip("x"))
        lo, hi = m["ratio_95ci"]
        m["conclusive"] = not lo <= bound <= hi
    return m


def metrics(c, t):
    uboot, fcp, dev = c["uboot"], c["flashcp"], c["devcred"]
    out = []
    e = dev["erases_per_update"]
    out.append(metric(
        "erases_per_update", f"erases per platform-credential update ({dev['updates']} updates)",
        r3(e), {"U-Boot env (redundant, 1 sector)": r3(uboot["erases_per_update"]),
                "flash_erase + flashcp": r3(fcp["erases_per_update"])},
        "<= 0.25", e <= 0.25,
        "devcred appends a record to the current block and erases only when a block is full"))
    b = dev["bytes_per_record_byte"]
    out.append(metric(
        "bytes_per_record_byte", "bytes programmed per byte of record", r3(b),
        {"U-Boot env (redundant, 1 sector)": r3(uboot["bytes_per_record_byte"]),
         "flash_erase + flashcp": r3(fcp["bytes_per_record_byte"])},
        "<= 1.1", b <= 1.1,
        f"record = the credential bytes the store holds ({c['record_bytes']:.0f}: builtin and "
        f"platform1 certificate and key, as devcredd stores them); devcred programs "
        f"{dev['bytes_per_update']:.0f} bytes per update: the record's header, slot table "
        f"and alignment add {dev['bytes_per_update'] - c['record_bytes']:.0f}",
        per_updated_credential_byte=r3(dev["bytes_per_update"] / c["updated_credential_bytes"])))
    for state, label in (("one", "1 record"), ("block", "a full block of records")):
        a = t["attach"][state]
        ratio = a["attach_ms"] / a["read_partition_ms"]
        out.append(metric(
            f"attach_{state}", f"attach, module load to store ready, {label} ({a['records']})",
            f"{a['attach_ms']:.2f} ms",
            {"cat /dev/mtdN (1 MiB)": f"{a['read_partition_ms']:.2f} ms"},
            "<= 0.5x", ratio <= 0.5,
            f"of which the store's own load (scan, read and check the record; function "
            f"tracer): {a['store_load_ms']:.2f} ms "
            f"({a['store_load_ms'] / a['read_partition_ms']:.2f}x); the driver bound again "
            f"without loading the module: {a['bind_only_ms']:.2f} ms "
            f"({a['bind_only_ms'] / a['read_partition_ms']:.2f}x)",
            ratio=r3(ratio), ratio_95ci=a["ratio_95ci"]))
    i = t["install"]
    ratio = i["credctl_ms"] / i["baseline_ms"]
    out.append(metric(
        "install", "credctl install end to end", f"{i['credctl_ms']:.1f} ms",
        {"flash_erase + flashcp, same bytes": f"{i['baseline_ms']:.1f} ms"},
        "<= 1.0x", ratio <= 1.0,
        f"credctl --help alone: {i['credctl_help_ms']:.1f} ms, credctl list: "
        f"{i['credctl_list_ms']:.1f} ms; {i['bytes_programmed_per_install']:.0f} bytes "
        f"programmed and {i['erases']} erases over {i['runs']} installs",
        ratio=r3(ratio), ratio_95ci=i["ratio_95ci"]))
    s = t["tls"]
    ratio = s["devcred_per_s"] / s["tmpfs_per_s"]
    out.append(metric(
        "mtls", "mutual-TLS handshakes per second, /run/devcred files",
        f"{s['devcred_per_s']:.2f}/s", {"same PEM files on tmpfs": f"{s['tmpfs_per_s']:.2f}/s"},
        ">= 0.95x", ratio >= 0.95,
        f"rates from the median of {s['handshakes_each']} handshakes each, interleaved "
        f"one by one; each handshake loads the files anew",
        ratio=r3(ratio), ratio_95ci=s["ratio_95ci"]))
    for kind in ("ec-p256", "rsa2048"):
        k = t["csr"][kind]
        ratio = k["credctl_ms"] / k["openssl_ms"]
        out.append(metric(
            f"csr_{kind}", f"credctl csr --key {kind}", f"{k['credctl_ms']:.0f} ms",
            {"openssl req -new -newkey": f"{k['openssl_ms']:.0f} ms"},
            "<= 1.0x", ratio <= 1.0,
            f"median of {k['runs']} runs each, alternating; means {k['credctl_mean_ms']:.0f} "
            f"and {k['openssl_mean_ms']:.0f} ms",
            ratio=r3(ratio), ratio_95ci=k["ratio_95ci"]))
    return out


def table(ms):
    rows = ["| metric | devcred | baseline | devcred/baseline (95% CI) | target | result |",
            "| --- | --- | --- | --- | --- | --- |"]
    for m in ms:
        base = "; ".join(f"{k}: {v}" for k, v in m["baselines"].items())
        ratio = m.get("ratio", "")
        if "ratio_95ci" in m:
            ratio = f"{ratio} ({m['ratio_95ci'][0]}-{m['ratio_95ci'][1]})"
        result = m["result"] if m.get("conclusive", True) else m["result"] + " (within noise)"
        rows.append(f"| {m['metric']} | {m['devcred']} | {base} | {ratio} | {m['target']} "
                    f"| {result} |")
    return "\n".join(rows)


def rounded(x):
    """Floats to 3 decimals, so that the committed JSON reads and diffs well."""
    if isinstance(x, float):
        return round(x, 3)
    if isinstance(x, dict):
        return {k: rounded(v) for k, v in x.items()}
    if isinstance(x, list):
        return [rounded(v) for v in x]
    return x


def qemu_version():
    try:
        out = subprocess.run(["qemu-system-aarch64", "--version"], capture_output=True,
                             text=True, check=True).stdout
        return out.splitlines()[0]
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


METHOD = {
    "counts": "Each method runs in its own boot of the board, so that the flash chip's log "
              "(QEMU's pflash trace events, scripts/vm --trace-flash) holds its operations "
              "only. Blocks erased and bytes programmed come from that log; ftrace's function "
              "profiler counts mtd_erase/mtd_write calls and the CFI driver's per-block erases "
              "in the guest; devcred's own counters (DEVCRED_IOC_INFO) are checked against "
              "both. devcred: N updates of platform1 through DEVCRED_IOC_WRITE (what devcredd "
              "issues for credctl install), alternating two RSA-2048 credentials. U-Boot env: "
              "a redundant environment of one 256 KiB sector per copy; each save erases the "
              "other sector, writes it whole and programs the old copy's flag byte. "
              "flash_erase + flashcp: the whole partition erased, then flashcp of the "
              "credential bytes (flashcp erases the block it writes again).",
    "timings": "Medians of repeated runs in one boot, each run timed in the guest with "
               "CLOCK_MONOTONIC around the operation (bench/devcred_bench). Attach: "
               "finit_module of devcred.ko until /dev/devcred answers DEVCRED_IOC_INFO, "
               "against reading the 1 MiB partition through /dev/mtdN in 64 KiB reads; bind "
               "alone: the loaded driver unbound and bound again; the store's own load from "
               "function-tracer timestamps (devcred_store_load to misc_register). install: "
               "credctl install with devcredd against flash_erase and flashcp of the same "
               "bytes, alternating, each timed as a command; the baseline writes a scratch "
               "partition of the same size on the same chip. mTLS: handshakes against openssl s_server -Verify -rev on "
               "127.0.0.1 in the guest, alternating the credential files one handshake at a "
               "time. csr: credctl csr against openssl req -new -newkey -nodes, alternating.",
}


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: report.py WORK RESULTS.json")
    work, results = sys.argv[1:]
    checks = Checks()
    c = counts(work, checks)
    t = timings(work)
    ms = metrics(c, t)
    prep = load_phase(work, "prep")
    doc = {
        "board": {"machine": "QEMU arm64 virt, TCG, CFI flash (256 KiB blocks), "
                             f"{prep['cpus']} vCPUs",
                  "kernel": prep["kernel"], "qemu": qemu_version(),
                  "date": datetime.date.today().isoformat()},
        "metrics": ms,
        "counts": c,
        "timings": t,
        "cross_checks": {"passed": not checks.failed, "failed": checks.failed},
        "method": METHOD,
    }
    with open(results, "w") as f:
        json.dump(rounded(doc), f, indent=1)
        f.write("\n")
    print(table(ms))
    misses = [m["id"] for m in ms if m["result"] == "miss"]
    print(f"\n{len(ms) - len(misses)} targets met, {len(misses)} missed"
          + (f" ({', '.join(misses)})" if misses else ""))
    if checks.failed:
        print("cross-checks FAILED (the counts disagree):", file=sys.stderr)
        for f in checks.failed:
            print("  " + f, file=sys.stderr)
        return 1
    print("cross-checks: flash chip log, ftrace and devcred's counters agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""report.py WORK RESULTS.json: the figures of one `make bench` run.

Reads what bench/guest.sh left in WORK/share/out/NAME.txt and the flash
chip's own log of each counting boot (WORK/trace-NAME.log, scripts/vm
--trace-flash), checks that the independent counts agree, writes
RESULTS.json and prints the table. Exits 1 when a cross-check fails (the
figures cannot be trusted), 0 otherwise, targets met or not.

Three boards are reported:
  CFI     QEMU's virt CFI flash as it is: reads at memory speed, erases and
          programs free. Timings measured there are the CPU's part only.
  NOR     the same runs priced by a NOR model: the CPU time measured on the
          CFI board plus what the board's flash operations, counted, take
          on the part the board emulates (NOR_MODEL). Targets are judged on
          it, not on the CFI figures.
  NAND    nandsim waiting as an SLC NAND part does (scripts/vm --nand-timing,
          NAND_TIMING): measured.

Adding a row: write a function taking the run (Run) and returning a metric
(or a list of them) made with count_metric() or time_metric(), and mark it
@row. The table lists rows in the order their functions are defined. The
phase it reads (bench/guest.sh, scripts/bench) must be part of every run.
"""
import datetime
import json
import os
import random
import re
import statistics
import subprocess
import sys

# virt's CFI flash: two x16 chips side by side on a 32-bit bank, so a block
# of the bank (256 KiB) is a 128 KiB block of each chip, erased together.
ERASE_SIZE = 256 << 10
# QEMU's virt board builds its flash banks 4 bytes wide: one program word.
BANK_WIDTH = 4
FLASH = "virt.flash1"  # the bank scripts/vm gives the board's flash file

# The part QEMU's virt flash identifies as (manufacturer 89h, device 18h)
# and the typical times of its datasheet, for two chips side by side.
NOR_MODEL = {
    "part": "Intel StrataFlash Memory (J3) 28F128J3, x16; two side by side on the 32-bit bank",
    "source": "Intel StrataFlash Memory (J3) datasheet, order number 290667: AC read "
              "characteristics (128 Mbit: 120 ns initial access, 25 ns asynchronous page-mode "
              "access, 4-word pages) and 'Block Erase, Program, and Lock-Bit Configuration "
              "Performance' (typical: 218 us to program a 32-byte write buffer, 1.0 s to "
              "erase a 128 KiB block)",
    "block_erase_s": 1.0,
    "buffer_program_s": 218e-6,
    "buffer_bytes": 2 * 32,
    "page_read_s": 120e-9 + 3 * 25e-9,
    "page_bytes": 2 * 4 * 2,
}

# What scripts/vm --nand-timing mt29f1g08abaea gives nandsim.
NAND_TIMING = {
    "part": "Micron MT29F1G08ABAEA (1 Gbit SLC, x8, 3.3 V): 2 KiB pages, 128 KiB blocks",
    "source": "Micron MT29F1G08ABAEA datasheet, Features: tRC/tWC 20 ns (3.3 V), read page "
              "(tR) 25 us, program page (tPROG) 200 us typical, erase block (tBERS) 700 us "
              "typical",
    "nandsim": "do_delays=1 access_delay=25 programm_delay=200 erase_delay=1 input_cycle=20 "
               "output_cycle=20 (erase_delay counts whole milliseconds: 700 us becomes 1 ms)",
    "geometry": "first_id_byte=0x20 second_id_byte=0xf1 fourth_id_byte=0x15 parts=8,8",
}


def ints(s):
    return [int(x) for x in s.split()]


def ms(ns):
    return statistics.median(ns) / 1e6


def r3(x):
    return round(x, 3)


def kib(n):
    return f"{n / 1024:.1f} KiB" if n < 1 << 20 else f"{n / (1 << 20):.2f} MiB"


def iqr_pct(samples):
    """The noise of a set of runs: its interquartile range in percent of
    its median."""
    q1, q2, q3 = statistics.quantiles(samples, n=4)
    return round((q3 - q1) / q2 * 100, 1)


def run_totals(steps):
    """Per run, the sum of its steps' samples (a step of one sample, a
    priced constant, is added to every run)."""
    n = max(len(s) for s in steps)
    return [sum(s[i] if len(s) > 1 else s[0] for s in steps) for i in range(n)]


def ratio_ci(num, den, rounds=2000):
    """95% bootstrap interval of sum(medians of num) / sum(medians of den),
    each a list of sample lists: how far the ratio could move with other
    draws of the same noise. Seeded, so that a run's figures are stable."""
    rng = random.Random(8)

    def resampled(sets):
        return sum(statistics.median(rng.choices(s, k=len(s))) for s in sets)

    ratios = sorted(resampled(num) / resampled(den) for _ in range(rounds))
    return [r3(ratios[int(0.025 * rounds)]), r3(ratios[int(0.975 * rounds) - 1])]


class Run:
    """The files of one run: each phase's key=value figures, loaded once."""

    def __init__(self, work):
        self.work = work
        self.failed = []
        self._phases = {}

    def phase(self, name):
        if name not in self._phases:
            values = {}
            path = os.path.join(self.work, "share", "out", name + ".txt")
            try:
                with open(path) as f:
                    for line in f:
                        key, _, value = line.rstrip("\n").partition("=")
                        values[key] = value
            except OSError:
                sys.exit(f"report.py: no figures of phase {name} ({path}): run it")
            if values.get("done") != "1":
                sys.exit(f"report.py: phase {name} did not finish")
            self._phases[name] = values
        return self._phases[name]

    def equal(self, what, *values):
        """A cross-check: the independent counts must agree."""
        if len(set(values)) != 1:
            self.failed.append(f"{what}: {values}")
        return values[0]


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


def kprobe_counts(p, prefix):
    """What kprobe events on the MTD entry points counted (guest.sh
    count_stop): a partition's reads, programs and erases with their
    lengths, the bytes the CFI chips delivered and NAND pages read."""
    return {
        "bytes_read": int(p[prefix + "_read_bytes"]),
        "read_calls": int(p[prefix + "_read_calls"]),
        "bytes_programmed": int(p[prefix + "_program_bytes"]),
        "bytes_erased": int(p[prefix + "_erase_bytes"]),
        "chip_bytes_read": int(p[prefix + "_chip_read_bytes"]),
        "nand_pages_read": int(p[prefix + "_nand_pages_read"]),
    }


def nor_price_s(k, erases=None):
    """Seconds the NOR model's chips take for what kprobe_counts() counted;
    @erases (blocks) instead of the counted ones when given."""
    m = NOR_MODEL
    if erases is None:
        erases = k["bytes_erased"] / ERASE_SIZE
    return (erases * m["block_erase_s"]
            + k["bytes_programmed"] / m["buffer_bytes"] * m["buffer_program_s"]
            + k["bytes_read"] / m["page_bytes"] * m["page_read_s"])


def counts(run):
    """Erases, bytes programmed and bytes read per update by each method,
    from three sources that must agree: the flash chip's log, ftrace's
    function profiler and kprobe events (and devcred's own counters)."""
    prep = run.phase("prep")
    record = statistics.mean([int(prep["bytes_A.state"]), int(prep["bytes_B.state"])])
    cred = statistics.mean([int(prep["bytes_A.cert"]) + int(prep["bytes_A.key"]),
                            int(prep["bytes_B.cert"]) + int(prep["bytes_B.key"])])
    out = {}
    for phase in ("devcred", "uboot", "flashcp"):
        p = run.phase(phase)
        n = int(p["updates"])
        chip = flash_log(run.work, phase)
        ft = ftrace_calls(p)
        kp = kprobe_counts(p, "kprobe")
        erases = run.equal(f"{phase}: blocks erased (flash chip log, ftrace do_erase_oneblock, "
                           f"kprobe mtd_erase lengths)", chip["blocks_erased"],
                           ft["chip_blocks_erased"], kp["bytes_erased"] // ERASE_SIZE)
        run.equal(f"{phase}: chip-level writes (ftrace, word writes must be 0)",
                  ft["chip_word_writes"], 0)
        run.equal(f"{phase}: direct mtd_write_oob calls (must be 0)",
                  ft["mtd_write_oob_direct_calls"], 0)
        entry = {"updates": n, "flash_chip": chip, "ftrace": ft, "kprobe": kp}
        if phase == "devcred":
            drv_erases, drv_bytes = int(p["erases"]), int(p["bytes_written"])
            entry["driver_counters"] = {"erases": drv_erases, "bytes_written": drv_bytes}
            run.equal("devcred: erases (chip log, ftrace mtd_erase calls, driver)",
                      erases, ft["mtd_erase_calls"], drv_erases)
            run.equal("devcred: bytes programmed (chip log, kprobe mtd_write_oob, driver)",
                      chip["bytes_programmed"], kp["bytes_programmed"], drv_bytes)
            run.equal("devcred: one mtd_write per update (ftrace)", ft["mtd_write_calls"], n)
            run.equal("devcred: last sequence number", int(p["sequence"]),
                      int(prep["sequence"]) + n)
        elif phase == "uboot":
            # Per update: the sector's image in one write() and the flag byte
            # (one word on the chip).
            run.equal("uboot: bytes programmed (chip log, known sizes)",
                      chip["bytes_programmed"], n * (ERASE_SIZE + BANK_WIDTH))
            run.equal("uboot: bytes programmed (kprobe mtd_write_oob, known sizes)",
                      kp["bytes_programmed"], n * (ERASE_SIZE + 1))
            run.equal("uboot: one erase per update", erases, n)
        else:
            # Images A and B alternate, A first; each programmed in whole words.
            size = [int(prep[f"bytes_{p}.state"]) for p in "AB"]
            words = [-(-b // BANK_WIDTH) for b in size]
            run.equal("flashcp: bytes programmed (chip log, image sizes in words)",
                      chip["bytes_programmed"],
                      ((n + 1) // 2 * words[0] + n // 2 * words[1]) * BANK_WIDTH)
            run.equal("flashcp: bytes programmed (kprobe mtd_write_oob, image sizes)",
                      kp["bytes_programmed"], (n + 1) // 2 * size[0] + n // 2 * size[1])
        run.equal(f"{phase}: bytes read (kprobe: the partition's reads, the CFI chips' reads)",
                  kp["bytes_read"], kp["chip_bytes_read"])
        entry["erases_per_update"] = erases / n
        entry["bytes_per_update"] = chip["bytes_programmed"] / n
        entry["bytes_read_per_update"] = kp["bytes_read"] / n
        entry["bytes_per_record_byte"] = chip["bytes_programmed"] / n / record
        out[phase] = entry
    out["record_bytes"] = record
    out["updated_credential_bytes"] = cred
    return out


# Each @row function, in order, makes the table's rows.
ROWS = []


def row(fn):
    ROWS.append(fn)
    return fn


def count_metric(mid, title, value, baselines, target, passed, note, **extra):
    """A row of counts: @target like "<= 0.25", judged by @passed."""
    m = {"id": mid, "metric": title, "devcred": value, "baselines": baselines,
         "target": target, "result": "pass" if passed else "miss", "note": note}
    m.update(extra)
    return m


def time_metric(mid, title, devcred, baselines, target, note, devcred_detail="",
                judged_by=None, **extra):
    """A row comparing run times, each a list of samples in nanoseconds.

    @devcred is one list; @baselines maps each baseline's label to a tuple
    (list of sample lists, one per step, summed; detail shown beside its
    time). The ratio is devcred's median over the baseline's summed medians,
    with a bootstrap 95% interval. @target like "<= 0.5x", or None when
    another row (@judged_by) is the one judged.
    """
    label, (steps, detail) = next(iter(baselines.items()))
    d, b = ms(devcred), sum(ms(s) for s in steps)
    ratio = d / b
    m = {"id": mid, "metric": title,
         "devcred": f"{d:.2f} ms" + (f", {devcred_detail}" if devcred_detail else ""),
         "baselines": {k: f"{sum(ms(s) for s in v[0]):.2f} ms" + (f", {v[1]}" if v[1] else "")
                       for k, v in baselines.items()},
         "target": target, "note": note, "ratio": r3(ratio),
         "ratio_95ci": ratio_ci([devcred], steps), "runs": len(devcred),
         "noise_iqr_pct": {"devcred": iqr_pct(devcred), "baseline": iqr_pct(run_totals(steps))}}
    m.update(extra)
    judge(m, ratio, judged_by)
    return m


def judge(m, ratio, judged_by=None):
    """Sets the result of a ratio row against its target ("<= 0.5x")."""
    if m["target"] is None:
        m["result"] = "not judged"
        m["judged_by"] = judged_by
        return
    op, bound = m["target"].split()
    bound = float(bound.rstrip("x"))
    m["result"] = "pass" if (ratio <= bound if op == "<=" else ratio >= bound) else "miss"
    # A ratio whose interval holds the target's bound could land on either
    # side of it in another run: say so.
    lo, hi = m["ratio_95ci"]
    m["conclusive"] = not lo <= bound <= hi


def priced(samples, seconds):
    """Samples measured on the CFI board with the NOR model's flash time added."""
    return [s + round(seconds * 1e9) for s in samples]


@row
def erases_per_update(run):
    c = run.counts
    uboot, fcp, dev = c["uboot"], c["flashcp"], c["devcred"]
    e = dev["erases_per_update"]
    return count_metric(
        "erases_per_update", f"erases per platform-credential update ({dev['updates']} updates)",
        r3(e), {"U-Boot env (redundant, 1 sector)": r3(uboot["erases_per_update"]),
                "flash_erase + flashcp": r3(fcp["erases_per_update"])},
        "<= 0.25", e <= 0.25,
        "devcred appends a record to the current block and erases only when a block is full")


@row
def bytes_per_record_byte(run):
    c = run.counts
    uboot, fcp, dev = c["uboot"], c["flashcp"], c["devcred"]
    b = dev["bytes_per_record_byte"]
    return count_metric(
        "bytes_per_record_byte", "bytes programmed per byte of record", r3(b),
        {"U-Boot env (redundant, 1 sector)": r3(uboot["bytes_per_record_byte"]),
         "flash_erase + flashcp": r3(fcp["bytes_per_record_byte"])},
        "<= 1.1", b <= 1.1,
        f"record = the credential bytes the store holds ({c['record_bytes']:.0f}: builtin and "
        f"platform1 certificate and key, as devcredd stores them); devcred programs "
        f"{dev['bytes_per_update']:.0f} bytes per update: the record's header, slot table "
        f"and alignment add {dev['bytes_per_update'] - c['record_bytes']:.0f}",
        per_updated_credential_byte=r3(dev["bytes_per_update"] / c["updated_credential_bytes"]))


STATES = (("one", "1 record"), ("block", "a full block of records"),
          ("partition", "every block full"))


def attach_rows(run, board, phase):
    """Module load to store ready, and bind alone where the store is bound
    through the device tree, against reading the partition, per store state,
    with the bytes each reads beside its time."""
    a = run.phase(phase)
    rows = []
    for state, label in STATES:
        att, rd = ints(a[f"attach_{state}_ns"]), ints(a[f"read_{state}_ns"])
        load = ints(a[f"store_load_{state}_ns"])
        ka = kprobe_counts(a, f"count_attach_{state}")
        kr = kprobe_counts(a, f"count_read_{state}")
        init = ints(a[f"init_{state}_ns"])
        kinds = [("attach", "attach, module load to store ready", att)]
        if f"bind_{state}_ns" in a:
            bind = ints(a[f"bind_{state}_ns"])
            kinds.append(("bind", "attach, driver bound again without a module load", bind))
        else:
            # No driver to bind again (mtd=): the module's init binds the store.
            bind = init
            kinds.append(("bind", "attach without a module load (mtd=: the module's init "
                          "to store ready)", bind))
        if board == "NAND":
            # The page reads a NAND read costs, however few bytes it wants.
            run.equal(f"{phase}: whole pages read for the partition (nandsim, {state})",
                      kr["nand_pages_read"] * int(a["write_size"]), kr["bytes_read"])
            read_detail = f"{kib(kr['bytes_read'])} read"
            dev_detail = f"{kib(ka['bytes_read'])} read ({ka['nand_pages_read']} pages)"
            extra_s = (0, 0)
        else:
            run.equal(f"{phase}: bytes read (the partition's reads, the CFI chips' reads, "
                      f"{state})", ka["bytes_read"], ka["chip_bytes_read"])
            read_detail = f"{kib(kr['bytes_read'])} read"
            dev_detail = f"{kib(ka['bytes_read'])} read"
            extra_s = (nor_price_s(ka), nor_price_s(kr)) if board == "NOR" else (0, 0)
        for kind, title, samples in kinds:
            if kind == "bind" and state == "one":
                continue
            trace = {}
            if kind == "attach" and state == "partition":
                trace = {"where_the_time_goes": attach_trace(run, phase)}
            base = {"cat /dev/mtdN (1 MiB)": ([priced(rd, extra_s[1])], read_detail)}
            note = (f"of which the store's own load (scan, read and check the record; function "
                    f"tracer, devcred_store_load to misc_register): {ms(load):.2f} ms "
                    f"({ms(load) / ms(rd):.2f}x the measured read)")
            judged_by = None
            target = "<= 0.5x"
            if board == "CFI":
                target, judged_by = None, f"nor_{kind}_{state}"
                note += "; QEMU's flash reads at memory speed: the CPU's part only"
            elif board == "NOR":
                note = (f"CPU time measured on the CFI board ({ms(samples):.2f} and "
                        f"{ms(rd):.2f} ms) plus the NOR model's reads: "
                        f"{nor_price_s(ka) * 1e3:.3f} and {nor_price_s(kr) * 1e3:.2f} ms")
            if kind == "attach":
                note += (f"; loading the module (attach less bind, measured): "
                         f"{ms(samples) - ms(bind):.2f} ms")
            if kind == "bind" and bind is not init:
                note += (f"; the module's init to store ready in the same runs (initcall_start "
                         f"event to DEVCRED_IOC_INFO, as on nandsim): {ms(init):.2f} ms")
            elif kind == "bind":
                cfi = run.phase("attach")
                note += (f"; from the initcall_start event of devcred_init (the module already "
                         f"read, relocated and linked) to DEVCRED_IOC_INFO answered, one clock; "
                         f"an upper bound of a bind: on the CFI board, same state, the init "
                         f"to store ready took {ms(ints(cfi[f'init_{state}_ns'])):.2f} ms and "
                         f"binding the driver again {ms(ints(cfi[f'bind_{state}_ns'])):.2f} ms")
            rows.append(time_metric(
                f"{board.lower()}_{kind}_{state}",
                f"{board}: {title}, {label} ({int(a['records_' + state])})",
                priced(samples, extra_s[0]), base, target, note,
                devcred_detail=dev_detail, judged_by=judged_by, board=board,
                bytes_read=ka["bytes_read"], baseline_bytes_read=kr["bytes_read"],
                store_load_ms=r3(ms(load)), init_to_ready_ms=r3(ms(init)), **trace))
    return rows


def attach_states(run):
    """Every store state each attach phase timed, the full partition too."""
    out = {}
    for board, phase in (("CFI", "attach"), ("NAND", "nand-attach")):
        a = run.phase(phase)
        states = {"record_bytes_on_flash": int(a["record_bytes"]),
                  "records_per_block": int(a["records_per_block"]),
                  "erase_size": int(a["erase_size"]), "blocks": int(a["blocks"])}
        for state in ("one", "block", "partition"):
            s = {"records": int(a["records_" + state])}
            for key in ("attach", "bind", "init", "store_load", "read"):
                if f"{key}_{state}_ns" in a:
                    s[key + "_ms"] = ms(ints(a[f"{key}_{state}_ns"]))
            s["attach_counts"] = kprobe_counts(a, f"count_attach_{state}")
            s["read_counts"] = kprobe_counts(a, f"count_read_{state}")
            states[state] = s
        out[board] = states
    return out


def install_row(run, board, phase):
    """credctl install end to end against flash_erase and the baseline's
    write of the same bytes (flashcp, nandwrite on NAND)."""
    d = run.phase(phase)
    writer = d["install_writer"]
    cred = ints(d["install_credctl_ns"])
    steps = [ints(d["install_flash_erase_ns"]), ints(d["install_write_ns"])]
    ki, kb = kprobe_counts(d, "count_install"), kprobe_counts(d, "count_baseline")
    n = int(d["install_count"])
    note = (f"credctl --help alone: {ms(ints(d['credctl_help_ns'])):.1f} ms, credctl list: "
            f"{ms(ints(d['credctl_list_ns'])):.1f} ms; one install programs "
            f"{ki['bytes_programmed']} bytes and reads {ki['bytes_read']}, the baseline "
            f"erases {kb['bytes_erased'] // int(d['scratch_erase_size'])} blocks, programs "
            f"{kb['bytes_programmed']} and reads {kb['bytes_read']}")
    target, judged_by = "<= 1.0x", None
    extra = {"board": board, "install": ki, "baseline": kb}
    if board == "CFI":
        target, judged_by = None, "nor_install"
        note += f"; {d['install_erases']} erases over {n} installs"
    elif board == "NOR":
        # devcred's erases amortized over many updates (a block per its
        # records), the baseline's as counted.
        e = run.counts["devcred"]["erases_per_update"]
        dev_s, base_s = nor_price_s(ki, erases=e), nor_price_s(kb)
        cred, steps = priced(cred, dev_s), steps + [[round(base_s * 1e9)]]
        note = (f"CPU time measured on the CFI board ({ms(ints(d['install_credctl_ns'])):.1f} "
                f"and {sum(ms(s) for s in steps[:2]):.1f} ms) plus the NOR model's flash "
                f"time: {dev_s * 1e3:.1f} ms (devcred: {e:.3f} erases per update, amortized "
                f"over {run.counts['devcred']['updates']} updates) and {base_s * 1e3:.0f} ms "
                f"({kb['bytes_erased'] // ERASE_SIZE} erases)")
        extra["nor_flash_ms"] = {"devcred": r3(dev_s * 1e3), "baseline": r3(base_s * 1e3)}
    extra["where_the_time_goes"] = install_trace(run, phase)
    return time_metric(
        f"{board.lower()}_install", f"{board}: credctl install end to end", cred,
        {f"flash_erase + {writer}, same bytes": (steps, "")}, target, note,
        judged_by=judged_by, **extra)


# Per board: attach rows, then the install row. The judged boards first.
@row
def nor(run):
    return attach_rows(run, "NOR", "attach") + [install_row(run, "NOR", "daemon")]


@row
def nand(run):
    return attach_rows(run, "NAND", "nand-attach") + [install_row(run, "NAND", "nand-install")]


@row
def cfi(run):
    return attach_rows(run, "CFI", "attach") + [install_row(run, "CFI", "daemon")]


def nor_ratio(cpu_ns, k, base_ns, kb, erases=None, base_erases=None):
    """The ratio of two runs measured on the CFI board with the NOR model's
    time for what each was counted doing added."""
    return r3((ms(cpu_ns) + nor_price_s(k, erases) * 1e3)
              / (ms(base_ns) + nor_price_s(kb, base_erases) * 1e3))


def kek_trace(run, phase):
    """Where DEVCRED_IOC_LOAD_KEK's time goes (guest.sh sealed_kek_trace):
    medians over the traced runs, in milliseconds."""
    spans = []
    for r in traced_runs(run, phase, f"{phase}-kek-trace.txt", ("bench: open", "bench: end")):
        ev = r["bench: open"]
        start = first(ev, "devcred_store_load_kek")
        find = first(ev, "devcred_kek_find", after=start or 0)
        trusted = first(ev, "trusted_read", after=find or 0)
        tfm = first(ev, "devcred_seal_tfm", after=trusted or 0)
        opened = first(ev, "devcred_open_key", after=tfm or 0)
        log = first(ev, "_printk", after=opened or 0)
        done = first(ev, "devcred_file_release", after=log or 0)
        points = [start, find, trusted, tfm, opened, log, done]
        if None in points:
            run.failed.append(f"{phase}: a traced DEVCRED_IOC_LOAD_KEK lacks a step: {points}")
            return {}
        labels = ("the ioctl until the key lookup",
                  "request_key of both kernel keys, the encrypted key's 32 bytes",
                  "the trusted key's blob read (one read) and its form checked",
                  "the gcm(aes) transform allocated and keyed, the trusted key's blob compared",
                  "the sealed keys decrypted and checked",
                  "the log line, the return to user space and close()")
        span = {w: (b - a) * 1e3 for w, a, b in zip(labels, points, points[1:])}
        span["keys opened"] = sum(1 for _, _, w in ev if w == "devcred_open_key")
        # A sealed key that opens proves the KEK: the encrypted key's blob,
        # which its type encrypts and MACs anew at each read, is not read.
        span["encrypted key blob reads"] = sum(1 for _, _, w in ev if w == "encrypted_read")
        span["total (under the function tracer)"] = (points[-1] - points[0]) * 1e3
        spans.append(span)
    return dict(median_spans(spans), runs=len(spans))


@row
def sealed(run):
    """Keys sealed to the TPM against the same store in clear, in one boot
    of each board (guest.sh sealed): attach with DEVCRED_IOC_LOAD_KEK,
    credctl install and the driver's DEVCRED_IOC_WRITE, each alternating
    with the same on the store in clear; and the TPM's unsealing at boot,
    reported alone (from the CFI board's boot)."""
    return sealed_rows(run, "CFI", "sealed") + sealed_rows(run, "NAND", "nand-sealed")


def sealed_attach_samples(s):
    """A sealed phase's attaches (guest.sh sealed_attach), in nanoseconds:
    with DEVCRED_IOC_LOAD_KEK, of the store in clear, the ioctl alone, and
    the sealed store's attach alone."""
    return (ints(s["attach_sealed_ns"]), ints(s["attach_clear_ns"]),
            ints(s["load_kek_ns"]), ints(s["attach_sealed_alone_ns"]))


def sealed_attach_cpu(run, board, phase, pre, title, records):
    """A reported row beside sealed_rows()' attach: the same attaches on a
    board whose clock counts instructions (guest.sh sealed with
    SEALED_ATTACH_ONLY=1, scripts/vm --cpu-model --smp 1)."""
    s = run.phase(phase)
    if s.get("cpu_model") != "1":
        run.failed.append(f"{phase}: the board's clock did not count instructions "
                          f"(scripts/vm --cpu-model)")
    if int(s["records"]) != records:
        run.failed.append(f"{phase}: its stores hold {s['records']} records, "
                          f"the timed boot's {records}: not comparable")
    att_s, att_c, kek, alone = sealed_attach_samples(s)
    m = time_metric(
        pre + "sealed_attach_cpu",
        f"{title}, CPU model (the guest's clock counts instructions): attach and "
        f"DEVCRED_IOC_LOAD_KEK, module load to keys open ({records} records)", att_s,
        {"attach of the same store in clear": ([att_c], "")}, None,
        f"the same setup and attaches as the row {pre}sealed_attach, on one processor "
        f"booted with QEMU -icount shift=0 (scripts/vm --cpu-model): a guest nanosecond is "
        f"an instruction executed (or real time while the processor idles), without what "
        f"TCG spends translating code and refilling its TLB, and without a cache or TLB "
        f"miss of a real processor; DEVCRED_IOC_LOAD_KEK alone {ms(kek):.3f} ms, the sealed "
        f"store's attach alone {ms(alone):.2f} ms",
        board=board, records=records, load_kek_ms=r3(ms(kek)),
        attach_alone_ms=r3(ms(alone)))
    m["result"] = "reported"
    del m["judged_by"]
    return m


def sealed_rows(run, board, phase):
    """The rows of sealed() for one board: the CFI board, whose flash reads
    at memory speed (the NOR model's reads added in the notes), or the
    nandsim board with the SLC part's timings."""
    s = run.phase(phase)
    cfi = board == "CFI"
    pre, title = ("", "keys sealed") if cfi else ("nand_", "NAND: keys sealed")
    att_s, att_c, kek, alone = sealed_attach_samples(s)
    alone_ratio, alone_ci = r3(ms(alone) / ms(att_c)), ratio_ci([alone], [att_c])
    ka, kc = kprobe_counts(s, "count_attach_sealed"), kprobe_counts(s, "count_attach_clear")
    records = int(s["records"])
    nor_attach = f"; with the NOR model's reads added: {nor_ratio(att_s, ka, att_c, kc)}x" if cfi else ""
    if s.get("cpu_model") == "1":
        run.failed.append(f"{phase}: timed on a board whose clock counts instructions")
    rows = [time_metric(
        pre + "sealed_attach",
        f"{title}: attach and DEVCRED_IOC_LOAD_KEK, module load to keys open ({records} "
        f"records)", att_s,
        {"attach of the same store in clear": ([att_c], f"{kib(kc['bytes_read'])} read")},
        "<= 1.1x",
        f"wall time under TCG; the kernel keys already in the keyring, as devcred-unseal "
        f"leaves them; DEVCRED_IOC_LOAD_KEK alone (find the keys, compare the trusted key's "
        f"blob, decrypt every sealed key: one that opens proves the KEK): {ms(kek):.2f} ms, "
        f"code run the first time since the module's load, cold under TCG; the sealed "
        f"store's attach alone, without the ioctl: {ms(alone):.2f} ms, {alone_ratio}x "
        f"({alone_ci[0]}-{alone_ci[1]}){nor_attach}",
        devcred_detail=f"{kib(ka['bytes_read'])} read", board=board, records=records,
        load_kek_ms=r3(ms(kek)), attach_alone_ms=r3(ms(alone)), attach_alone_ratio=alone_ratio,
        attach_alone_ratio_95ci=alone_ci, where_the_time_goes=kek_trace(run, phase),
        bytes_read=ka["bytes_read"], baseline_bytes_read=kc["bytes_read"],
        **({"nor_model_ratio": nor_ratio(att_s, ka, att_c, kc)} if cfi else {}))]
    rows.append(sealed_attach_cpu(run, board, phase + "-cpu", pre, title, records))

    ins_s, ins_c = ints(s["install_sealed_ns"]), ints(s["install_clear_ns"])
    ks, kcl = kprobe_counts(s, "count_install_sealed"), kprobe_counts(s, "count_install_clear")
    # Erases amortized: a block takes as many records as fit.
    es, ec = ks["bytes_programmed"] / ERASE_SIZE, kcl["bytes_programmed"] / ERASE_SIZE
    nor_install = nor_ratio(ins_s, ks, ins_c, kcl, es, ec)
    nor_note = (f"; with the NOR model's flash time added (erases amortized over a block's "
                f"records): {nor_install}x") if cfi else ""
    rows.append(time_metric(
        pre + "sealed_install", f"{title}: credctl install end to end, key-encryption key loaded",
        ins_s, {"the same install on the store in clear": ([ins_c], "")}, "<= 1.1x",
        f"one install programs {ks['bytes_programmed']} bytes sealed and "
        f"{kcl['bytes_programmed']} in clear (the record with the key sealed and both kernel "
        f"keys' blobs){nor_note}",
        board=board, install=ks, baseline=kcl,
        **({"nor_model_ratio": nor_install} if cfi else {})))

    w_s, w_c = ints(s["write_sealed_ns"]), ints(s["write_clear_ns"])
    rows.append(time_metric(
        pre + "sealed_write",
        f"{title}: DEVCRED_IOC_WRITE of platform1, the driver's part of an install",
        w_s, {"the same write to the store in clear": ([w_c], "")}, None,
        f"each run the mean of {s['writes_per_round']} writes in a row (pairs alternating), "
        f"no devcredd; the key sealed with AES-256-GCM before its record is built, a larger "
        f"record programmed",
        judged_by=pre + "sealed_install", board=board))
    if not cfi:
        return rows

    unseal, enc = ints(s["unseal_trusted_ns"]), ints(s["load_encrypted_ns"])
    rows.append({
        "id": "sealed_unseal_at_boot",
        "metric": "keys sealed: the TPM unsealing the trusted key at boot (add_key trusted "
                  "\"load BLOB\"), once per boot",
        "devcred": f"{ms(unseal):.2f} ms",
        "baselines": {"then the encrypted key (add_key encrypted \"load BLOB\")":
                      f"{ms(enc):.2f} ms",
                      "then DEVCRED_IOC_LOAD_KEK": f"{ms(kek):.2f} ms"},
        "target": None, "result": "reported",
        "note": f"median of {len(unseal)} loads of the store's blobs ({s['kmk_blob_bytes']} and "
                f"{s['kek_blob_bytes']} characters), each key invalidated after; the TPM is "
                f"swtpm on the host behind QEMU's TIS interface, polled: a TPM chip takes its "
                f"own time. Not part of any ratio: the boot pays it once, before devcredd. "
                f"The migration itself (DEVCRED_KEK_NEW on the store in clear, once in a "
                f"device's life: one sealed record, the blocks in clear erased): "
                f"{int(s['migration_ns']) / 1e6:.0f} ms",
        "runs": len(unseal),
        "unseal_trusted_ms": r3(ms(unseal)), "load_encrypted_ms": r3(ms(enc)),
        "load_kek_ms": r3(ms(kek)),
        "noise_iqr_pct": {"devcred": iqr_pct(unseal), "baseline": iqr_pct(enc)}})
    return rows


@row
def mtls(run):
    d = run.phase("daemon")
    td, tt = ints(d["tls_devcred_ns"]), ints(d["tls_tmpfs_ns"])
    # Rates from the median handshake; their ratio is the inverse of the times'.
    dev, tmp = 1e9 / statistics.median(td), 1e9 / statistics.median(tt)
    m = {"id": "mtls", "metric": "mutual-TLS handshakes per second, /run/devcred files",
         "devcred": f"{dev:.2f}/s", "baselines": {"same PEM files on tmpfs": f"{tmp:.2f}/s"},
         "target": ">= 0.95x",
         "note": f"rates from the median of {len(td)} handshakes each, interleaved one by one; "
                 f"each handshake loads the files anew",
         "ratio": r3(dev / tmp), "ratio_95ci": ratio_ci([tt], [td]),
         "noise_iqr_pct": {"devcred": iqr_pct(td), "baseline": iqr_pct(tt)}}
    judge(m, dev / tmp)
    return m


@row
def mtls_provider(run):
    d = run.phase("daemon")
    tp, tf = ints(d["tls_provider_ns"]), ints(d["tls_files_ns"])
    prov, files = 1e9 / statistics.median(tp), 1e9 / statistics.median(tf)
    m = {"id": "mtls_provider",
         "metric": "mutual-TLS handshakes per second, key through the devcred provider",
         "devcred": f"{prov:.2f}/s", "baselines": {"the same key from its file": f"{files:.2f}/s"},
         "target": ">= 0.8x",
         "note": f"rates from the median of {len(tp)} handshakes each, interleaved one by one; "
                 f"each opens devcred:op=provisioning anew (devcredd's credential answer, "
                 f"then its signature) or loads the files anew",
         "ratio": r3(prov / files), "ratio_95ci": ratio_ci([tf], [tp]),
         "noise_iqr_pct": {"devcred": iqr_pct(tp), "baseline": iqr_pct(tf)}}
    judge(m, prov / files)
    return m


@row
def web(run):
    """devcred-web's status page and API status, on a kept-alive connection
    against credctl status --json (the same status asked of devcredd by the
    command line), and with a new handshake each against openssl s_server
    -WWW serving the status page's bytes as a static file."""
    d = run.phase("daemon")
    cli = ints(d["web_cli_ns"])
    static = ints(d["web_static_new_ns"])
    cli_base = {f"credctl status --json, a process each ({d['web_cli_bytes']} bytes)":
                ([cli], "")}
    static_base = {f"openssl s_server -WWW, the page's bytes as a static file "
                   f"({d['web_static_new_bytes']} bytes), new handshake each": ([static], "")}
    key = "key through the devcred provider (--key-source provider)"
    rows = []
    for what, label, path in (("page", "status page", "GET /"),
                              ("api", "JSON API status", "GET /api/v1/status")):
        keep, new = ints(d[f"web_{what}_keep_ns"]), ints(d[f"web_{what}_new_ns"])
        size = d[f"web_{what}_keep_bytes"]
        rows.append(time_metric(
            f"web_{what}_keep", f"web UI: {label}, {path} on a kept-alive connection", keep,
            cli_base, "<= 1.0x",
            f"median of {len(keep)} requests each, round by round ({size} bytes); both ask "
            f"devcredd for its status; devcred-web's {key}",
            devcred_detail=f"{size} bytes"))
        m = time_metric(
            f"web_{what}_new", f"web UI: {label}, {path} with a new TLS handshake each", new,
            static_base, None,
            f"median of {len(new)} requests each, round by round, no session resumption; "
            f"devcred-web's {key} (an EC P-256 certificate), s_server's from its file; against "
            f"credctl status --json: {ms(new) / ms(cli):.2f}x",
            devcred_detail=f"{size} bytes")
        m["result"] = "reported"
        del m["judged_by"]
        rows.append(m)
    return rows


@row
def csr(run):
    d = run.phase("daemon")
    rows = []
    for kind in ("ec-p256", "rsa2048"):
        c, o = ints(d[f"csr_{kind}_credctl_ns"]), ints(d[f"csr_{kind}_openssl_ns"])
        m = time_metric(
            f"csr_{kind}", f"credctl csr --key {kind}", c,
            {"openssl req -new -newkey": ([o], "")}, "<= 1.0x",
            f"median of {len(c)} runs each, alternating; means {statistics.mean(c) / 1e6:.0f} "
            f"and {statistics.mean(o) / 1e6:.0f} ms")
        rows.append(m)
    return rows


def trace_events(path):
    """(seconds, process name, function or marker) of a function-tracer
    trace with trace_marker lines ("bench: NAME")."""
    events = []
    line_re = re.compile(r"^\s*(.+?)-(\d+)\s+\[\d+\]\s+\S+\s+([\d.]+):\s+(.*)$")
    with open(path) as f:
        for line in f:
            m = line_re.match(line)
            if not m:
                continue
            comm, _, t, what = m.groups()
            if what.startswith("tracing_mark_write: "):
                what = what[len("tracing_mark_write: "):]
            else:
                what = what.split(" <-")[0]
            events.append((float(t), comm, what))
    return events


def traced_runs(run, phase, path, marks):
    """The runs traced in @path, each bounded by the trace markers @marks:
    per marker, "MARK at" its time and MARK the events up to the next one."""
    runs, cur, key = [], None, None
    for t, comm, what in trace_events(os.path.join(run.work, "share", "out", path)):
        if what == marks[0]:
            cur = {}
            runs.append(cur)
        if cur is None:
            continue
        if what in marks:
            cur[what + " at"] = t
            cur[what] = []
            key = what
            if what == marks[-1]:
                cur = None
        else:
            cur[key].append((t, comm, what))
    runs = [r for r in runs if marks[-1] + " at" in r]
    if not runs:
        run.failed.append(f"{phase}: no complete run in {path}")
    return runs


def median_spans(spans):
    """Per label, the median over the runs of its span (milliseconds)."""
    labels = spans[0].keys() if spans else []
    return {k: r3(statistics.median(s[k] for s in spans)) for k in labels}


def first(events, what, comm=None, after=0.0):
    for t, c, w in events:
        if t >= after and w == what and comm in (None, c):
            return t
    return None


def attach_trace(run, phase):
    """Where a module load's time goes (guest.sh attach_trace), every block
    full: medians over the traced runs, in milliseconds."""
    labels = ("the kernel loads and links the module",
              "devcred's init until the store's first flash read",
              "the store's load: scan, read and check the record",
              "misc_register until /dev/devcred answers DEVCRED_IOC_INFO")
    spans = []
    for r in traced_runs(run, phase, phase + "-attach-trace.txt", ("bench: attach", "bench: end")):
        ev = r["bench: attach"]
        points = [first(ev, "__arm64_sys_finit_module"), first(ev, "do_one_initcall"),
                  first(ev, "mtd_read_oob"), first(ev, "misc_register")]
        points.append(first(ev, "devcred_ioctl", after=points[-1] or 0))
        if None in points:
            run.failed.append(f"{phase}: a traced attach lacks a step: {points}")
            return {}
        span = {w: (b - a) * 1e3 for w, a, b in zip(labels, points, points[1:])}
        span["total (under the function tracer)"] = (points[-1] - points[0]) * 1e3
        spans.append(span)
    return dict(median_spans(spans), runs=len(spans))


def install_trace(run, phase):
    """Where an install's and a baseline's time goes (guest.sh
    install_trace): medians over the traced runs of the spans between the
    points that mark each step, in milliseconds."""
    ins_spans, base_spans = [], []
    marks = ("bench: install", "bench: baseline", "bench: end")
    for r in traced_runs(run, phase, phase + "-trace.txt", marks):
        ins, base = r["bench: install"], r["bench: baseline"]
        start = r["bench: install at"]
        req = first(ins, "unix_stream_sendmsg", "credctl")
        write = first(ins, "mtd_write_oob", "devcredd")
        reply = first(ins, "unix_stream_sendmsg", "devcredd", write or 0)
        end = first(ins, "__arm64_sys_exit_group", "credctl")
        points = [("credctl started, read and sent the files", start, req),
                  ("devcredd decoded and checked them until the flash write", req, write),
                  ("the flash write and publishing to /run/devcred", write, reply),
                  ("credctl got the answer and exited", reply, end)]
        if None in (req, write, reply, end):
            run.failed.append(f"{phase}: a traced install lacks a step: {points}")
            return {}
        span = {what: (b - a) * 1e3 for what, a, b in points}
        span["total"] = (end - start) * 1e3
        ins_spans.append(span)
        span = {}
        for comm in ("flash_erase", "flashcp", "nandwrite"):
            ts = [t for t, c, w in base if c == comm]
            mtd = [t for t, c, w in base if c == comm and w.startswith("mtd_")]
            if ts and mtd:
                span[f"{comm}: start to its first MTD call"] = (min(mtd) - min(ts)) * 1e3
                span[f"{comm}: first MTD call to exit"] = (max(ts) - min(mtd)) * 1e3
        span["total"] = (r["bench: end at"] - r["bench: baseline at"]) * 1e3
        base_spans.append(span)
    return {"credctl install": median_spans(ins_spans), "baseline": median_spans(base_spans),
            "runs": len(ins_spans)}


def table(ms_):
    rows = ["| metric | devcred | baseline | devcred/baseline (95% CI) | noise: IQR, devcred / "
            "baseline | target | result |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    for m in ms_:
        base = "; ".join(f"{k}: {v}" for k, v in m["baselines"].items())
        ratio = m.get("ratio", "")
        if "ratio_95ci" in m:
            ratio = f"{ratio} ({m['ratio_95ci'][0]}-{m['ratio_95ci'][1]})"
        noise = ""
        if "noise_iqr_pct" in m:
            noise = f"{m['noise_iqr_pct']['devcred']}% / {m['noise_iqr_pct']['baseline']}%"
        result = m["result"]
        if not m.get("conclusive", True):
            result += " (within noise)"
        if m["result"] == "not judged":
            result = ("judged by the NOR model" if m["judged_by"].startswith("nor_")
                      else f"judged by the row {m['judged_by']}")
        elif m["result"] == "reported":
            result = "reported, no target"
        rows.append(f"| {m['metric']} | {m['devcred']} | {base} | {ratio} | {noise} | "
                    f"{m['target'] or '-'} | {result} |")
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
              "in the guest; kprobe events on mtd_read_oob, mtd_write_oob and mtd_erase record "
              "each call's length (bytes read are counted there, and by the CFI driver's "
              "reads); devcred's own counters (DEVCRED_IOC_INFO) are checked against all. "
              "devcred: N updates of platform1 through DEVCRED_IOC_WRITE (what devcredd "
              "issues for credctl install), alternating two RSA-2048 credentials. U-Boot env: "
              "a redundant environment of one 256 KiB sector per copy; each save erases the "
              "other sector, writes it whole and programs the old copy's flag byte. "
              "flash_erase + flashcp: the whole partition erased, then flashcp of the "
              "credential bytes (flashcp erases the block it writes again).",
    "timings": "Medians of repeated runs in one boot, each run timed in the guest with "
               "CLOCK_MONOTONIC around the operation (bench/devcred_bench). Attach: "
               "finit_module of devcred.ko until /dev/devcred answers DEVCRED_IOC_INFO, "
               "against reading the 1 MiB partition through /dev/mtdN in 64 KiB reads; bind "
               "alone: the loaded driver unbound and bound again (device tree); on "
               "nandsim, where the store is bound by its mtd= parameter and there is no "
               "driver to bind again, the module's init to store ready instead: from the "
               "initcall_start trace event of devcred_init (the module read, relocated and "
               "linked) to DEVCRED_IOC_INFO answered, both on CLOCK_MONOTONIC (trace_clock "
               "mono), in a module load of its own alternating with the others (taken on "
               "the CFI board too, beside the bind: init_ms); the store's own load from "
               "function-tracer timestamps (devcred_store_load to misc_register). The bytes each reads: one more attach "
               "and one more read, counted by kprobe events. install: credctl install with "
               "devcredd against flash_erase of a scratch partition of the same size on the "
               "same chip and flashcp (nandwrite -p on NAND) of the same bytes, alternating, "
               "each timed as a command; where their time goes: one more of each under the "
               "function tracer. mTLS: handshakes against openssl s_server -Verify -rev on "
               "127.0.0.1 in the guest, alternating the credential files one handshake at a "
               "time; through the devcred provider: devcred:op=provisioning against its "
               "files. web: devcred-web (its own user, the browser credential's key through "
               "the devcred provider) asked GET / and GET /api/v1/status with libcurl in the "
               "guest, over one kept-alive connection and with a new connection and full "
               "handshake each, against credctl status --json (the same status from devcredd, "
               "a process each) and openssl s_server -WWW serving the status page's bytes "
               "with the same certificate and key from files, round by round. "
               "csr: credctl csr against openssl req -new -newkey -nodes, alternating. "
               "Noise: each method's interquartile range over its runs, in percent of its "
               "median (noise_iqr_pct), beside the ratio's bootstrap 95% interval.",
    "sealed": "Keys sealed to the TPM (scripts/bench phase sealed), in one boot of the CFI "
              "board with its TPM (swtpm) and the scratch partition: prep's store copied "
              "whole to the scratch partition stays in clear; the same store on the store's "
              "partition is sealed (a trusted key made under the SRK 0x81000001, an encrypted "
              "key with it as master, DEVCRED_IOC_LOAD_KEK with DEVCRED_KEK_NEW) and given as "
              "many writes of platform1's last pair as the clear store has records more, so "
              "that both hold the same credentials (checked: certificates, keys and bindings "
              "read back equal) in as many records. The module binds one or the other by its "
              "mtd= parameter. In turn, which goes first rotating too: attach "
              "(finit_module until DEVCRED_IOC_INFO answers) then DEVCRED_IOC_LOAD_KEK, the "
              "kernel keys already in the session keyring, attach of the sealed store alone, "
              "and attach of the clear store; "
              "then per round on each store, devcredd stopped, the module bound again (and "
              "the KEK loaded), writes of platform1 through DEVCRED_IOC_WRITE timed together, "
              "devcredd started and credctl install timed as a command. Bytes read at attach "
              "and programmed by one install: one more of each, counted by kprobe events. "
              "The TPM's unsealing: the trusted key's and the encrypted key's blobs loaded "
              "again and again with add_key (\"load BLOB\"), each timed around the system "
              "call. The same again on the timed nandsim board (phase nand-sealed, rows "
              "nand_sealed_*), whose flash starts erased at each boot: prep's records (the "
              "built-in, platform1's two pairs, the provisioning binding) written again with "
              "DEVCRED_IOC_WRITE and DEVCRED_IOC_SET_BINDINGS on both partitions, the "
              "store's then sealed likewise. The phases sealed-cpu and nand-sealed-cpu boot "
              "the same boards with one processor and QEMU -icount shift=0 (scripts/vm "
              "--cpu-model: the guest's clock counts instructions, one nanosecond each, and "
              "real time only while the processor idles) and run the same setup and the "
              "attaches alone: rows *_cpu, reported beside the wall time, not judged (no "
              "cache or TLB misses, no TCG translation either).",
    "boards": "CFI: QEMU's virt flash, reads at memory speed, erases and programs at no "
              "cost: measured times are the CPU's part. NOR: the CFI runs priced, the CPU "
              "time measured there plus the model's time for the reads, programs and "
              "erases counted (the NOR_MODEL part); the targets are judged on these, not on "
              "the CFI figures. NAND: nandsim waiting as the NAND_TIMING part does "
              "(busy-waits in the guest for every page read, page program and block "
              "erase), measured.",
}


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: report.py WORK RESULTS.json")
    work, results = sys.argv[1:]
    run = Run(work)
    run.counts = counts(run)
    ms_ = []
    for fn in ROWS:
        got = fn(run)
        ms_.extend(got if isinstance(got, list) else [got])
    prep = run.phase("prep")
    doc = {
        "board": {"machine": "QEMU arm64 virt, TCG, CFI flash (256 KiB blocks), "
                             f"{prep['cpus']} vCPUs",
                  "kernel": prep["kernel"], "qemu": qemu_version(),
                  "date": datetime.date.today().isoformat(),
                  "nor_model": NOR_MODEL, "nand_timing": NAND_TIMING},
        "metrics": ms_,
        "counts": run.counts,
        "attach_states": attach_states(run),
        "cross_checks": {"passed": not run.failed, "failed": run.failed},
        "method": METHOD,
    }
    with open(results, "w") as f:
        json.dump(rounded(doc), f, indent=1)
        f.write("\n")
    print(table(ms_))
    judged = [m for m in ms_ if m["result"] not in ("not judged", "reported")]
    misses = [m["id"] for m in judged if m["result"] == "miss"]
    print(f"\n{len(judged) - len(misses)} targets met, {len(misses)} missed"
          + (f" ({', '.join(misses)})" if misses else ""))
    for m in ms_:
        if m["result"] == "miss" and m.get("where_the_time_goes"):
            print(f"{m['id']}, where the time goes (ms): "
                  + json.dumps(m["where_the_time_goes"]))
    if run.failed:
        print("cross-checks FAILED (counts that disagree, runs missing or not comparable):",
              file=sys.stderr)
        for f in run.failed:
            print("  " + f, file=sys.stderr)
        return 1
    print("cross-checks: flash chip log, ftrace, kprobes and devcred's counters agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())

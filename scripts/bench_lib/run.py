"""Driver for scripts/bench: generate cases, time segscore / peers / zlib floor, print one table."""
from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402
import peers  # noqa: E402

PY = sys.executable
SLOW_SECONDS = 60.0  # a tool whose first run takes longer is not repeated


# ----------------------------------------------------------------- process timing
TIMER = None  # scripts/bench_lib/timed_run.c, built by scripts/bench; set from --timer


def run_timed(cmd, timeout, mem_gib, pin=None, env=None, busy=None):
    """Run cmd under timed_run; return dict(ok, wall, cpu, rss_mib, out, err, reason).

    timed_run forks and execs the command itself and reports the kernel's accounting of it (wait4): wall time
    from fork to reaping, user+sys CPU in microseconds, peak RSS; pin is a CPU list (sched_setaffinity in the
    child, no taskset process). busy: a CPU to keep busy with a spinning process (pinned there) for the whole run:
    one core taken by a neighbour, as on a shared machine."""
    tf = tempfile.NamedTemporaryFile(prefix="bench-time-", delete=False)
    tf.close()
    limit = max(int(mem_gib * (1 << 30)), 0)
    full = [TIMER, tf.name, str(limit), "-" if pin is None else str(pin), "--", *cmd]
    spinner = None
    if busy is not None:
        spinner = subprocess.Popen(["taskset", "-c", str(busy), PY, "-c", "while True: pass"])
        time.sleep(0.2)  # let it start spinning before the timed run
    t0 = time.perf_counter()
    try:
        # No preexec hook: subprocess can then spawn without copying the interpreter (vfork/posix_spawn).
        p = subprocess.Popen(full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, env=env)
    except OSError as e:
        if spinner:
            spinner.kill()
        return dict(ok=False, reason=f"n/a: {e}")
    try:
        out, err = p.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        timed_out = True
    outer_wall = time.perf_counter() - t0
    if spinner:
        spinner.kill()
        spinner.wait()
    fields = open(tf.name, errors="replace").read().split()
    os.unlink(tf.name)
    res = dict(out=out.decode(errors="replace"), err=err.decode(errors="replace"), cmd=cmd)
    if len(fields) == 6:
        res["wall"] = int(fields[0]) / 1e9
        res["cpu"] = (int(fields[1]) + int(fields[2])) / 1e6
        res["rss_mib"] = int(fields[3]) / 1024
        sig = fields[5] if fields[4] == "signal" else None
        code = 128 + int(fields[5]) if sig else int(fields[5])
    else:  # killed before timed_run could report (timeout), or it could not start the command
        res.update(wall=outer_wall, cpu=None, rss_mib=None)
        sig = None
        code = p.returncode if p.returncode is not None else -1
    res["rc"] = code
    if timed_out:
        res.update(ok=False, reason=f"failed: timeout {timeout:.0f} s")
    elif code != 0 or sig:
        res.update(ok=False, reason=classify_failure(res["err"], code, sig))
    else:
        res["ok"] = True
    return res


OOM_PAT = re.compile(r"MemoryError|Unable to allocate|can't allocate memory|cannot allocate memory|bad_alloc|"
                     r"DefaultCPUAllocator|out of memory|std::bad_alloc", re.I)


def classify_failure(err, code, sig):
    lines = [l.strip() for l in err.strip().splitlines() if l.strip()]
    errs = [l for l in lines if "rror" in l]
    last = (errs[0] if errs else lines[-1])[:120] if lines else ""
    if OOM_PAT.search(err) or sig == "9":
        return "failed: OOM"
    if sig:
        return f"failed: signal {sig}"
    return f"failed: rc={code}: {last}" if last else f"failed: rc={code}"


# ----------------------------------------------------------------- helpers
def fmt_s(x):
    if x is None:
        return "–"
    return f"{x:.3f} s" if x < 10 else f"{x:.1f} s"


def fmt_mib(x):
    if x is None:
        return "–"
    return f"{x:.0f} MiB" if x < 10240 else f"{x / 1024:.1f} GiB"


def fmt_ratio(x):
    return "–" if x is None else f"{x:.2f}×"


def machine_info():
    cpu = platform.processor() or ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / (1 << 20):.0f} GiB"
    except OSError:
        pass
    return dict(nproc=os.cpu_count(), cpu=cpu, mem=mem, kernel=platform.release(),
                date=datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"))


def versions():
    v = {"python": platform.python_version()}
    for mod in ("numpy", "nibabel", "SimpleITK", "torch", "monai"):
        try:
            v[mod] = __import__(mod).__version__
        except Exception:
            pass
    return v


def segscore_json(res):
    try:
        return json.loads(res["out"])
    except Exception:
        return None


def counts_from_compare(js):
    """segscore compare JSON -> {label: [tp, fp, fn]}."""
    out = {}
    for l in js.get("labels", []):
        out[str(l["label"])] = [int(l["tp"]), int(l["fp"]), int(l["fn"])]
    return out


def cmp_counts(a, b):
    if a == b:
        return True, ""
    keys = sorted(set(a) | set(b), key=lambda k: float(k))
    bad = [k for k in keys if a.get(k) != b.get(k)]
    return False, f"{len(bad)} labels differ, e.g. {bad[0]}: {a.get(bad[0])} vs {b.get(bad[0])}"


def dice_from_counts(c):
    return {k: (2 * v[0] / (2 * v[0] + v[1] + v[2]) if (2 * v[0] + v[1] + v[2]) else float("nan")) for k, v in c.items()}


def cmp_dice(d, c, tol=1e-6):
    ref = dice_from_counts(c)
    keys = set(ref) | set(d)
    bad = [k for k in keys if k not in d or k not in ref or
           not (abs(d[k] - ref[k]) <= tol or (d[k] != d[k] and ref[k] != ref[k]))]
    return (not bad), (f"{len(bad)} labels differ, e.g. {sorted(bad)[0]}" if bad else "")


def close(a, b, rel=1e-5, abs_=1e-6):
    if a is None or b is None:
        return False
    if isinstance(a, list):
        a = a[0] if a else None
    if a is None:
        return b is None or b != b
    if a != a or b != b:
        return (a != a) and (b != b)
    return abs(a - b) <= max(abs_, rel * abs(b))


# ----------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser(prog="scripts/bench")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--cases", default="a,b,c,d,e,f,g,h")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-monai", action="store_true")
    ap.add_argument("--skip-slow", action="store_true")
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--mem-gib", type=float, default=16)
    ap.add_argument("--work", required=True)
    ap.add_argument("--segscore", required=True)
    ap.add_argument("--segscore-note", default="")
    ap.add_argument("--segscore-isal", default="")
    ap.add_argument("--segscore-isal-note", default="")
    ap.add_argument("--timer", required=True)
    ap.add_argument("--floor", required=True)
    ap.add_argument("--floor-note", default="")
    ap.add_argument("--gzip-level", type=int, default=1)
    a = ap.parse_args()
    global TIMER
    TIMER = a.timer

    cases = [c.strip() for c in a.cases.split(",") if c.strip()]
    specs = gen.case_specs(a.quick)
    for c in cases:
        if c not in specs:
            sys.exit(f"unknown case {c!r} (choose from {','.join(specs)})")
    have_monai = not a.no_monai and all(_importable(m) for m in ("torch", "monai"))
    mach = machine_info()
    print(f"# segscore bench — {mach['date']} — {mach['nproc']} × {mach['cpu']}, {mach['mem']}", flush=True)

    seg = a.segscore if os.path.exists(a.segscore) else None
    seg_na = a.segscore_note or ("no segscore binary" if not seg else "")
    rows = []
    gen_info = {}

    for cid in cases:
        spec = specs[cid]
        t0 = time.time()
        print(f"\n## case {spec['desc']}: generating…", flush=True)
        meta = gen.ensure_case(a.work, cid, spec, a.quick, a.gzip_level)
        ratio = meta["ratio"]
        warn = ""
        if spec["ext"].endswith(".gz") and spec["kind"] != "prob" and not (50 <= ratio <= 250):
            warn = "  (outside 50–250×" + (": quick sizes compress less)" if a.quick else ")")
        print(f"   {'cached' if meta['cached'] else 'generated in %.1f s' % (time.time() - t0)}; "
              f"{meta['raw_bytes'] / 1e6:.1f} MB raw → {meta['bytes'] / 1e6:.2f} MB on disk, "
              f"gzip ratio {ratio:.1f}×{warn}", flush=True)
        gen_info[cid] = dict(desc=spec["desc"], ratio=round(ratio, 1), raw_mb=round(meta["raw_bytes"] / 1e6, 1),
                             disk_mb=round(meta["bytes"] / 1e6, 2))
        rows += bench_case(a, cid, spec, meta, seg, seg_na, have_monai, isal_binary(a))

    md = render(rows, mach, gen_info, a, have_monai)
    os.makedirs(a.work, exist_ok=True)
    with open(os.path.join(a.work, "results.md"), "w") as f:
        f.write(md)
    with open(os.path.join(a.work, "results.json"), "w") as f:
        json.dump(dict(machine=mach, versions=versions(), quick=a.quick, runs=a.runs, cases=gen_info,
                       rows=[{k: v for k, v in r.items() if k not in ("raw",)} for r in rows]), f, indent=1,
                  default=str)
    print("\n" + md)
    print(f"(saved {os.path.join(a.work, 'results.md')} and results.json)")


def isal_binary(a):
    """(path or None, reason) of the segscore built with the ISAL trait."""
    if a.segscore_isal and os.path.exists(a.segscore_isal):
        return a.segscore_isal, ""
    return None, a.segscore_isal_note or "no ISA-L build (--traits ISAL)"


def _importable(m):
    try:
        __import__(m)
        return True
    except Exception:
        return False


def bench_case(a, cid, spec, meta, seg, seg_na, have_monai, isal):
    """Time every tool of one case round-robin; return table rows."""
    big = not a.quick and cid in ("a", "b", "e")
    P, R = meta["pred"], meta["ref"]
    peer = lambda *args: [PY, os.path.join(HERE, "peers.py"), *args]  # noqa: E731
    tools = []  # (name, group, kind, cmd or None, na-reason, pin, busy)

    def segtool(name, group, args, pin=None, busy=None):
        tools.append(dict(name=name, group=group, kind="segscore", cmd=[seg, *args] if seg else None,
                          na=seg_na, pin=pin, busy=busy))

    def isaltool(name, group, args):
        tools.append(dict(name=name, group=group, kind="segscore", cmd=[isal[0], *args] if isal[0] else None,
                          na=isal[1], pin=None, busy=None))

    def peertool(name, group, args, na="", slow=False):
        if slow and a.skip_slow:
            na = "skipped (--skip-slow)"
        tools.append(dict(name=name, group=group, kind="peer", cmd=None if na else peer(*args), na=na, pin=None,
                          busy=None))

    out_dir = os.path.join(a.work, "out", f"{cid}-{'quick' if a.quick else 'full'}")
    if spec["kind"] == "pair":
        compare = ["compare", P, R, "--format", "json"]
        segtool("segscore compare", "pair", compare)
        isaltool("segscore compare (ISA-L trait)", "pair", compare)
        # One core only: what the same binary does alone (taskset -c 0), and on two cores while a neighbour
        # spins on core 0, against a one-core run beside the same neighbour (taskset -c 1).
        segtool("segscore compare (taskset -c 0)", "pair", compare, pin=0)
        segtool("segscore compare (busy neighbour on core 0)", "pair", compare, busy=0)
        segtool("segscore compare (taskset -c 1, busy core 0)", "pair", compare, pin=1, busy=0)
        peertool("numpy bincount", "pair", ["bincount", P, R])
        peertool("SimpleITK LabelOverlapMeasures", "pair", ["sitk", P, R])
        peertool("nnU-Net-style per-label loop", "pair", ["nnunet", P, R], slow=big)
        peertool("MONAI DiceMetric one-hot", "pair", ["monai", P, R],
                 na="" if have_monai else "not installed (--monai)", slow=big)
        segtool("segscore header --labels", "audit", ["header", "--labels", "--json", P])
        peertool("numpy bincount (1 file)", "audit", ["audit", P])
        floors = {"pair": [P, R], "audit": [P]}
    elif spec["kind"] == "prob":
        dice = ["monai", "dice", "--num-classes", str(spec.get("classes", 5)), "--pred", P, "--ref", R]
        loss = ["monai", "dice-loss", "--softmax", "--to-onehot-y", "--pred", P, "--ref", R]
        segtool("segscore monai dice", "prob", dice)
        segtool("segscore monai dice-loss", "prob", loss)
        isaltool("segscore monai dice (ISA-L trait)", "prob", dice)
        isaltool("segscore monai dice-loss (ISA-L trait)", "prob", loss)
        segtool("segscore monai dice (taskset -c 0)", "prob", dice, pin=0)
        peertool("SimpleITK on argmax", "prob", ["sitk-argmax", P, R])
        peertool("numpy (MONAI formulas)", "prob", ["numpy-monai", P, R])
        mna = "" if have_monai else "not installed (--monai)"
        peertool("MONAI DiceMetric", "prob", ["monai-dice", P, R], na=mna)
        peertool("MONAI DiceLoss(softmax)", "prob", ["monai-dice-loss", P, R], na=mna)
        floors = {"prob": [P, R]}
    elif spec["kind"] == "boundary":
        metrics = ["--metrics", "hd95,nsd,assd", "--nsd-tolerance", "2"]
        segtool("segscore compare (overlap only)", "boundary", ["compare", P, R, "--format", "json"])
        segtool("segscore compare --metrics (deepmind)", "boundary", ["compare", P, R, "--format", "json", *metrics])
        segtool("segscore compare --metrics (monai)", "boundary",
                ["compare", P, R, "--format", "json", *metrics, "--distance-definition", "monai"])
        peertool("surface-distance 0.1 (all labels)", "boundary", ["surface-distance", P, R], slow=big)
        peertool("SimpleITK HausdorffDistanceImageFilter (HD only)", "boundary", ["sitk-hausdorff", P, R], slow=big)
        peertool(f"MONAI 1.6.1 ({MONAI_BOUNDARY_LABELS} labels, time scaled)", "boundary",
                 ["monai-boundary", P, R, str(MONAI_BOUNDARY_LABELS)],
                 na="" if have_monai else "not installed (--monai)", slow=big)
        floors = {"boundary": [P, R]}
    elif spec["kind"] == "lesions":
        segtool("segscore compare (overlap only)", "lesions", ["compare", P, R, "--format", "json"])
        segtool("segscore compare --metrics lesions", "lesions",
                ["compare", P, R, "--format", "json", "--metrics", "lesions"])
        peertool("nibabel + cc3d + numpy", "lesions", ["cc3d-lesions", P, R],
                 na="" if _importable("cc3d") else "cc3d not installed")
        peertool("panoptica (PQ, RQ, SQ only)", "lesions", ["panoptica-lesions", P, R],
                 na="" if _importable("panoptica") else "panoptica not installed")
        floors = {"lesions": [P, R]}
    else:  # cohort
        shutil.rmtree(out_dir, ignore_errors=True)
        segtool("segscore cohort (2 cores)", "cohort", ["cohort", "--pred", P, "--ref", R, "--output-dir",
                                                        out_dir + "-2c"])
        segtool("segscore cohort (taskset -c 0)", "cohort", ["cohort", "--pred", P, "--ref", R, "--output-dir",
                                                             out_dir + "-1c"], pin=0)
        peertool("numpy bincount loop", "cohort", ["bincount-cohort", P, R])
        peertool("nnU-Net-style folder, Pool(2)", "cohort", ["nnunet-cohort", P, R, "2"])
        floors = {"cohort": sorted(meta["files"])}

    results = {i: [] for i in range(len(tools))}
    fl = {g: [] for g in floors}
    fl_cpu = {g: [] for g in floors}
    runs = max(1, a.runs)
    for k in range(runs):
        for g, files in floors.items():
            if os.path.exists(a.floor) and not (k and len(fl[g]) == 0):
                # Timed like every tool (a whole process under the same harness), so process start-up and
                # the harness's own overhead are in the floor too and ratios to it compare like with like.
                r = run_timed([a.floor, *files], a.timeout, 0)
                if r["ok"]:
                    fl[g].append(r["wall"])
                    if r["cpu"] is not None:
                        fl_cpu[g].append(r["cpu"])
        for i, t in enumerate(tools):
            if t["cmd"] is None:
                continue
            prev = results[i]
            if prev and (not prev[-1]["ok"] or prev[0]["wall"] > SLOW_SECONDS):
                continue  # failed once, or too slow to repeat
            if t["kind"] == "segscore" and spec["kind"] == "cohort":
                shutil.rmtree(t["cmd"][-1], ignore_errors=True)
            r = run_timed(t["cmd"], a.timeout, a.mem_gib, pin=t["pin"], busy=t["busy"])
            prev.append(r)
            status = "ok" if r["ok"] else r["reason"]
            print(f"   run {k + 1}/{runs} {t['name']:<34} {fmt_s(r.get('wall')):>9}  "
                  f"rss {fmt_mib(r.get('rss_mib')):>8}  {status}", flush=True)

    # ---- aggregate
    rows = []
    for i, t in enumerate(tools):
        rs = results[i]
        row = dict(case=cid, tool=t["name"], group=t["group"], kind=t["kind"], n=0)
        if t["cmd"] is None:
            row["status"] = f"n/a: {t['na']}" if not t["na"].startswith(("n/a", "skipped")) else t["na"]
        elif not rs[-1]["ok"]:
            r0 = rs[-1]
            reason = r0["reason"]
            if t["kind"] == "segscore" and r0.get("rc") in (2, 64) and re.search(
                    r"unknown|unexpected|usage|not a valid|invalid", r0["err"], re.I):
                reason = "n/a: command not available yet (" + reason.replace("failed: ", "") + ")"
            row.update(status=reason, rss_mib=r0.get("rss_mib"), raw=r0)
        else:
            ok = [r for r in rs if r["ok"]]
            row.update(status="ok", n=len(ok), wall=statistics.median(r["wall"] for r in ok),
                       cpu=statistics.median(r["cpu"] for r in ok if r["cpu"] is not None) if ok[0]["cpu"] is not None else None,
                       rss_mib=max(r["rss_mib"] or 0 for r in ok), raw=ok[-1])
        row["floor"] = statistics.median(fl[t["group"]]) if fl.get(t["group"]) else None
        row["floor_cpu"] = statistics.median(fl_cpu[t["group"]]) if fl_cpu.get(t["group"]) else None
        rows.append(row)
    for g in set(r["group"] for r in rows):
        peers_ok = [r["wall"] for r in rows if r["group"] == g and r["kind"] == "peer" and r["status"] == "ok"]
        best = min(peers_ok) if peers_ok else None
        for r in rows:
            if r["group"] == g and r["status"] == "ok":
                r["vs_best"] = r["wall"] / best if best else None
                r["vs_floor"] = r["wall"] / r["floor"] if r.get("floor") else None
    check_correctness(rows, spec, meta, out_dir)
    if spec["kind"] in ("pair", "prob"):
        note_one_core(rows)
    if spec["kind"] == "boundary":
        scale_boundary_rows(rows)
    if spec["kind"] == "cohort":
        two = next((r for r in rows if r["tool"].endswith("(2 cores)") and r["status"] == "ok"), None)
        one = next((r for r in rows if r["tool"].endswith("(taskset -c 0)") and r["status"] == "ok"), None)
        n = spec["n"]
        for r in rows:
            if r["status"] == "ok":
                r["note"] = (r.get("note", "") + f" {n / r['wall']:.1f} cases/s").strip()
        if two and one:
            two["note"] += f"; 2-core/1-core throughput {one['wall'] / two['wall']:.2f}× (target ≥ 1.8×)"
    return rows


def note_one_core(rows):
    """The one-core variants against their two-core counterparts: a busy neighbour must never make the two-thread
    run slower than a one-thread run beside the same neighbour."""
    by = {r["tool"]: r for r in rows if r["status"] == "ok"}
    pairs = (("segscore compare (busy neighbour on core 0)", "segscore compare (taskset -c 1, busy core 0)",
              "one-thread run beside the same neighbour"),
             ("segscore compare", "segscore compare (taskset -c 0)", "one core"),
             ("segscore monai dice", "segscore monai dice (taskset -c 0)", "one core"))
    for two, one, what in pairs:
        if two in by and one in by:
            r = by[two]
            r["note"] = (r.get("note", "") + f" {r['wall'] / by[one]['wall']:.2f}× the {what}").strip()


MONAI_BOUNDARY_LABELS = 8  # MONAI one-hot encodes the whole volume per label: all 104 would take ~12 minutes


def scale_boundary_rows(rows):
    """MONAI ran a subset of the labels: scale its time to all of them (and say so); ratios to the overlap-only
    run and to surface-distance, the two targets of the boundary case."""
    by = {r["tool"]: r for r in rows}
    for r in rows:
        if r["tool"].startswith("MONAI") and r["status"] == "ok":
            js = json.loads(r["raw"]["out"])
            factor = js["of"] / js["labels"]
            r["note"] = (r.get("note", "") + f" measured {fmt_s(r['wall'])} for {js['labels']} of {js['of']} labels;"
                         f" × {factor:.1f} to all").strip()
            r["wall"] *= factor
            if r.get("cpu") is not None:
                r["cpu"] *= factor
    overlap = by.get("segscore compare (overlap only)")
    peer = by.get("surface-distance 0.1 (all labels)")
    for name in ("segscore compare --metrics (deepmind)", "segscore compare --metrics (monai)"):
        r = by.get(name)
        if not r or r["status"] != "ok":
            continue
        parts = []
        if overlap and overlap["status"] == "ok":
            parts.append(f"{r['wall'] / overlap['wall']:.1f}× overlap-only (target ≤ 3×)")
        if peer and peer["status"] == "ok" and name.endswith("(deepmind)"):
            parts.append(f"{peer['wall'] / r['wall']:.0f}× faster than surface-distance (target ≥ 20×)")
        r["note"] = "; ".join(([r["note"]] if r.get("note") else []) + parts)


def check_correctness(rows, spec, meta, out_dir):
    by = {r["tool"]: r for r in rows}

    def res_json(tool):
        r = by.get(tool)
        if not r or r["status"] != "ok":
            return None
        try:
            return json.loads(r["raw"]["out"])
        except Exception:
            return None

    def mark(r, ok, why=""):
        r["check"] = "✔" if ok else "✘"
        if why:
            r["note"] = (r.get("note", "") + " " + why).strip()

    if spec["kind"] == "pair":
        base = res_json("numpy bincount")
        base = base and base.get("counts")
        for r in rows:
            if r["status"] != "ok" or r["tool"] == "numpy bincount" or base is None:
                continue
            js = res_json(r["tool"])
            if js is None:
                mark(r, False, "output is not JSON")
                continue
            try:
                if r["tool"].startswith("segscore compare"):
                    mark(r, *cmp_counts(counts_from_compare(js), base))
                elif r["tool"] == "segscore header --labels":
                    au = res_json("numpy bincount (1 file)")
                    if au:
                        got = {str(k): int(v) for k, v in js.get("labels", {}).items()}
                        mark(r, got == au["labels"], "" if got == au["labels"] else "label counts differ")
                elif "counts" in js:
                    mark(r, *cmp_counts(js["counts"], base))
                elif "dice" in js:
                    mark(r, *cmp_dice({k: float(v) for k, v in js["dice"].items()}, base, 1e-6))
            except Exception as e:  # malformed output
                mark(r, False, f"unreadable output ({type(e).__name__}: {e})")
    elif spec["kind"] == "prob":
        ref = res_json("numpy (MONAI formulas)")
        if ref is None:
            return
        for r in rows:
            if r["status"] != "ok" or r["tool"] in ("numpy (MONAI formulas)", "SimpleITK on argmax"):
                continue
            js = res_json(r["tool"])
            want = ref["dice-loss"] if "loss" in r["tool"].lower() else ref["dice"]
            if js is None:
                mark(r, False, "output is not JSON")
                continue
            ok = close(js.get("aggregate"), want["aggregate"])
            mark(r, ok, "" if ok else f"aggregate {js.get('aggregate')} vs {want['aggregate']:.6g}")
    elif spec["kind"] == "boundary":
        # segscore's deepmind values against surface-distance's (1e-6), its monai values against MONAI's (1e-5),
        # every label either peer measured.
        def boundary_of(js):
            return {str(l["label"]): {k: l.get(k) for k in ("hd95", "nsd", "assd")} for l in js.get("labels", [])}

        for name, peer_name, tol in (("segscore compare --metrics (deepmind)", "surface-distance 0.1 (all labels)",
                                      1e-6),
                                     ("segscore compare --metrics (monai)",
                                      f"MONAI 1.6.1 ({MONAI_BOUNDARY_LABELS} labels, time scaled)", 1e-5)):
            r, want = by.get(name), res_json(peer_name)
            got = res_json(name)
            if not r or r["status"] != "ok" or got is None or want is None:
                continue
            mine = boundary_of(got)
            bad = [f"{label}.{k}" for label, vals in want["boundary"].items() for k, v in vals.items()
                   if not close((mine.get(label) or {}).get(k), v, rel=tol, abs_=1e-9)]
            n = sum(len(v) for v in want["boundary"].values())
            mark(r, not bad, f"{n - len(bad)}/{n} values equal {peer_name.split(' (')[0]}"
                             + (f"; differ: {', '.join(bad[:5])}" if bad else ""))
    elif spec["kind"] == "lesions":
        def lesions_equal(row, theirs, whose):
            """Marks `row` by whether every value of `theirs` equals segscore's: counts exact, the rest 1e-9."""
            mine = {str(l["label"]): l.get("lesions") or {} for l in got.get("labels", [])}
            bad = [f"{label}.{k}" for label, vals in theirs["lesions"].items() for k, v in vals.items()
                   if not ((v is None and mine.get(label, {}).get(k) is None)
                           or close(mine.get(label, {}).get(k), v, rel=1e-9, abs_=1e-12))]
            n = sum(len(v) for v in theirs["lesions"].values())
            mark(row, not bad, f"{n - len(bad)}/{n} values equal {whose}"
                 + (f"; differ: {', '.join(bad[:5])}" if bad else ""))

        r, got, want = by.get("segscore compare --metrics lesions"), None, res_json("nibabel + cc3d + numpy")
        if r and r["status"] == "ok":
            got = res_json(r["tool"])
        # Every value the cc3d pipeline computes, per label, on segscore's row; panoptica's PQ, RQ, SQ (null
        # without a match, as segscore writes it) on panoptica's row.
        if got is not None and want is not None:
            lesions_equal(r, want, "cc3d's")
        panoptica = by.get("panoptica (PQ, RQ, SQ only)")
        theirs = res_json("panoptica (PQ, RQ, SQ only)")
        if panoptica and got is not None and theirs is not None:
            lesions_equal(panoptica, theirs, "segscore's")
    else:  # cohort: summary.json TP/FP/FN of every case vs numpy
        for r in rows:
            if r["kind"] != "segscore" or r["status"] != "ok":
                continue
            od = r["raw"]["cmd"][-1]
            try:
                with open(os.path.join(od, "summary.json")) as f:
                    summ = json.load(f)
                bad = 0
                for case in summ["metric_per_case"]:
                    fn = os.path.basename(case["prediction_file"])
                    vals, M = peers.joint_counts(peers.load_nib(os.path.join(meta["pred"], fn)),
                                                 peers.load_nib(os.path.join(meta["ref"], fn)))
                    want = peers.counts_json(vals, M)
                    got = {k: [int(v["TP"]), int(v["FP"]), int(v["FN"])] for k, v in case["metrics"].items()
                           if k in want or (v["TP"] + v["FP"] + v["FN"])}
                    bad += got != want
                n = len(summ["metric_per_case"])
                ok = bad == 0 and n == spec["n"]
                mark(r, ok, "" if ok else f"{bad} of {n} cases differ (expected {spec['n']} cases)")
            except Exception as e:
                mark(r, False, f"summary.json unreadable ({type(e).__name__}: {e})")


def render(rows, mach, gen_info, a, have_monai):
    v = versions()
    L = []
    L.append(f"**segscore bench** — {mach['date']}; machine: {mach['nproc']} × {mach['cpu']}, {mach['mem']}, "
             f"Linux {mach['kernel']}; " + ", ".join(f"{k} {x}" for k, x in v.items()) +
             f"; {'QUICK sizes' if a.quick else 'full sizes'}; median of {a.runs} run(s) "
             f"(slow tools: 1); gzip level {a.gzip_level}.")
    L.append("")
    L.append("| case | gzip ratio | raw → disk |")
    L.append("|---|---|---|")
    for cid, g in gen_info.items():
        L.append(f"| {g['desc']} | {g['ratio']}× | {g['raw_mb']} MB → {g['disk_mb']} MB |")
    L.append("")
    L.append("| case | tool | wall (median) | CPU user+sys | peak RSS | × best peer | × floor | check | status / note |")
    L.append("|---|---|---|---|---|---|---|---|---|")
    last = None
    for r in rows:
        key = (r["case"], r["group"])
        if key != last:
            fl = r.get("floor")
            what = {"pair": "inflate both files", "audit": "inflate 1 file", "prob": "inflate both files",
                    "cohort": "inflate all files", "boundary": "inflate both files",
                    "lesions": "inflate both files"}[r["group"]]
            L.append(f"| {r['case']} | *zlib floor, 1 core ({what})* | {fmt_s(fl)} | {fmt_s(r.get('floor_cpu'))} | | | "
                     f"1.00× | | |")
            last = key
        st = r["status"]
        note = r.get("note", "")
        L.append(f"| {r['case']} | {r['tool']} | {fmt_s(r.get('wall'))} | {fmt_s(r.get('cpu'))} | "
                 f"{fmt_mib(r.get('rss_mib'))} | {fmt_ratio(r.get('vs_best'))} | {fmt_ratio(r.get('vs_floor'))} | "
                 f"{r.get('check', '')} | {'' if st == 'ok' else st}{'; ' if st != 'ok' and note else ''}{note} |")
    L.append("")
    L.append("× best peer = wall / fastest successful peer of the same row group (targets: ≤ 0.33× for a/b/d, "
             "≤ 0.10× for c); × floor = wall / wall of a C program inflating (or reading) the same files with zlib "
             "on one core, timed as a whole process like every tool (target ≤ 1.5×, then ≤ 1.0×); peak RSS target ≤ 64 MiB for segscore. Check: ✔ = per-label tp/fp/fn equal to numpy "
             "bincount (pairs; Dice to 1e-6 for SimpleITK/MONAI), label counts equal (header), aggregate within "
             "1e-5 of MONAI's formulas (probabilities), summary.json TP/FP/FN of every case (cohort). Peak RSS of a "
             "multi-process peer is its largest process. Peers run with RLIMIT_AS "
             f"{a.mem_gib:g} GiB.")
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    main()

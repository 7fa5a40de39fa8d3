"""Fault injection for `segscore cohort` (issue 10), driven by scripts/fault-injection.

Each round kills a run with SIGKILL at a random moment (once or twice), resumes it, and requires the folder to
equal a clean run's byte for byte with no `.segscore-*` file left; it then injects one more fault in turn: a
full tmpfs (exit 3, no temporary file, then a resume once space is back), a prediction truncated while the run
reads it (the run exits 0 or 3, never by a signal; restored, a resume equals a fresh run), or two runs started
at once on one folder (one is refused naming the other's pid, or they did not overlap; the result is clean).
"""

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nibabel as nib
import numpy as np


def generate(work: Path, cases: int, size: int, seed: int) -> Path:
    """Label maps of `size`³ (the truncation target case_000 is 4× larger per side), made once per setting."""
    inputs = work / f"inputs-{cases}-{size}-{seed}"
    if (inputs / "complete").exists():
        return inputs
    shutil.rmtree(inputs, ignore_errors=True)
    rng = np.random.default_rng(seed)
    for folder in ("pred", "ref"):
        (inputs / folder).mkdir(parents=True)
    for i in range(cases):
        n = size * 4 if i == 0 else size
        reference = np.zeros((n, n, n), np.uint8)
        for label in (1, 2, 3):
            low = rng.integers(0, n // 2, 3)
            high = low + rng.integers(n // 8, n // 2, 3)
            reference[low[0] : high[0], low[1] : high[1], low[2] : high[2]] = label
        prediction = reference.copy()
        noise = rng.random(reference.shape) < 0.05
        prediction[noise] = rng.integers(0, 4, int(noise.sum()))
        suffix = ".nii.gz" if i % 4 == 3 else ".nii"
        for folder, data in (("pred", prediction), ("ref", reference)):
            nib.save(nib.Nifti1Image(data, np.eye(4)), str(inputs / folder / f"case_{i:03d}{suffix}"))
    (inputs / "complete").touch()
    return inputs


class Harness:
    def __init__(self, binary: str, inputs: Path, work: Path):
        self.binary = binary
        self.inputs = inputs
        self.work = work
        self.failures: list[str] = []

    def command(self, output: Path, *extra: str) -> list[str]:
        return [
            self.binary, "cohort", "--pred", str(self.inputs / "pred"), "--ref", str(self.inputs / "ref"),
            "--output-dir", str(output), "--quiet", "--jobs", "4", *extra,
        ]

    def run(self, output: Path, *extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(output, *extra), capture_output=True, text=True)

    def start(self, output: Path, *extra: str) -> subprocess.Popen:
        return subprocess.Popen(
            self.command(output, *extra), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    @staticmethod
    def files(folder: Path) -> dict[str, bytes]:
        return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    @staticmethod
    def leftovers(folder: Path) -> list[str]:
        return [str(p) for p in folder.rglob(".segscore*")]

    def fail(self, what: str) -> None:
        self.failures.append(what)
        print(f"FAIL {what}", file=sys.stderr)

    def expect_clean(self, what: str, folder: Path, clean: dict[str, bytes]) -> bool:
        left = self.leftovers(folder)
        if left:
            self.fail(f"{what}: left behind {left[:3]}")
            return False
        files = self.files(folder)
        if files != clean:
            differing = sorted(k for k in set(files) | set(clean) if files.get(k) != clean.get(k))
            self.fail(f"{what}: {len(differing)} file(s) differ from a clean run, e.g. {differing[:3]}")
            return False
        return True

    def resume(self, what: str, folder: Path) -> bool:
        result = self.run(folder, "--resume")
        if result.returncode != 0:
            self.fail(f"{what}: --resume exited {result.returncode}: {result.stderr.strip()[:200]}")
            return False
        return True


def kill_and_resume(h: Harness, folder: Path, clean: dict[str, bytes], seconds: float, rng: random.Random):
    """Returns the number of kills that hit a running process."""
    shutil.rmtree(folder, ignore_errors=True)
    kills = 0
    for attempt in range(rng.choice((1, 2))):
        process = h.start(folder, *(("--resume",) if attempt else ()))
        time.sleep(rng.uniform(0, seconds))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait()
    ok = h.resume("kill -9", folder) and h.expect_clean("kill -9 then --resume", folder, clean)
    return ok, kills


def full_tmpfs(h: Harness, mount: Path, clean: dict[str, bytes]) -> str:
    mount.mkdir(parents=True, exist_ok=True)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(mount)]).returncode != 0:
        return "skipped"
    try:
        folder = mount / "out"
        result = h.run(folder)
        lines = result.stderr.strip().splitlines()
        if result.returncode != 3 or len(lines) != 1 or "No space left on device" not in lines[0]:
            h.fail(f"full tmpfs: exit {result.returncode}, stderr {result.stderr.strip()[:200]!r}")
            return "failed"
        if h.leftovers(folder):
            h.fail(f"full tmpfs: left behind {h.leftovers(folder)[:3]}")
            return "failed"
        subprocess.run(["mount", "-o", "remount,size=64m", str(mount)], check=True)
        return "ok" if h.resume("full tmpfs", folder) and h.expect_clean("full tmpfs", folder, clean) else "failed"
    finally:
        subprocess.run(["umount", str(mount)])


def truncated_while_read(h: Harness, folder: Path, rng: random.Random) -> tuple[str, dict[str, bytes] | None]:
    """Returns the outcome and the new clean result (the restored input has new stamps)."""
    shutil.rmtree(folder, ignore_errors=True)
    target = next((h.inputs / "pred").glob("case_000.*"))
    original = target.read_bytes()
    process = h.start(folder)
    time.sleep(rng.uniform(0, 0.02))
    os.truncate(target, rng.randrange(352, len(original)))
    _, stderr = process.communicate()
    restored = target.with_name(".restore-" + target.name)
    restored.write_bytes(original)
    os.replace(restored, target)
    if process.returncode not in (0, 3):
        h.fail(f"truncated while read: exit {process.returncode}, stderr {stderr.strip()[:200]!r}")
        return "failed", None
    hit = "hit" if process.returncode == 3 and "case_000" in stderr else "missed"
    if not h.resume("truncated while read", folder):
        return "failed", None
    fresh = h.work / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    if h.run(fresh).returncode != 0:
        h.fail("truncated while read: fresh run failed")
        return "failed", None
    clean = h.files(fresh)
    return (hit if h.expect_clean("truncated while read, restored", folder, clean) else "failed"), clean


def two_runs(h: Harness, folder: Path, clean: dict[str, bytes]) -> str:
    shutil.rmtree(folder, ignore_errors=True)
    first, second = h.start(folder), h.start(folder)
    results = [(p, p.communicate()[1]) for p in (first, second)]
    codes = sorted(p.returncode for p, _ in results)
    if codes not in ([0, 0], [0, 3]):
        h.fail(f"two runs: exit codes {codes}")
        return "failed"
    outcome = "serial"
    for process, stderr in results:
        if process.returncode == 3:
            other = first.pid if process is second else second.pid
            if f"another segscore run (process {other})" not in stderr:
                h.fail(f"two runs: refusal does not name pid {other}: {stderr.strip()[:200]!r}")
                return "failed"
            outcome = "refused"
    return outcome if h.expect_clean("two runs", folder, clean) else "failed"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    work = Path(args.work).resolve()
    started = time.monotonic()
    inputs = generate(work, args.cases, args.size, args.seed)
    h = Harness(args.binary, inputs, work)
    rng = random.Random(args.seed)

    reference = work / "clean"
    shutil.rmtree(reference, ignore_errors=True)
    timed = time.monotonic()
    if (result := h.run(reference)).returncode != 0:
        print(f"clean run failed ({result.returncode}): {result.stderr.strip()}", file=sys.stderr)
        return 1
    seconds = time.monotonic() - timed
    clean = h.files(reference)

    resumed = kills = 0
    extra: dict[str, dict[str, int]] = {"full tmpfs": {}, "truncated while read": {}, "two runs": {}}
    for round_ in range(args.rounds):
        ok, k = kill_and_resume(h, work / "round", clean, seconds, rng)
        resumed += ok
        kills += k
        kind = list(extra)[round_ % 3]
        if kind == "full tmpfs":
            outcome = full_tmpfs(h, work / "tmpfs", clean)
        elif kind == "truncated while read":
            outcome, fresh = truncated_while_read(h, work / "truncated", rng)
            clean = fresh or clean
        else:
            outcome = two_runs(h, work / "two", clean)
        extra[kind][outcome] = extra[kind].get(outcome, 0) + 1

    def tally(kind: str) -> str:
        counts = extra[kind]
        return f"{kind} " + ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))

    print(
        f"fault-injection: {args.rounds} rounds of {args.cases} cases ({args.size}³), {kills} kill -9: "
        f"{resumed}/{args.rounds} resumed results byte-identical to a clean run, "
        + ("no temporary file left; " if not h.failures else "see the FAIL lines; ")
        + "; ".join(tally(kind) for kind in extra)
        + f"; {len(h.failures)} failure(s); {time.monotonic() - started:.0f} s")
    return 1 if h.failures else 0


if __name__ == "__main__":
    sys.exit(main())

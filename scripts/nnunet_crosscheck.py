#!/usr/bin/env python3
"""Cross-check `segscore cohort` against nnU-Net v2's own `compute_metrics_on_folder`.

nnunetv2 (2.8.1) is installed in a venv of its own (scripts/.venv-nnunet) with a CPU build of torch (a wheel
from pip's find-links where the machine has one, else PyTorch's CPU index), and this script re-runs itself
inside it. Two generated cohorts are scored by nnU-Net and by segscore:

  labels   14 labels (so nnU-Net sorts "1", "10", …, "2"), every empty case: a label only the prediction has,
           one only the reference has, one in neither image of a case, an empty prediction
  regions  a BraTS-like dataset.json: regions (1, 2, 3), (2, 3) and a bare 3, and an "ignore" label 4

For each, `segscore cohort --nnunet-compatible` must write a summary.json byte-identical to nnU-Net's, and
`segscore cohort --empty-rule nnunet` (strict JSON) must agree with it on every value (NaN = null). The
default empty rule (`ignore`) must agree wherever the reference has the label. aggregates.json's Dice
statistics are recomputed with numpy's nan-functions, and `segscore gate --empty-rule nnunet` between nnU-Net's
summary and segscore's default one must pass.

Usage: scripts/nnunet_crosscheck.py [--segscore PATH] [--cases N] [--seed S] [--keep] [--venv DIR]
Exit status 0 when everything agrees, 1 otherwise.
"""
import argparse
import glob
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
NNUNET = "nnunetv2==2.8.1"
LABELS = list(range(1, 15))
REGIONS = [(1, 2, 3), (2, 3), 3]
IGNORE = 4


def cpu_torch_wheel():
    """A CPU build of torch for this interpreter in pip's find-links folders, if there is one: installing it by
    path keeps pip from choosing the index's CUDA build (gigabytes of nvidia packages)."""
    config = subprocess.run([sys.executable, "-m", "pip", "config", "get", "global.find-links"],
                            capture_output=True, text=True).stdout
    folders = config.split() + os.environ.get("PIP_FIND_LINKS", "").split()
    tag = "cp%d%d" % sys.version_info[:2]
    wheels = sorted(w for folder in folders for w in glob.glob(os.path.join(folder, "torch-*+cpu-%s-*.whl" % tag)))
    return wheels[-1] if wheels else None


def ensure_venv(venv):
    """Re-runs this script inside `venv` holding nnunetv2, creating (or completing) it first.

    torch is a CPU build: a wheel from pip's find-links when they hold one (its dependencies from the index),
    else PyTorch's CPU index, else the index's default build; nnunetv2's own requirements are then resolved
    against that torch. A stamp file marks a finished install, so an interrupted one is completed rather than
    used."""
    python = os.path.join(venv, "bin", "python")
    stamp = os.path.join(venv, ".segscore-installed")
    if os.path.realpath(sys.prefix) == os.path.realpath(venv):
        return
    if not os.path.exists(stamp):
        if not os.path.exists(python):
            subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        pip = [python, "-m", "pip", "install", "-q"]
        wheel = cpu_torch_wheel()
        if wheel:
            subprocess.run(pip + [wheel], check=True)
        elif subprocess.run(pip + ["torch", "--index-url", "https://download.pytorch.org/whl/cpu"]).returncode != 0:
            subprocess.run(pip + ["torch"], check=True)
        # nnunetv2's torchvision would otherwise pull a newer torch, CUDA build and all: pin the one installed.
        version = subprocess.run([python, "-c", "import torch; print(torch.__version__.split('+')[0])"],
                                 capture_output=True, text=True, check=True).stdout.strip()
        constraints = os.path.join(venv, "constraints.txt")
        with open(constraints, "w") as f:
            f.write("torch==%s\n" % version)
        subprocess.run(pip + ["-c", constraints, NNUNET, "nibabel"], check=True)
        open(stamp, "w").close()
    os.execv(python, [python, os.path.abspath(__file__), *sys.argv[1:]])


# --- the cohorts ---------------------------------------------------------------------------------------------

def blobs(rng, shape, labels):
    import numpy as np
    z, y, x = np.indices(shape)
    volume = np.zeros(shape, np.uint8)
    for label in labels:
        centre = rng.integers(5, np.array(shape) - 5)
        radius = rng.uniform(2, 6, 3)
        volume[sum(((c - m) / r) ** 2 for c, m, r in zip((z, y, x), centre, radius)) < 1] = label
    return volume


def generate(root, cases, seed, labels, ignore=None):
    """Blobs with boundary noise; cases drop a label from one side or both; one prediction is empty."""
    import nibabel as nib
    import numpy as np
    rng = np.random.default_rng(seed)
    for folder in ("pred", "ref"):
        os.makedirs(f"{root}/{folder}")
    shape = (30, 26, 20)
    top = max(labels)
    for i in range(cases):
        ref = blobs(rng, shape, labels)
        pred = np.roll(ref, rng.integers(-2, 3, 3), axis=(0, 1, 2))
        noise = rng.random(shape) < 0.03
        pred[noise] = rng.integers(0, top + 1, noise.sum())
        kind = i % 5
        if kind == 1:
            ref[ref == 2] = 0  # only the prediction has label 2
        elif kind == 2:
            ref[ref == 3] = 0  # neither image has label 3
            pred[pred == 3] = 0
        elif kind == 3:
            pred[pred == top] = 0  # the last label missed entirely
        elif kind == 4 and i == 4:
            pred[:] = 0  # an empty prediction
        if ignore is not None:
            pred[pred == ignore] = 0  # predictions never hold the ignore label
            ref[rng.random(shape) < 0.05] = ignore  # sparse annotation
        affine = np.diag([0.8, 0.8, 2.5, 1.0])
        nib.save(nib.Nifti1Image(ref, affine), f"{root}/ref/case_{i:03d}.nii.gz")
        nib.save(nib.Nifti1Image(pred, affine), f"{root}/pred/case_{i:03d}.nii.gz")


# --- the two tools -------------------------------------------------------------------------------------------

def run_nnunet(root, regions_or_labels, ignore_label):
    from nnunetv2.evaluation.evaluate_predictions import compute_metrics_on_folder
    from nnunetv2.imageio.simpleitk_reader_writer import SimpleITKIO
    output = f"{root}/nnunet-summary.json"
    compute_metrics_on_folder(f"{root}/ref", f"{root}/pred", output, SimpleITKIO(), ".nii.gz", regions_or_labels,
                              ignore_label, num_processes=2)
    with open(output, "rb") as f:
        return f.read()


def run_segscore(segscore, root, name, *extra):
    output = f"{root}/{name}"
    command = [segscore, "cohort", "--pred", f"{root}/pred", "--ref", f"{root}/ref", "--output-dir", output,
               "--quiet", *extra]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    with open(f"{output}/summary.json", "rb") as f:
        summary = f.read()
    with open(f"{output}/aggregates.json") as f:
        aggregates = json.load(f)
    return summary, aggregates


def find_segscore():
    candidates = [c for c in glob.glob(f"{os.path.dirname(HERE)}/.build*/*/segscore") if os.access(c, os.X_OK)]
    if not candidates:
        sys.exit("segscore not built: run `swift build` or pass --segscore PATH")
    return max(candidates, key=os.path.getmtime)


# --- comparison ----------------------------------------------------------------------------------------------

def undefined(value):
    return value is None or (isinstance(value, float) and math.isnan(value))


def same(a, b):
    if undefined(a) or undefined(b):
        return undefined(a) and undefined(b)
    return float(a) == float(b)


def compare_values(ours, theirs, only_where_reference=False):
    """Differences between two parsed summaries, cell by cell; `only_where_reference` skips empty references."""
    failures = []
    cells = 0
    for a, n in zip(ours["metric_per_case"], theirs["metric_per_case"]):
        if a["reference_file"] != n["reference_file"]:
            return [f"case order differs: {a['reference_file']} vs {n['reference_file']}"], 0
        for key, metrics in n["metrics"].items():
            cells += 1
            for m, value in metrics.items():
                if only_where_reference and m in ("Dice", "IoU") and metrics["n_ref"] == 0:
                    continue
                if not same(a["metrics"][key][m], value):
                    failures.append(f"{n['reference_file']} {key} {m}: {a['metrics'][key][m]!r} vs nnU-Net {value!r}")
    if not only_where_reference:
        for key, metrics in theirs["mean"].items():
            for m, value in metrics.items():
                if not same(ours["mean"][key][m], value):
                    failures.append(f"mean {key} {m}: {ours['mean'][key][m]!r} vs nnU-Net {value!r}")
        for m, value in theirs["foreground_mean"].items():
            if not same(ours["foreground_mean"][m], value):
                failures.append(f"foreground_mean {m}: {ours['foreground_mean'][m]!r} vs nnU-Net {value!r}")
    return failures, cells


def check_aggregates(summary, aggregates):
    import numpy as np
    failures = []
    checked = 0
    for entry in aggregates["labels"]:
        key = str(entry["label"])
        values = np.array([np.nan if undefined(c["metrics"][key]["Dice"]) else c["metrics"][key]["Dice"]
                           for c in summary["metric_per_case"]], float)
        if np.all(np.isnan(values)):
            continue
        stats = entry["metrics"]["dice"]
        expected = {"mean": np.nanmean(values), "std": np.nanstd(values), "median": np.nanmedian(values),
                    "q1": np.nanpercentile(values, 25), "q3": np.nanpercentile(values, 75),
                    "min": np.nanmin(values), "max": np.nanmax(values)}
        for name, value in expected.items():
            checked += 1
            if stats[name] != float(value):
                failures.append(f"aggregates {key} dice {name}: {stats[name]!r} vs numpy {float(value)!r}")
    return failures, checked


def cohort(segscore, root, title, nnunet_structures, ignore_label, segscore_options):
    """Scores one cohort both ways; returns (failures, summary line)."""
    theirs_bytes = run_nnunet(root, nnunet_structures, ignore_label)
    compatible, _ = run_segscore(segscore, root, "out-compatible", "--nnunet-compatible", *segscore_options)
    strict, _ = run_segscore(segscore, root, "out-nnunet-rule", "--empty-rule", "nnunet", *segscore_options)
    default, aggregates = run_segscore(segscore, root, "out-default", *segscore_options)
    theirs = json.loads(theirs_bytes)
    failures = []
    identical = compatible == theirs_bytes
    if not identical:
        lines_a, lines_b = compatible.decode().split("\n"), theirs_bytes.decode().split("\n")
        first = next((i for i, (x, y) in enumerate(zip(lines_a, lines_b)) if x != y), min(len(lines_a), len(lines_b)))
        failures.append(f"{title}: --nnunet-compatible summary.json differs from nnU-Net's at line {first + 1}: "
                        f"{lines_a[first:first + 1]} vs {lines_b[first:first + 1]}")
    strict_failures, cells = compare_values(json.loads(strict), theirs)
    failures += [f"{title} --empty-rule nnunet: {f}" for f in strict_failures]
    default_failures, _ = compare_values(json.loads(default), theirs, only_where_reference=True)
    failures += [f"{title} default rule: {f}" for f in default_failures]
    aggregate_failures, checked = check_aggregates(json.loads(default), aggregates)
    failures += [f"{title}: {f}" for f in aggregate_failures]
    # The gate recomputes Dice from the counts: nnU-Net's summary against segscore's default one passes.
    gate = subprocess.run([segscore, "gate", f"{root}/nnunet-summary.json", f"{root}/out-default",
                           "--empty-rule", "nnunet", "--tolerance", "0"], stdout=subprocess.DEVNULL)
    if gate.returncode != 0:
        failures.append(f"{title}: gate --empty-rule nnunet nnU-Net vs segscore default exits {gate.returncode}")
    cases = len(theirs["metric_per_case"])
    line = (f"{title}: {cases} cases, {cells} case/structure cells; --nnunet-compatible summary.json "
            f"{'byte-identical' if identical else 'DIFFERS'} ({len(theirs_bytes)} bytes); --empty-rule nnunet "
            f"{'every value equal' if not strict_failures else 'DIFFERS'}; default rule "
            f"{'equal wherever the reference has the structure' if not default_failures else 'DIFFERS'}; "
            f"aggregates {checked} Dice statistics {'= numpy' if not aggregate_failures else 'DIFFER'}; "
            f"gate --empty-rule nnunet {'passes' if gate.returncode == 0 else 'FAILS'}")
    return failures, line


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--segscore", default=None)
    parser.add_argument("--cases", type=int, default=12)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--keep", action="store_true", help="keep the generated cohorts and outputs")
    parser.add_argument("--venv", default=os.path.join(HERE, ".venv-nnunet"), help="the venv holding nnunetv2")
    args = parser.parse_args()
    segscore = os.path.abspath(args.segscore or find_segscore())
    ensure_venv(args.venv)
    import nnunetv2  # noqa: F401  (installed by ensure_venv)
    from importlib.metadata import version
    base = tempfile.mkdtemp(prefix="segscore-crosscheck-")
    failures, lines = [], []
    try:
        root = f"{base}/labels"
        generate(root, args.cases, args.seed, LABELS)
        f, line = cohort(segscore, root, "labels", LABELS, None, ["--labels", ",".join(map(str, LABELS))])
        failures += f
        lines.append(line)

        root = f"{base}/regions"
        generate(root, args.cases, args.seed + 1, [1, 2, 3], ignore=IGNORE)
        dataset = f"{base}/dataset.json"
        with open(dataset, "w") as out:
            json.dump({"labels": {"background": 0, "whole tumor": [1, 2, 3], "tumor core": [2, 3],
                                  "enhancing tumor": 3, "ignore": IGNORE}, "regions_class_order": [1, 2, 3]}, out)
        f, line = cohort(segscore, root, "regions+ignore", REGIONS, IGNORE, ["--label-names", dataset])
        failures += f
        lines.append(line)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    print(f"segscore: {segscore}\nnnunetv2 {version('nnunetv2')}, torch {version('torch')}")
    for line in lines:
        print(line)
    if failures:
        print("\nDIFFERENCES:")
        for f in failures[:50]:
            print("  " + f)
        return 1
    print(f"result: {' | '.join(lines)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

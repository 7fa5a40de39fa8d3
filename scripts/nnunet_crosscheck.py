#!/usr/bin/env python3
"""Cross-check `segscore cohort` against nnU-Net v2's own evaluation definitions.

nnU-Net v2 needs torch, so its evaluation is re-implemented here with numpy + nibabel, line for line after
`nnunetv2/evaluation/evaluate_predictions.py` (MIC-DKFZ/nnUNet @ 0e495086):

  region_or_label_to_mask  -> region_or_label_to_mask()
  compute_tp_fp_fn_tn      -> compute_tp_fp_fn_tn()
  compute_metrics          -> compute_metrics()       (Dice/IoU NaN when TP + FP + FN == 0)
  compute_metrics_on_folder -> summarise()            (mean = np.nanmean over cases,
                                                       foreground_mean = np.mean of label means, label 0 excluded)

A cohort of generated label maps (with labels absent from the reference, from the prediction, from both, and an
empty prediction) is scored both ways and every number of summary.json is compared. segscore's empty rule
(MONAI's, default --ignore-empty) differs from nnU-Net's in one documented place, so the script also runs
segscore with --no-ignore-empty and reports, per kind of cell, which setting reproduces nnU-Net:

  reference has the label        : all three agree
  only the prediction has it     : nnU-Net 0,   segscore null (default) / 0 (--no-ignore-empty)
  neither image has it           : nnU-Net NaN, segscore null (default) / 1 (--no-ignore-empty)

It also recomputes aggregates.json's Dice statistics with numpy (nanmean, nanstd, nanmedian, nanpercentile).

Usage: scripts/nnunet_crosscheck.py [--segscore PATH] [--cases N] [--seed S] [--keep]
Exit status 0 when every difference is one of the documented ones, 1 otherwise.
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

import nibabel as nib
import numpy as np

LABELS = [1, 2, 3, 4]
METRICS = ["Dice", "FN", "FP", "IoU", "TN", "TP", "n_pred", "n_ref"]


# --- nnU-Net v2 evaluate_predictions.py, re-implemented -------------------------------------------------------

def region_or_label_to_mask(segmentation, region_or_label):
    if np.isscalar(region_or_label):
        return segmentation == region_or_label
    mask = np.zeros_like(segmentation, dtype=bool)
    for r in region_or_label:
        mask[segmentation == r] = True
    return mask


def compute_tp_fp_fn_tn(mask_ref, mask_pred, ignore_mask=None):
    use_mask = np.ones_like(mask_ref, dtype=bool) if ignore_mask is None else ~ignore_mask
    tp = np.sum((mask_ref & mask_pred) & use_mask)
    fp = np.sum(((~mask_ref) & mask_pred) & use_mask)
    fn = np.sum((mask_ref & (~mask_pred)) & use_mask)
    tn = np.sum(((~mask_ref) & (~mask_pred)) & use_mask)
    return tp, fp, fn, tn


def read_seg(path):
    # nnU-Net's SimpleITKIO.read_seg returns float32 voxels; the voxel order does not change any count.
    return np.asanyarray(nib.load(path).dataobj).astype(np.float32)


def compute_metrics(reference_file, prediction_file, labels_or_regions, ignore_label=None):
    seg_ref = read_seg(reference_file)
    seg_pred = read_seg(prediction_file)
    ignore_mask = seg_ref == ignore_label if ignore_label is not None else None
    results = {"reference_file": reference_file, "prediction_file": prediction_file, "metrics": {}}
    for r in labels_or_regions:
        results["metrics"][r] = {}
        mask_ref = region_or_label_to_mask(seg_ref, r)
        mask_pred = region_or_label_to_mask(seg_pred, r)
        tp, fp, fn, tn = compute_tp_fp_fn_tn(mask_ref, mask_pred, ignore_mask)
        if tp + fp + fn == 0:
            results["metrics"][r]["Dice"] = np.nan
            results["metrics"][r]["IoU"] = np.nan
        else:
            results["metrics"][r]["Dice"] = 2 * tp / (2 * tp + fp + fn)
            results["metrics"][r]["IoU"] = tp / (tp + fp + fn)
        results["metrics"][r]["FP"] = fp
        results["metrics"][r]["TP"] = tp
        results["metrics"][r]["FN"] = fn
        results["metrics"][r]["TN"] = tn
        results["metrics"][r]["n_pred"] = fp + tp
        results["metrics"][r]["n_ref"] = fn + tp
    return results


def summarise(results, labels_or_regions):
    """The aggregation half of compute_metrics_on_folder."""
    metric_list = list(results[0]["metrics"][labels_or_regions[0]].keys())
    means = {}
    for r in labels_or_regions:
        means[r] = {}
        for m in metric_list:
            means[r][m] = np.nanmean([i["metrics"][r][m] for i in results])
    foreground_mean = {}
    for m in metric_list:
        values = []
        for k in means.keys():
            if k == 0 or k == "0":
                continue
            values.append(means[k][m])
        foreground_mean[m] = np.mean(values)
    return {"metric_per_case": results, "mean": means, "foreground_mean": foreground_mean}


# --- the cohort --------------------------------------------------------------------------------------------------

def generate(root, cases, seed):
    """Blobs with boundary noise; some cases drop a label from one side or both, one prediction is empty."""
    rng = np.random.default_rng(seed)
    os.makedirs(f"{root}/pred")
    os.makedirs(f"{root}/ref")
    shape = (40, 36, 28)
    z, y, x = np.indices(shape)
    for i in range(cases):
        ref = np.zeros(shape, np.uint8)
        for label in LABELS:
            centre = rng.integers(8, np.array(shape) - 8)
            radius = rng.uniform(3, 9, 3)
            inside = sum(((c - m) / r) ** 2 for c, m, r in zip((z, y, x), centre, radius)) < 1
            ref[inside] = label
        pred = np.roll(ref, rng.integers(-2, 3, 3), axis=(0, 1, 2))
        noise = rng.random(shape) < 0.03
        pred[noise] = rng.integers(0, 5, noise.sum())
        kind = i % 5
        if kind == 1:
            ref[ref == 2] = 0          # only the prediction has label 2
        elif kind == 2:
            ref[ref == 3] = 0          # neither image has label 3
            pred[pred == 3] = 0
        elif kind == 3:
            pred[pred == 4] = 0        # label 4 missed entirely
        elif kind == 4 and i == 4:
            pred[:] = 0                # an empty prediction
        ending = ".nii.gz" if i % 2 == 0 else ".nii"
        affine = np.diag([0.8, 0.8, 2.5, 1.0])
        nib.save(nib.Nifti1Image(ref, affine), f"{root}/ref/case_{i:03d}{ending}")
        nib.save(nib.Nifti1Image(pred, affine), f"{root}/pred/case_{i:03d}{ending}")


def run_segscore(segscore, root, output, *extra):
    command = [segscore, "cohort", "--pred", f"{root}/pred", "--ref", f"{root}/ref", "--output-dir", output,
               "--labels", ",".join(map(str, LABELS)), "--quiet", *extra]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    with open(f"{output}/summary.json") as f:
        summary = json.load(f)
    with open(f"{output}/aggregates.json") as f:
        aggregates = json.load(f)
    return summary, aggregates


def find_segscore():
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    candidates = glob.glob(f"{here}/.build*/*/segscore")
    candidates = [c for c in candidates if os.access(c, os.X_OK)]
    if not candidates:
        sys.exit("segscore not built: run `swift build` or pass --segscore PATH")
    return max(candidates, key=os.path.getmtime)


# --- comparison ----------------------------------------------------------------------------------------------

def same(a, b):
    """Equal numbers, or both undefined (segscore writes null, nnU-Net NaN)."""
    undefined_a = a is None or (isinstance(a, float) and math.isnan(a))
    undefined_b = b is None or (isinstance(b, float) and math.isnan(b))
    if undefined_a or undefined_b:
        return undefined_a and undefined_b
    return float(a) == float(b)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--segscore", default=None)
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--keep", action="store_true", help="keep the generated cohort and outputs")
    args = parser.parse_args()
    segscore = args.segscore or find_segscore()
    root = tempfile.mkdtemp(prefix="segscore-crosscheck-")
    failures = []
    try:
        generate(root, args.cases, args.seed)
        default, aggregates = run_segscore(segscore, root, f"{root}/out-default")
        strict, _ = run_segscore(segscore, root, f"{root}/out-no-ignore-empty", "--no-ignore-empty")

        refs = sorted(os.listdir(f"{root}/ref"))
        nnunet = summarise(
            [compute_metrics(f"{root}/ref/{f}", f"{root}/pred/{f}", LABELS) for f in refs], LABELS)

        # Per case and label.
        kinds = {}
        cells = 0
        for ours, theirs_strict, theirs in zip(default["metric_per_case"], strict["metric_per_case"],
                                                nnunet["metric_per_case"]):
            if os.path.basename(ours["reference_file"]) != os.path.basename(theirs["reference_file"]):
                failures.append(f"case order differs: {ours['reference_file']} vs {theirs['reference_file']}")
                continue
            for label in LABELS:
                a = ours["metrics"][str(label)]
                s = theirs_strict["metrics"][str(label)]
                n = theirs["metrics"][label]
                cells += 1
                for m in ["TP", "FP", "FN", "TN", "n_pred", "n_ref"]:
                    if a[m] != int(n[m]) or s[m] != int(n[m]):
                        failures.append(f"{ours['reference_file']} label {label} {m}: {a[m]} vs nnU-Net {n[m]}")
                kind = ("reference has the label" if n["n_ref"] > 0
                        else "only the prediction has it" if n["n_pred"] > 0 else "neither image has it")
                entry = kinds.setdefault(kind, {"cells": 0, "default": 0, "no-ignore-empty": 0, "values": set()})
                entry["cells"] += 1
                entry["default"] += all(same(a[m], n[m]) for m in ["Dice", "IoU"])
                entry["no-ignore-empty"] += all(same(s[m], n[m]) for m in ["Dice", "IoU"])
                entry["values"].add((repr(float(n["Dice"])) if not math.isnan(n["Dice"]) else "NaN",
                                     "null" if a["Dice"] is None else repr(a["Dice"]),
                                     "null" if s["Dice"] is None else repr(s["Dice"])))
        print(f"segscore: {segscore}")
        print(f"cohort: {len(refs)} cases x {len(LABELS)} labels = {cells} cells, in {root}")
        print("\nTP/FP/FN/TN/n_pred/n_ref: " + ("identical in every cell" if not failures else "DIFFERENCES"))
        print("\nDice and IoU, per kind of cell (cells equal to nnU-Net / cells):")
        print(f"  {'kind':30} {'segscore default':>17} {'--no-ignore-empty':>18}   Dice: nnU-Net / default / strict")
        for kind in ["reference has the label", "only the prediction has it", "neither image has it"]:
            if kind not in kinds:
                continue
            e = kinds[kind]
            values = "; ".join(sorted(" / ".join(v) for v in e["values"])) if kind != "reference has the label" \
                else "(same numbers)"
            print(f"  {kind:30} {e['default']:>8} / {e['cells']:<6} {e['no-ignore-empty']:>9} / {e['cells']:<6}   "
                  + values)
        ref_cells = kinds.get("reference has the label")
        if ref_cells is None or ref_cells["default"] != ref_cells["cells"] or \
                ref_cells["no-ignore-empty"] != ref_cells["cells"]:
            failures.append("Dice/IoU differ where the reference has the label")
        for kind, expected in [("only the prediction has it", "no-ignore-empty"), ("neither image has it", "default")]:
            if kind in kinds and kinds[kind][expected] != kinds[kind]["cells"]:
                failures.append(f"'{kind}' cells do not match nnU-Net with the {expected} setting")

        # Means: equal wherever the two empty rules give the same per-case values.
        print("\nmean (np.nanmean over cases) and foreground_mean (np.mean over label means):")
        diverging = {k for k in LABELS if any(
            c["metrics"][k]["n_ref"] == 0 and c["metrics"][k]["n_pred"] > 0 for c in nnunet["metric_per_case"])}
        for label in LABELS:
            ours = default["mean"][str(label)]
            equal = [m for m in METRICS if same(ours[m], nnunet["mean"][label][m])]
            note = "all 8 metrics bit-identical" if len(equal) == len(METRICS) else \
                "differs in " + ", ".join(f"{m} ({ours[m]!r} vs nnU-Net {float(nnunet['mean'][label][m])!r})"
                                          for m in METRICS if m not in equal)
            if label in diverging:
                note += "  [label has 'only the prediction' cells: expected to differ in Dice/IoU]"
            elif len(equal) != len(METRICS):
                failures.append(f"mean of label {label} differs: {note}")
            print(f"  label {label}: {note}")
        fg_equal = [m for m in METRICS if same(default["foreground_mean"][m], nnunet["foreground_mean"][m])]
        print(f"  foreground_mean: {len(fg_equal)} of 8 metrics bit-identical"
              + ("" if len(fg_equal) == 8 else f" (Dice {default['foreground_mean']['Dice']!r} vs nnU-Net "
                 f"{float(nnunet['foreground_mean']['Dice'])!r}; Dice/IoU follow the label means above)"))
        if any(m not in fg_equal for m in ["FN", "FP", "TN", "TP", "n_pred", "n_ref"]):
            failures.append("foreground_mean of the counts differs")

        # aggregates.json against numpy.
        checked = 0
        for entry in aggregates["labels"]:
            label = str(entry["label"])
            values = np.array([np.nan if c["metrics"][label]["Dice"] is None else c["metrics"][label]["Dice"]
                               for c in default["metric_per_case"]], float)
            stats = entry["metrics"]["dice"]
            if np.all(np.isnan(values)):
                continue
            expected = {"mean": np.nanmean(values), "std": np.nanstd(values), "median": np.nanmedian(values),
                        "q1": np.nanpercentile(values, 25), "q3": np.nanpercentile(values, 75),
                        "min": np.nanmin(values), "max": np.nanmax(values)}
            for key, value in expected.items():
                checked += 1
                if stats[key] != float(value):
                    failures.append(f"aggregates label {label} dice {key}: {stats[key]!r} vs numpy {float(value)!r}")
            if stats["nanCount"] != int(np.isnan(values).sum()):
                failures.append(f"aggregates label {label} nanCount")
        print(f"\naggregates.json Dice statistics vs numpy nan-functions: {checked} values, "
              + ("all bit-identical" if not any("aggregates" in f for f in failures) else "DIFFERENCES"))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)

    if failures:
        print("\nUNEXPECTED DIFFERENCES:")
        for f in failures[:50]:
            print("  " + f)
        return 1
    print("\nresult: segscore agrees with nnU-Net v2's definitions; the only differences are the documented "
          "empty-reference rule")
    return 0


if __name__ == "__main__":
    sys.exit(main())

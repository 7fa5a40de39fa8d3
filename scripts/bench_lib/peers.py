"""Peer implementations for scripts/bench; each run is its own process:

    python peers.py TOOL ARGS...   ->  JSON result on stdout (counts for the correctness check)

Pair tools (PRED REF):  bincount, sitk, nnunet, monai
Audit tool (FILE):      audit
Probability tools (PROBS REF):  sitk-argmax, numpy-monai, monai-dice, monai-dice-loss
Cohort tools (PRED_DIR REF_DIR): bincount-cohort, nnunet-cohort
Boundary tools (PRED REF [LABELS]): surface-distance (every label; hd95, nsd@2 mm, assd),
                                    monai-boundary (HD95, NSD@2 mm, symmetric ASD for the first LABELS labels),
                                    sitk-hausdorff (HausdorffDistanceImageFilter: HD and average HD)
"""
from __future__ import annotations

import json
import os
import sys

CHUNK = 1 << 24  # voxels per bincount chunk


def out(obj):
    json.dump(obj, sys.stdout, allow_nan=True)
    sys.stdout.write("\n")


def load_nib(path):
    import nibabel as nib
    import numpy as np
    img = nib.load(path)
    return np.asanyarray(img.dataobj)  # native dtype: scl_slope is 1 / unset


# ----------------------------------------------------------------- numpy joint bincount
def joint_counts(p, r):
    """Joint histogram (pred x ref) over dense label indices; returns (values, matrix)."""
    import numpy as np
    p = p.ravel(order="F")
    r = r.ravel(order="F")
    if p.size != r.size:
        raise SystemExit("shape mismatch")
    ints = np.issubdtype(p.dtype, np.integer) and np.issubdtype(r.dtype, np.integer)
    lo = min(int(p.min()), int(r.min())) if ints else None
    hi = max(int(p.max()), int(r.max())) if ints else None
    if ints and lo >= 0 and hi < 4096:
        K = hi + 1
        M = np.zeros(K * K, dtype=np.int64)
        for s in range(0, p.size, CHUNK):
            idx = p[s:s + CHUNK].astype(np.intp) * K
            idx += r[s:s + CHUNK]
            M += np.bincount(idx, minlength=K * K)
        M = M.reshape(K, K)
        present = np.nonzero(M.sum(0) + M.sum(1))[0]
        return [int(v) for v in present], M[np.ix_(present, present)]
    vals, inv = np.unique(np.concatenate([p, r]), return_inverse=True)
    K = len(vals)
    idx = inv[: p.size].astype(np.intp) * K + inv[p.size:]
    M = np.bincount(idx, minlength=K * K).reshape(K, K)
    return [v.item() for v in vals], M


def counts_json(vals, M):
    tp = M.diagonal()
    fp = M.sum(1) - tp
    fn = M.sum(0) - tp
    return {str(v): [int(tp[i]), int(fp[i]), int(fn[i])] for i, v in enumerate(vals) if v != 0}


def t_bincount(pred, ref):
    p, r = load_nib(pred), load_nib(ref)
    vals, M = joint_counts(p, r)
    out({"counts": counts_json(vals, M)})


def t_audit(path):
    import numpy as np
    a = load_nib(path)
    a = a.ravel(order="F")
    if np.issubdtype(a.dtype, np.integer) and int(a.min()) >= 0 and int(a.max()) < 65536:
        c = np.zeros(int(a.max()) + 1, dtype=np.int64)
        for s in range(0, a.size, CHUNK):
            c += np.bincount(a[s:s + CHUNK], minlength=c.size)
        out({"labels": {str(i): int(n) for i, n in enumerate(c) if n}})
    else:
        v, n = np.unique(a, return_counts=True)
        out({"labels": {str(x.item()): int(k) for x, k in zip(v, n)}})


# ----------------------------------------------------------------- SimpleITK
def t_sitk(pred, ref):
    import SimpleITK as sitk
    p, r = sitk.ReadImage(pred), sitk.ReadImage(ref)
    if p.GetPixelID() != r.GetPixelID():
        r = sitk.Cast(r, p.GetPixelID())
    f = sitk.LabelOverlapMeasuresImageFilter()
    f.Execute(r, p)
    st = sitk.LabelShapeStatisticsImageFilter()
    labels = sorted(set(f.GetLabels()) if hasattr(f, "GetLabels") else set())
    if not labels:  # older SimpleITK: ask the statistics filter
        st.Execute(p)
        labels = set(st.GetLabels())
        st.Execute(r)
        labels = sorted(labels | set(st.GetLabels()))
    out({"dice": {str(l): f.GetDiceCoefficient(int(l)) for l in labels if l != 0}})


def t_sitk_argmax(probs, ref):
    import numpy as np
    import SimpleITK as sitk
    pr = load_nib(probs)  # (x,y,z,1,C)
    lab = np.argmax(pr.reshape(pr.shape[:3] + (-1,)), axis=-1).astype(np.uint8)
    r = load_nib(ref).astype(np.uint8)
    # numpy (x,y,z) F-order -> SimpleITK wants z,y,x: transpose views, same grid for both images
    pi = sitk.GetImageFromArray(np.ascontiguousarray(lab.T))
    ri = sitk.GetImageFromArray(np.ascontiguousarray(r.T))
    f = sitk.LabelOverlapMeasuresImageFilter()
    f.Execute(ri, pi)
    out({"dice": {str(c): f.GetDiceCoefficient(c) for c in range(1, pr.shape[-1])}})


# ----------------------------------------------------------------- nnU-Net v2 style
def _nnunet_read(path):
    # nnU-Net v2 SimpleITKIO.read_seg: GetArrayFromImage, then float32 (4 B/voxel)
    import numpy as np
    import SimpleITK as sitk
    return sitk.GetArrayFromImage(sitk.ReadImage(path)).astype(np.float32)[None]


def _nnunet_tp_fp_fn_tn(mask_ref, mask_pred):
    import numpy as np
    use_mask = np.ones_like(mask_ref, dtype=bool)
    tp = np.sum((mask_ref & mask_pred) & use_mask)
    fp = np.sum(((~mask_ref) & mask_pred) & use_mask)
    fn = np.sum((mask_ref & (~mask_pred)) & use_mask)
    tn = np.sum(((~mask_ref) & (~mask_pred)) & use_mask)
    return tp, fp, fn, tn


def _nnunet_case(pred, ref, labels=None):
    import numpy as np
    seg_ref, seg_pred = _nnunet_read(ref), _nnunet_read(pred)
    if labels is None:
        labels = sorted(set(np.unique(seg_ref).tolist()) | set(np.unique(seg_pred).tolist()))
    res = {}
    for lab in labels:
        if lab == 0:
            continue
        mask_ref, mask_pred = seg_ref == lab, seg_pred == lab
        tp, fp, fn, tn = _nnunet_tp_fp_fn_tn(mask_ref, mask_pred)
        res[str(int(lab))] = [int(tp), int(fp), int(fn)]
    return res


def t_nnunet(pred, ref):
    out({"counts": _nnunet_case(pred, ref)})


def _list(d):
    return sorted(f for f in os.listdir(d) if f.endswith((".nii", ".nii.gz")))


def _nnunet_worker(args):
    return args[2], _nnunet_case(args[0], args[1], args[3])


def t_nnunet_cohort(pdir, rdir, nproc="2"):
    # compute_metrics_on_folder: spawn Pool, pairs by identical file name, labels known up front
    import multiprocessing as mp
    files = _list(pdir)
    labels = [1, 2, 3, 4]
    with mp.get_context("spawn").Pool(int(nproc)) as pool:
        res = pool.map(_nnunet_worker, [(os.path.join(pdir, f), os.path.join(rdir, f), f, labels) for f in files])
    out({"cases": len(res)})


def t_bincount_cohort(pdir, rdir):
    files = _list(pdir)
    n = 0
    for f in files:
        vals, M = joint_counts(load_nib(os.path.join(pdir, f)), load_nib(os.path.join(rdir, f)))
        counts_json(vals, M)
        n += 1
    out({"cases": n})


# ----------------------------------------------------------------- MONAI
def t_monai(pred, ref):
    import numpy as np
    import torch
    from monai.metrics import DiceMetric
    from monai.networks.utils import one_hot
    p, r = load_nib(pred), load_nib(ref)
    K = int(max(p.max(), r.max())) + 1
    pt = torch.from_numpy(p.astype(np.int64))[None, None]
    rt = torch.from_numpy(r.astype(np.int64))[None, None]
    m = DiceMetric(include_background=False, reduction="none")
    d = m(one_hot(pt, K), one_hot(rt, K))
    out({"dice": {str(i + 1): float(v) for i, v in enumerate(d[0].tolist())}})


def _probs_torch(probs, ref):
    import numpy as np
    import torch
    pr = load_nib(probs)
    C = pr.shape[-1]
    x = torch.from_numpy(np.ascontiguousarray(np.moveaxis(pr.reshape(pr.shape[:3] + (C,)), -1, 0)))[None]
    y = torch.from_numpy(load_nib(ref).astype(np.int64))[None, None]
    return x, y, C


def t_monai_dice(probs, ref):
    from monai.metrics import DiceMetric
    from monai.networks.utils import one_hot
    x, y, C = _probs_torch(probs, ref)
    m = DiceMetric()  # as `segscore monai dice`: a label-map y is the same as its one-hot; y_pred as given
    m(x, one_hot(y, C))
    out({"aggregate": float(m.aggregate().item()), "raw": [float(v) for v in m.get_buffer()[0].tolist()]})


def t_monai_dice_loss(probs, ref):
    from monai.losses import DiceLoss
    x, y, C = _probs_torch(probs, ref)
    out({"aggregate": float(DiceLoss(softmax=True, to_onehot_y=True)(x, y).item())})


def t_numpy_monai(probs, ref):
    """MONAI's DiceMetric and DiceLoss(softmax, to_onehot_y) formulas in numpy (reference values)."""
    import numpy as np
    pr = load_nib(probs)
    C = pr.shape[-1]
    pr = pr.reshape(pr.shape[:3] + (C,))
    r = load_nib(ref)
    raw = []
    for c in range(C):
        G = r == c
        P = pr[..., c] != 0
        g, p = int(G.sum()), int(P.sum())
        i = int((G & P).sum())
        raw.append(float(np.float32(np.float32(2 * i) / np.float32(g + p))) if g > 0 else float("nan"))
    ok = [v for v in raw if v == v]
    x = pr.astype(np.float64)
    x = np.exp(x - x.max(-1, keepdims=True))
    x /= x.sum(-1, keepdims=True)
    losses = []
    for c in range(C):
        G = r == c
        inter = float(x[..., c][G].sum())
        losses.append(1.0 - (2 * inter + 1e-5) / (float(G.sum()) + float(x[..., c].sum()) + 1e-5))
    out({"dice": {"aggregate": sum(ok) / len(ok) if ok else float("nan"), "raw": raw},
         "dice-loss": {"aggregate": sum(losses) / len(losses)}})


# ----------------------------------------------------------------- boundary metrics
BOUNDARY_TOLERANCE_MM = 2.0


def _spacing(path):
    import nibabel as nib
    return [float(z) for z in nib.load(path).header.get_zooms()[:3]]


def _labels(p, r):
    import numpy as np
    return [int(v) for v in np.union1d(np.unique(p), np.unique(r)) if v != 0]


def t_surface_distance(pred, ref):
    """google-deepmind/surface-distance 0.1, one label at a time (its usual use), hd95 / NSD / ASSD."""
    import numpy as np
    import surface_distance as sd
    p, r = load_nib(pred), load_nib(ref)
    spacing = _spacing(ref)
    values = {}
    for label in _labels(p, r):
        g, q = r == label, p == label
        if not g.any() or not q.any():
            continue
        d = sd.compute_surface_distances(g, q, spacing)
        a_gt, a_pred = d["surfel_areas_gt"], d["surfel_areas_pred"]
        assd = (np.sum(d["distances_gt_to_pred"] * a_gt) + np.sum(d["distances_pred_to_gt"] * a_pred)) / (
            np.sum(a_gt) + np.sum(a_pred))
        values[str(label)] = {"hd95": float(sd.compute_robust_hausdorff(d, 95)),
                              "nsd": float(sd.compute_surface_dice_at_tolerance(d, BOUNDARY_TOLERANCE_MM)),
                              "assd": float(assd)}
    out({"boundary": values})


def t_monai_boundary(pred, ref, count="8"):
    """MONAI 1.6.1's three boundary metrics on the first COUNT labels (one-hot of the whole volume each)."""
    import numpy as np
    import torch
    from monai.metrics import HausdorffDistanceMetric, SurfaceDiceMetric, SurfaceDistanceMetric
    p, r = load_nib(pred), load_nib(ref)
    spacing = _spacing(ref)
    # Labels both masks hold: MONAI gives inf/NaN for the others, where segscore applies its empty rule.
    labels = [label for label in _labels(p, r) if (p == label).any() and (r == label).any()][: int(count)]
    values = {}
    for label in labels:
        q = torch.from_numpy((p == label)[None, None].astype(np.float32))
        g = torch.from_numpy((r == label)[None, None].astype(np.float32))
        both_p = torch.cat([1 - q, q], 1)
        both_g = torch.cat([1 - g, g], 1)
        hd95 = HausdorffDistanceMetric(percentile=95)(both_p, both_g, spacing=spacing)
        nsd = SurfaceDiceMetric(class_thresholds=[BOUNDARY_TOLERANCE_MM])(both_p, both_g, spacing=spacing)
        asd = SurfaceDistanceMetric(symmetric=True)(both_p, both_g, spacing=spacing)
        values[str(label)] = {"hd95": float(hd95[0, 0]), "nsd": float(nsd[0, 0]), "assd": float(asd[0, 0])}
    out({"boundary": values, "labels": len(labels), "of": len(_labels(p, r))})


def t_sitk_hausdorff(pred, ref):
    """SimpleITK's HausdorffDistanceImageFilter per label (HD and average HD over voxel centres; no HD95/NSD)."""
    import SimpleITK as sitk
    p, r = sitk.ReadImage(pred), sitk.ReadImage(ref)
    pa, ra = sitk.GetArrayViewFromImage(p), sitk.GetArrayViewFromImage(r)
    values = {}
    for label in _labels(pa, ra):
        if not (pa == label).any() or not (ra == label).any():
            continue
        f = sitk.HausdorffDistanceImageFilter()
        f.Execute(r == label, p == label)
        values[str(label)] = {"hd": f.GetHausdorffDistance(), "avg": f.GetAverageHausdorffDistance()}
    out({"sitk-hausdorff": values})


# ----------------------------------------------------------------- lesion-wise metrics
def t_cc3d_lesions(pred, ref, connectivity="26"):
    """The fastest Python pipeline we could write: nibabel load, cc3d's multi-label labelling of both images,
    then sizes, labels and the (reference, prediction) overlap table from the foreground voxels only."""
    import cc3d
    import nibabel as nib
    import numpy as np
    p, r = load_nib(pred), load_nib(ref)
    pl, pn = cc3d.connected_components(p, connectivity=int(connectivity), return_N=True)
    rl, rn = cc3d.connected_components(r, connectivity=int(connectivity), return_N=True)
    # Views in memory order (nibabel's arrays are Fortran-ordered: ravel() would copy them).
    p, r, pl, rl = (a.ravel(order="K") for a in (p, r, pl, rl))
    pf, rf = np.flatnonzero(p), np.flatnonzero(r)
    psize, rsize = np.bincount(pl[pf], minlength=pn + 1), np.bincount(rl[rf], minlength=rn + 1)
    plab, rlab = np.zeros(pn + 1, np.int64), np.zeros(rn + 1, np.int64)
    plab[pl[pf]], rlab[rl[rf]] = p[pf], r[rf]
    same = pf[r[pf] == p[pf]]
    keys, shared = np.unique(rl[same].astype(np.int64) * (pn + 1) + pl[same], return_counts=True)
    ro, po = keys // (pn + 1), keys % (pn + 1)
    zooms = nib.load(ref).header.get_zooms()[:3]
    voxel_ml = float(zooms[0]) * float(zooms[1]) * float(zooms[2]) / 1000
    values = {}
    for label in sorted(set(plab[1:].tolist()) | set(rlab[1:].tolist())):
        R, P = np.flatnonzero(rlab == label), np.flatnonzero(plab == label)
        R, P = R[R > 0], P[P > 0]
        sel = rlab[ro] == label
        o_r, o_p, o_n = ro[sel], po[sel], shared[sel]
        hit_r, hit_p = np.zeros(rn + 1, bool), np.zeros(pn + 1, bool)
        hit_r[o_r], hit_p[o_p] = True, True
        tp, fp = int(hit_r[R].sum()), int((~hit_p[P]).sum())
        inter = np.bincount(o_r, weights=o_n, minlength=rn + 1)
        touching = np.bincount(o_r, weights=psize[o_p], minlength=rn + 1)
        dice = np.where(inter[R] > 0, 2 * inter[R] / np.maximum(rsize[R] + touching[R], 1), 0.0)
        iou = o_n / (rsize[o_r] + psize[o_p] - o_n)
        match = iou > 0.5
        values[str(label)] = {
            "ref": len(R), "pred": len(P), "tp": tp, "fn": len(R) - tp, "fp": fp,
            "fpVolumeMl": float(psize[P][~hit_p[P]].sum()) * voxel_ml,
            "fnVolumeMl": float(rsize[R][~hit_r[R]].sum()) * voxel_ml,
            "lesionDice": float(dice.sum() / (len(R) + fp)) if len(R) + fp else None,
            "pqTp": int(match.sum()), "sq": float(iou[match].mean()) if match.any() else None}
    out({"lesions": values})


def t_panoptica_lesions(pred, ref):
    """panoptica (pip `panoptica`) as its README sets it up for semantic label maps: nibabel load, one class group
    per label, cc3d connected components (26-connectivity), naive matching at IoU > 0.5 (strict threshold, as
    segscore and the lesion golden set match). Only the panoptic values: panoptica has no detection-by-overlap
    F1, lesion Dice or FP/FN volume."""
    import numpy as np
    from panoptica import (CCABackend, ConnectedComponentsInstanceApproximator, InputType, Metric,
                           NaiveThresholdMatching, Panoptica_Evaluator)
    from panoptica.utils import LabelGroup, SegmentationClassGroups
    from panoptica.utils.citation_reminder import disable_citation_reminder
    disable_citation_reminder()
    p, r = load_nib(pred), load_nib(ref)
    labels = sorted((set(np.unique(p).tolist()) | set(np.unique(r).tolist())) - {0})
    evaluator = Panoptica_Evaluator(
        expected_input=InputType.SEMANTIC,
        instance_approximator=ConnectedComponentsInstanceApproximator(cca_backend=CCABackend.cc3d),
        instance_matcher=NaiveThresholdMatching(matching_threshold=0.5, strict_threshold=True),
        segmentation_class_groups=SegmentationClassGroups({f"label{l}": LabelGroup(l) for l in labels}),
        instance_metrics=[Metric.IOU], global_metrics=[Metric.DSC])
    results = evaluator.evaluate(p, r, verbose=False)
    values = {}
    for label in labels:
        res = results[f"label{label}"]
        tp = int(res.tp)
        values[str(label)] = {
            "ref": int(res.n_ref_instances), "pred": int(res.n_pred_instances), "pqTp": tp,
            "pqFp": int(res.n_pred_instances) - tp, "pqFn": int(res.n_ref_instances) - tp,
            "rq": float(res.rq), "sq": float(res.sq) if tp else None, "pq": float(res.pq)}
    out({"lesions": values})


TOOLS = {
    "bincount": t_bincount, "audit": t_audit, "sitk": t_sitk, "sitk-argmax": t_sitk_argmax,
    "nnunet": t_nnunet, "nnunet-cohort": t_nnunet_cohort, "bincount-cohort": t_bincount_cohort,
    "monai": t_monai, "monai-dice": t_monai_dice, "monai-dice-loss": t_monai_dice_loss,
    "numpy-monai": t_numpy_monai, "surface-distance": t_surface_distance, "monai-boundary": t_monai_boundary,
    "sitk-hausdorff": t_sitk_hausdorff, "cc3d-lesions": t_cc3d_lesions,
    "panoptica-lesions": t_panoptica_lesions,
}

if __name__ == "__main__":
    TOOLS[sys.argv[1]](*sys.argv[2:])

"""Seeded synthetic NIfTI pairs for scripts/bench (anatomy-like label maps).

Every structure is an analytic shape (ellipsoid, tube, rib arc, vertebra) whose surface is
modulated by smooth separable sinusoids; the prediction re-evaluates the same shapes with an extra
smooth boundary displacement of 1-2 voxels, drops a few structures, adds false positives, swaps
labels (adjacent vertebrae, a left/right pair) and under-segments one organ.  Because shapes are
analytic, volumes are produced slab by slab (bounded memory) and streamed through gzip, with the
header written by nibabel (scl_slope 1, sform/qform set).
"""
from __future__ import annotations

import gzip
import io
import json
import math
import os
import sys
import time

import numpy as np
import nibabel as nib

GEN_VERSION = 4
SLAB = 16  # z slices per generated slab


# --------------------------------------------------------------------------- shapes
class Mod:
    """Smooth separable displacement field (voxels): sum_k a_k sin(x)sin(y)sin(z)."""

    def __init__(self, rng, amp, wl_min=12.0, wl_max=48.0, k=3):
        self.terms = []
        for _ in range(k):
            w = 2 * math.pi / rng.uniform(wl_min, wl_max, size=3)
            ph = rng.uniform(0, 2 * math.pi, size=3)
            a = amp * rng.uniform(0.5, 1.0) / math.sqrt(k) * 1.6
            self.terms.append((a, w, ph))

    def eval(self, xs, ys, zs):
        out = None
        for a, w, ph in self.terms:
            fx = (a * np.sin(w[0] * xs + ph[0])).astype(np.float32)[:, None, None]
            fy = np.sin(w[1] * ys + ph[1]).astype(np.float32)[None, :, None]
            fz = np.sin(w[2] * zs + ph[2]).astype(np.float32)[None, None, :]
            t = fx * fy * fz
            out = t if out is None else out + t
        return out


class Shape:
    """Base: bbox in voxels (x0,x1,y0,y1,z0,z1); signed(x) < 0 means inside (in voxels)."""

    label = 0
    bbox = (0, 0, 0, 0, 0, 0)

    def signed(self, xs, ys, zs):  # pragma: no cover - abstract
        raise NotImplementedError


class Ellipsoid(Shape):
    def __init__(self, rng, c, r, label, dims, amp=1.5, rot=True):
        self.c = np.asarray(c, float)
        self.r = np.maximum(np.asarray(r, float), 1.5)
        self.label = label
        if rot:
            q = rng.normal(size=4)
            q /= np.linalg.norm(q)
            a, b, cc, d = q
            self.R = np.array([
                [a*a+b*b-cc*cc-d*d, 2*(b*cc-a*d), 2*(b*d+a*cc)],
                [2*(b*cc+a*d), a*a-b*b+cc*cc-d*d, 2*(cc*d-a*b)],
                [2*(b*d-a*cc), 2*(cc*d+a*b), a*a-b*b-cc*cc+d*d]])
        else:
            self.R = np.eye(3)
        self.mod = Mod(rng, amp) if amp > 0 else None
        ext = self.r.max() + amp * 2 + 3
        self.bbox = _clip_bbox(self.c, ext, dims)
        self.reff = float(np.exp(np.mean(np.log(self.r))))

    def signed(self, xs, ys, zs):
        dx = (xs - self.c[0]).astype(np.float32)[:, None, None]
        dy = (ys - self.c[1]).astype(np.float32)[None, :, None]
        dz = (zs - self.c[2]).astype(np.float32)[None, None, :]
        s = None
        for i in range(3):
            u = (self.R[i, 0] * dx + self.R[i, 1] * dy + self.R[i, 2] * dz) / np.float32(self.r[i])
            u = u * u
            s = u if s is None else s + u
        d = (np.sqrt(s) - 1.0) * np.float32(self.reff)
        if self.mod is not None:
            d = d - self.mod.eval(xs, ys, zs)
        return d


class Tube(Shape):
    """Vessel-like tube along z with a sinuous centre line."""

    def __init__(self, rng, c, radius, z0, z1, label, dims, wander=6.0):
        self.c = np.asarray(c, float)
        self.rad = max(radius, 1.2)
        self.label = label
        self.z0, self.z1 = z0, z1
        self.w = 2 * math.pi / rng.uniform(60, 200, size=2)
        self.ph = rng.uniform(0, 2 * math.pi, size=2)
        self.wander = wander
        self.mod = Mod(rng, 0.8)
        ext = self.rad + wander + 4
        x0, x1 = int(max(0, c[0] - ext)), int(min(dims[0], c[0] + ext + 1))
        y0, y1 = int(max(0, c[1] - ext)), int(min(dims[1], c[1] + ext + 1))
        self.bbox = (x0, x1, y0, y1, int(max(0, z0)), int(min(dims[2], z1)))

    def signed(self, xs, ys, zs):
        cx = self.c[0] + self.wander * np.sin(self.w[0] * zs + self.ph[0])
        cy = self.c[1] + self.wander * np.sin(self.w[1] * zs + self.ph[1])
        dx = xs.astype(np.float32)[:, None, None] - cx.astype(np.float32)[None, None, :]
        dy = ys.astype(np.float32)[None, :, None] - cy.astype(np.float32)[None, None, :]
        d = np.sqrt(dx * dx + dy * dy) - np.float32(self.rad)
        return d - self.mod.eval(xs, ys, zs)


class RibArc(Shape):
    """Rib-like curved bar: part of an elliptical ring in the axial plane, thin in z."""

    def __init__(self, rng, c, a, b, zc, thick, ang0, ang1, label, dims):
        self.c = np.asarray(c, float)
        self.a, self.b, self.zc, self.t = a, b, zc, max(thick, 1.2)
        self.ang0, self.ang1 = ang0, ang1
        self.label = label
        self.mod = Mod(rng, 0.6)
        ext = max(a, b) + self.t + 4
        x0, x1 = int(max(0, c[0] - ext)), int(min(dims[0], c[0] + ext + 1))
        y0, y1 = int(max(0, c[1] - ext)), int(min(dims[1], c[1] + ext + 1))
        self.bbox = (x0, x1, y0, y1, int(max(0, zc - self.t - 6)), int(min(dims[2], zc + self.t + 7)))

    def signed(self, xs, ys, zs):
        dx = (xs - self.c[0]).astype(np.float32)[:, None, None] / np.float32(self.a)
        dy = (ys - self.c[1]).astype(np.float32)[None, :, None] / np.float32(self.b)
        rr = np.sqrt(dx * dx + dy * dy)
        radial = (rr - 1.0) * np.float32(min(self.a, self.b))
        dz = (zs - self.zc).astype(np.float32)[None, None, :]
        d = np.sqrt(radial * radial + dz * dz) - np.float32(self.t)
        ang = np.arctan2(dy, dx)
        outside = (ang < self.ang0) | (ang > self.ang1)
        d = np.where(outside, np.float32(1e3), d)
        return d - self.mod.eval(xs, ys, zs)


def _clip_bbox(c, ext, dims):
    return (int(max(0, c[0] - ext)), int(min(dims[0], c[0] + ext + 1)),
            int(max(0, c[1] - ext)), int(min(dims[1], c[1] + ext + 1)),
            int(max(0, c[2] - ext)), int(min(dims[2], c[2] + ext + 1)))


# --------------------------------------------------------------------------- anatomy
def build_anatomy(dims, n_labels, seed):
    """Return (ref_shapes, pred_shapes, pred_pert) in paint order; labels 1..n_labels."""
    rng = np.random.default_rng(seed)
    nx, ny, nz = dims
    s = min(nx, ny) / 512.0  # in-plane scale
    sz = nz / 400.0
    cx, cy = nx / 2, ny / 2
    shapes = []  # (shape, kind)
    label = [0]
    if n_labels <= 8:
        return _build_small(rng, dims, n_labels, seed)

    def nl():
        label[0] += 1
        return label[0]

    # 1) big paired muscles (elongated along z)
    for i in range(5):
        for side in (-1, 1):
            c = (cx + side * rng.uniform(60, 140) * s, cy + rng.uniform(-40, 80) * s, nz * rng.uniform(0.3, 0.7))
            r = (rng.uniform(18, 35) * s, rng.uniform(15, 30) * s, nz * rng.uniform(0.12, 0.3))
            shapes.append((Ellipsoid(rng, c, r, nl(), dims, amp=1.5 * max(s, 0.5), rot=False), "muscle"))
    # 2) organs (some paired), with nested lesions later
    organs = []
    for i in range(16):
        c = (cx + rng.uniform(-120, 120) * s, cy + rng.uniform(-110, 60) * s, nz * rng.uniform(0.2, 0.8))
        r = (rng.uniform(18, 65) * s, rng.uniform(15, 50) * s, rng.uniform(20, 70) * sz)
        e = Ellipsoid(rng, c, r, nl(), dims, amp=2.0 * max(s, 0.5))
        shapes.append((e, "organ"))
        organs.append(e)
    pair = []
    for i in range(3):
        c0 = (cx + rng.uniform(50, 110) * s, cy + rng.uniform(0, 60) * s, nz * rng.uniform(0.3, 0.6))
        r = (rng.uniform(12, 25) * s, rng.uniform(15, 28) * s, rng.uniform(20, 40) * sz)
        for side in (-1, 1):
            c = (cx + side * (c0[0] - cx), c0[1], c0[2])
            e = Ellipsoid(rng, c, r, nl(), dims, amp=1.5 * max(s, 0.5))
            shapes.append((e, "organ"))
            pair.append(e)
    # 3) vessels
    for i in range(10):
        z0 = nz * rng.uniform(0.0, 0.4)
        z1 = z0 + nz * rng.uniform(0.3, 0.6)
        c = (cx + rng.uniform(-90, 90) * s, cy + rng.uniform(-60, 60) * s)
        shapes.append((Tube(rng, c, rng.uniform(3, 12) * s, z0, z1, nl(), dims, wander=6 * s), "vessel"))
    # 4) ribs (pairs)
    n_rib_pairs = 12
    for i in range(n_rib_pairs):
        zc = nz * (0.25 + 0.6 * i / n_rib_pairs)
        for side in (-1, 1):
            # angles in the (x,y) plane, left/right halves of the ring
            if side < 0:
                a0, a1 = (1.75, 3.1)
            else:
                a0, a1 = (0.05, 1.4)
            shapes.append((RibArc(rng, (cx, cy + 10 * s), 170 * s, 120 * s, zc, 3.0 * max(s, 0.6),
                                  a0 - 0.1, a1, nl(), dims), "rib"))
    # 5) vertebra stack + spinal canal
    n_vert = 24
    spine_x, spine_y = cx, cy + 90 * s
    verts = []
    for i in range(n_vert):
        zc = nz * (0.03 + 0.94 * (i + 0.5) / n_vert)
        hz = 0.94 * nz / n_vert * 0.38
        c = (spine_x + 4 * s * math.sin(i / 3.0), spine_y + 8 * s * math.sin(i / 7.0), zc)
        body = Ellipsoid(rng, c, (18 * s, 15 * s, hz), nl(), dims, amp=0.8 * max(s, 0.5), rot=False)
        shapes.append((body, "vertebra"))
        verts.append(body)
    canal = Tube(rng, (spine_x, spine_y + 24 * s), 6 * s, 0, nz, nl(), dims, wander=3 * s)
    shapes.append((canal, "canal"))
    # 6) small blobs up to n_labels - nested lesions
    n_lesions = 4
    while label[0] < n_labels - n_lesions:
        c = (cx + rng.uniform(-150, 150) * s, cy + rng.uniform(-130, 100) * s, nz * rng.uniform(0.05, 0.95))
        r = rng.uniform(4, 14, size=3) * np.array([s, s, sz])
        shapes.append((Ellipsoid(rng, c, r, nl(), dims, amp=0.8 * max(s, 0.5)), "blob"))
    # 7) nested lesions inside organs
    for i in range(n_lesions):
        o = organs[i]
        c = o.c + rng.uniform(-0.3, 0.3, size=3) * o.r
        r = o.r * rng.uniform(0.2, 0.35)
        shapes.append((Ellipsoid(rng, c, r, nl(), dims, amp=0.8 * max(s, 0.5)), "lesion"))
    # if fewer labels were requested than structures, write_pair folds them onto 1..n_labels
    ref = [sh for sh, _ in shapes]

    # ------------------------------------------------ prediction errors
    prng = np.random.default_rng(seed + 7919)
    pred = []
    relabel = {}
    # adjacent vertebra swap and a left/right swap
    if len(verts) > 12:
        a, b = verts[10].label, verts[11].label
        relabel[a], relabel[b] = b, a
    if len(pair) >= 2:
        relabel[pair[0].label], relabel[pair[1].label] = pair[1].label, pair[0].label
    small = [sh for sh, k in shapes if k in ("blob", "vessel")]
    missed = set(id(x) for x in prng.choice(np.array(small, dtype=object), size=max(1, len(small) // 25), replace=False)) if small else set()
    for sh, kind in shapes:
        if id(sh) in missed:
            continue
        pred.append(sh)
    # false positives: existing labels placed elsewhere
    for i in range(3):
        src = ref[prng.integers(0, len(ref))]
        c = (cx + prng.uniform(-150, 150) * s, cy + prng.uniform(-130, 100) * s, nz * prng.uniform(0.05, 0.95))
        r = prng.uniform(4, 10, size=3) * np.array([s, s, sz])
        pred.append(Ellipsoid(prng, c, r, src.label, dims, amp=0.5))
    pert = {id(sh): Mod(prng, amp=prng.uniform(1.0, 2.0) * max(min(s, 1.0), 0.5)) for sh in pred}
    under = {id(organs[5]): 0.85 * organs[5].reff} if len(organs) > 5 else {}
    return ref, pred, pert, relabel, under, label[0]


def _build_small(rng, dims, n_labels, seed):
    """Few-label map (BraTS/organ-like): organs with nested sub-regions, one vessel."""
    nx, ny, nz = dims
    m = min(dims)
    amp = max(m / 128.0, 0.5) * 1.5
    ref, organs = [], []
    c0 = np.array(dims, float) / 2 + rng.uniform(-0.08, 0.08, size=3) * m
    big = Ellipsoid(rng, c0, rng.uniform(0.22, 0.3, size=3) * m, 1, dims, amp=amp)
    ref.append(big)
    organs.append(big)
    lab = 2
    inner = Ellipsoid(rng, c0 + rng.uniform(-0.04, 0.04, size=3) * m, big.r * rng.uniform(0.45, 0.6), lab, dims, amp=amp)
    ref.append(inner)
    lab += 1
    if lab <= n_labels - 1:
        ref.append(Ellipsoid(rng, inner.c, inner.r * 0.45, lab, dims, amp=amp * 0.6))
        lab += 1
    while lab <= n_labels:
        c = rng.uniform(0.2, 0.8, size=3) * np.array(dims, float)
        e = Ellipsoid(rng, c, rng.uniform(0.06, 0.12, size=3) * m, lab, dims, amp=amp)
        ref.insert(0, e)
        organs.append(e)
        lab += 1
    prng = np.random.default_rng(seed + 7919)
    pred = list(ref)
    c = rng.uniform(0.15, 0.85, size=3) * np.array(dims, float)
    pred.append(Ellipsoid(prng, c, prng.uniform(0.02, 0.04, size=3) * m, n_labels, dims, amp=0.5))  # false positive
    pert = {id(sh): Mod(prng, amp=prng.uniform(1.0, 2.0)) for sh in pred}
    under = {id(organs[-1]): 0.85 * organs[-1].reff} if len(organs) > 1 else {}
    return ref, pred, pert, {}, under, n_labels


def render(shapes, dims, z0, z1, dtype, pert=None, relabel=None, under=None, label_map=None):
    nx, ny, nz = dims
    out = np.zeros((nx, ny, z1 - z0), dtype=dtype)
    for sh in shapes:
        bx0, bx1, by0, by1, bz0, bz1 = sh.bbox
        a, b = max(bz0, z0), min(bz1, z1)
        if a >= b or bx0 >= bx1 or by0 >= by1:
            continue
        xs = np.arange(bx0, bx1, dtype=np.float64)
        ys = np.arange(by0, by1, dtype=np.float64)
        zs = np.arange(a, b, dtype=np.float64)
        d = sh.signed(xs, ys, zs)
        if pert is not None and id(sh) in pert:
            d = d - pert[id(sh)].eval(xs, ys, zs)
        if under and id(sh) in under:
            d = d + np.float32(under[id(sh)] * 0.15)
        lab = sh.label
        if relabel:
            lab = relabel.get(lab, lab)
        if label_map is not None:
            lab = label_map[lab]
        inside = d < 0
        view = out[bx0:bx1, by0:by1, a - z0:b - z0]
        view[inside] = lab
    return out


# --------------------------------------------------------------------------- writing
def affine_for(dims, spacing):
    aff = np.diag([-spacing[0], -spacing[1], spacing[2], 1.0])  # LPS-ish like CT
    aff[:3, 3] = [spacing[0] * (dims[0] - 1) / 2, spacing[1] * (dims[1] - 1) / 2, -spacing[2] * dims[2] / 2]
    return aff


def header_bytes(shape, dtype, aff, intent=None):
    hdr = nib.Nifti1Header()
    hdr.set_data_dtype(dtype)
    hdr.set_data_shape(shape)
    zooms = list(np.sqrt((aff[:3, :3] ** 2).sum(0))) + [1.0] * (len(shape) - 3)
    hdr.set_zooms(zooms[:len(shape)])
    hdr.set_sform(aff, code=1)
    hdr.set_qform(aff, code=1)
    hdr.set_slope_inter(1.0, 0.0)
    hdr.set_xyzt_units("mm", "sec")
    if intent:
        hdr.set_intent(intent)
    hdr["vox_offset"] = 352
    b = io.BytesIO()
    hdr.write_to(b)
    raw = b.getvalue()
    assert len(raw) == 352, len(raw)
    return raw


def open_out(path, level):
    if path.endswith(".gz") or path.endswith(".gz.part"):
        return gzip.open(path, "wb", compresslevel=level)
    return open(path, "wb")


def write_pair(ref_path, pred_path, dims, n_labels, dtype, seed, level, spacing=(0.8, 0.8, 1.5),
               label_values=None, slab=SLAB):
    ref_s, pred_s, pert, relabel, under, nstruct = build_anatomy(dims, n_labels, seed)
    label_map = None
    if nstruct > n_labels or label_values is not None:
        # fewer labels than structures: fold structures onto 1..n_labels
        vals = label_values if label_values is not None else [1 + (i % n_labels) for i in range(nstruct)]
        label_map = {i + 1: vals[i] for i in range(nstruct)}
    aff = affine_for(dims, spacing)
    hb = header_bytes(dims, np.dtype(dtype), aff)
    tmp_r, tmp_p = ref_path + ".part", pred_path + ".part"
    with open_out(tmp_r, level) as fr, open_out(tmp_p, level) as fp:
        fr.write(hb)
        fp.write(hb)
        for z0 in range(0, dims[2], slab):
            z1 = min(dims[2], z0 + slab)
            r = render(ref_s, dims, z0, z1, dtype, label_map=label_map)
            fr.write(r.tobytes(order="F"))
            p = render(pred_s, dims, z0, z1, dtype, pert=pert, relabel=relabel, under=under, label_map=label_map)
            fp.write(p.tobytes(order="F"))
    os.replace(tmp_r, ref_path)
    os.replace(tmp_p, pred_path)


def write_lesion_pair(ref_path, pred_path, dims, n_lesions, n_labels, seed, level, spacing=(0.8, 0.8, 1.5)):
    """Small balls (radius 1.5-5.5 voxels) of labels 1..n_labels: the reference; the prediction finds 80 % of them
    shifted by up to a voxel and resized, misses the rest and adds 15 % small false positives."""
    rng = np.random.default_rng(seed)
    ref = np.zeros(dims, np.uint8, order="F")
    pred = np.zeros(dims, np.uint8, order="F")
    zz, yy, xx = np.mgrid[-6:7, -6:7, -6:7]
    lo, hi = [8, 8, 8], [d - 8 for d in dims]

    def ball(r, shift=(0, 0, 0)):
        return ((xx - shift[0]) ** 2 + (yy - shift[1]) ** 2 + (zz - shift[2]) ** 2) <= r * r

    for _ in range(n_lesions):
        c, r, label = rng.integers(lo, hi), rng.uniform(1.5, 5.5), rng.integers(1, n_labels + 1)
        box = tuple(slice(c[k] - 6, c[k] + 7) for k in range(3))
        ref[box][ball(r)] = label
        if rng.random() < 0.8:
            pred[box][ball(max(1.0, r + rng.uniform(-1, 1)), rng.integers(-1, 2, 3))] = label
    for _ in range(int(0.15 * n_lesions)):
        c = rng.integers(lo, hi)
        box = tuple(slice(c[k] - 6, c[k] + 7) for k in range(3))
        pred[box][ball(rng.uniform(1, 3))] = rng.integers(1, n_labels + 1)
    hb = header_bytes(dims, np.dtype(np.uint8), affine_for(dims, spacing))
    for path, volume in ((ref_path, ref), (pred_path, pred)):
        with open_out(path + ".part", level) as f:
            f.write(hb)
            f.write(volume.tobytes(order="F"))
        os.replace(path + ".part", path)


def write_prob_pair(prob_path, ref_path, dims, n_classes, seed, level, spacing=(1.0, 1.0, 1.0)):
    """(x,y,z,1,C) float32 softmax probabilities vs a uint8 label map with labels 0..C-1."""
    ref_s, pred_s, pert, relabel, under, nstruct = build_anatomy(dims, n_classes - 1, seed)
    lm = {i + 1: 1 + (i % (n_classes - 1)) for i in range(nstruct)}
    ref = render(ref_s, dims, 0, dims[2], np.uint8, label_map=lm)
    pred_lab = render(pred_s, dims, 0, dims[2], np.uint8, pert=pert, relabel=relabel, under=under, label_map=lm)
    rng = np.random.default_rng(seed + 31)
    xs, ys, zs = (np.arange(n, dtype=np.float64) for n in dims)
    logits = np.empty(dims + (n_classes,), dtype=np.float32)
    for c in range(n_classes):
        m = Mod(rng, amp=1.0, wl_min=8, wl_max=30, k=3).eval(xs, ys, zs)
        logits[..., c] = m + np.where(pred_lab == c, np.float32(4.0), np.float32(0.0))
    logits -= logits.max(axis=-1, keepdims=True)
    np.exp(logits, out=logits)
    logits /= logits.sum(axis=-1, keepdims=True)
    probs = logits.astype(np.float32)
    aff = affine_for(dims, spacing)
    shape5 = dims + (1, n_classes)
    for path, arr, hb in (
        (prob_path, probs.reshape(shape5), header_bytes(shape5, np.dtype(np.float32), aff)),
        (ref_path, ref, header_bytes(dims, np.dtype(np.uint8), aff)),
    ):
        with open_out(path + ".part", level) as f:
            f.write(hb)
            f.write(arr.tobytes(order="F"))
        os.replace(path + ".part", path)


# --------------------------------------------------------------------------- cases
def case_specs(quick):
    if quick:
        return {
            "a": dict(kind="pair", dims=(128, 128, 100), labels=104, dtype="uint8", ext=".nii.gz",
                      desc="a: 128×128×100 uint8, 104 labels (quick)"),
            "b": dict(kind="pair", dims=(128, 128, 250), labels=117, dtype="int16", ext=".nii.gz",
                      desc="b: 128×128×250 int16, 117 labels (quick)"),
            "c": dict(kind="pair", dims=(64, 64, 64), labels=4, dtype="uint8", ext=".nii.gz",
                      desc="c: 64³ uint8, 4 labels (quick)"),
            "d": dict(kind="prob", dims=(64, 64, 64), classes=5, ext=".nii.gz",
                      desc="d: 64³×5 float32 probs vs labels (quick)"),
            "e": dict(kind="pair", dims=(256, 256, 128), labels=104, dtype="uint8", ext=".nii",
                      desc="e: 256×256×128 uint8 .nii (quick)"),
            "f": dict(kind="cohort", dims=(64, 64, 64), labels=4, dtype="uint8", n=12, ext=".nii.gz",
                      desc="f: cohort 12 × 64³ pairs (quick)"),
            "g": dict(kind="boundary", dims=(128, 128, 100), labels=104, dtype="uint8", ext=".nii.gz",
                      desc="g: boundary metrics, 128×128×100 uint8, 104 labels (quick)"),
            "h": dict(kind="lesions", dims=(128, 128, 100), lesions=150, labels=3, dtype="uint8", ext=".nii.gz",
                      desc="h: lesion-wise metrics, 128×128×100 uint8, ~150 lesions over 3 labels (quick)"),
        }
    return {
        "a": dict(kind="pair", dims=(512, 512, 400), labels=104, dtype="uint8", ext=".nii.gz",
                  desc="a: 512×512×400 uint8, 104 labels"),
        "b": dict(kind="pair", dims=(512, 512, 1000), labels=117, dtype="int16", ext=".nii.gz",
                  desc="b: 512×512×1000 int16, 117 labels"),
        "c": dict(kind="pair", dims=(128, 128, 128), labels=4, dtype="uint8", ext=".nii.gz",
                  desc="c: 128³ uint8, 4 labels"),
        "d": dict(kind="prob", dims=(128, 128, 128), classes=5, ext=".nii.gz",
                  desc="d: 128³×5 float32 probs vs labels"),
        "e": dict(kind="pair", dims=(1024, 1024, 1000), labels=104, dtype="uint8", ext=".nii",
                  desc="e: 1024×1024×1000 uint8 .nii (1 GB each)"),
        "f": dict(kind="cohort", dims=(128, 128, 128), labels=4, dtype="uint8", n=200, ext=".nii.gz",
                  desc="f: cohort 200 × 128³ uint8 pairs"),
        "g": dict(kind="boundary", dims=(512, 512, 400), labels=104, dtype="uint8", ext=".nii.gz",
                  desc="g: boundary metrics (hd95, NSD@2 mm, ASSD), 512×512×400 uint8, 104 labels"),
        "h": dict(kind="lesions", dims=(512, 512, 400), lesions=2000, labels=3, dtype="uint8", ext=".nii.gz",
                  desc="h: lesion-wise metrics (connectivity 26), 512×512×400 uint8, ~2,000 lesions over 3 labels"),
    }


def gz_ratio(paths, dims_bytes):
    comp = sum(os.path.getsize(p) for p in paths)
    return dims_bytes / comp if comp else float("nan")


def ensure_case(work, cid, spec, quick, level, log=print):
    """Generate (or reuse) case data; returns an info dict (paths, ratio, …)."""
    name = f"{cid}-{'quick' if quick else 'full'}"
    d = os.path.join(work, "data", name)
    meta_path = os.path.join(d, "meta.json")
    key = dict(spec, version=GEN_VERSION, level=level)
    key = json.loads(json.dumps(key))
    if os.path.exists(meta_path):
        with open(meta_path) as f:
            meta = json.load(f)
        if meta.get("key") == key and all(os.path.exists(p) for p in meta["files"]):
            meta["cached"] = True
            return meta
    os.makedirs(d, exist_ok=True)
    t0 = time.time()
    ext = spec["ext"]
    seed = 1000 + ord(cid)
    if spec["kind"] in ("pair", "boundary"):
        ref, pred = os.path.join(d, "ref" + ext), os.path.join(d, "pred" + ext)
        write_pair(ref, pred, tuple(spec["dims"]), spec["labels"], spec["dtype"], seed, level)
        files = [pred, ref]
        raw = 2 * int(np.prod(spec["dims"])) * np.dtype(spec["dtype"]).itemsize + 2 * 352
        meta = dict(pred=pred, ref=ref, files=files)
    elif spec["kind"] == "lesions":
        ref, pred = os.path.join(d, "ref" + ext), os.path.join(d, "pred" + ext)
        write_lesion_pair(ref, pred, tuple(spec["dims"]), spec["lesions"], spec["labels"], seed, level)
        files = [pred, ref]
        raw = 2 * int(np.prod(spec["dims"])) + 2 * 352
        meta = dict(pred=pred, ref=ref, files=files)
    elif spec["kind"] == "prob":
        ref, pred = os.path.join(d, "ref" + ext), os.path.join(d, "probs" + ext)
        write_prob_pair(pred, ref, tuple(spec["dims"]), spec["classes"], seed, level)
        files = [pred, ref]
        nvox = int(np.prod(spec["dims"]))
        raw = nvox * 4 * spec["classes"] + nvox + 2 * 352
        meta = dict(pred=pred, ref=ref, files=files)
    else:
        pdir, rdir = os.path.join(d, "pred"), os.path.join(d, "ref")
        os.makedirs(pdir, exist_ok=True)
        os.makedirs(rdir, exist_ok=True)
        files = []
        for i in range(spec["n"]):
            fn = f"case_{i:04d}{ext}"
            write_pair(os.path.join(rdir, fn), os.path.join(pdir, fn), tuple(spec["dims"]), spec["labels"],
                       spec["dtype"], seed * 1000 + i, level)
            files += [os.path.join(pdir, fn), os.path.join(rdir, fn)]
        raw = len(files) * (int(np.prod(spec["dims"])) * np.dtype(spec["dtype"]).itemsize + 352)
        meta = dict(pred=pdir, ref=rdir, files=files)
    meta["ratio"] = gz_ratio(files, raw) if ext.endswith(".gz") else 1.0
    meta["raw_bytes"] = raw
    meta["bytes"] = sum(os.path.getsize(p) for p in files)
    meta["gen_seconds"] = round(time.time() - t0, 2)
    meta["key"] = key
    with open(meta_path + ".part", "w") as f:
        json.dump(meta, f, indent=1)
    os.replace(meta_path + ".part", meta_path)
    meta["cached"] = False
    return meta


if __name__ == "__main__":
    # python gen.py WORK CASES [--quick]
    work, cases = sys.argv[1], sys.argv[2].split(",")
    quick = "--quick" in sys.argv
    specs = case_specs(quick)
    for c in cases:
        m = ensure_case(work, c, specs[c], quick, int(os.environ.get("BENCH_GZIP_LEVEL", "1")))
        print(c, json.dumps({k: v for k, v in m.items() if k not in ("files", "key")}))

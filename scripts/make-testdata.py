#!/usr/bin/env python3
"""Regenerate every file in TestData/ and the values the tests expect from them.

Dependencies: Python 3.9+, numpy and nibabel:

    python3 -m pip install numpy nibabel

Run from anywhere:

    python3 scripts/make-testdata.py

The output is deterministic (seeded generator, gzip mtime 0), so re-running it on an unchanged script gives
byte-identical files and a clean `git diff`. Headers are built with nibabel's header classes and written
byte by byte here (header + extender + voxels), so nothing about scaling or offsets is left to a writer's
defaults; malformed files are valid files with individual bytes patched afterwards.

Expected values (TestData/expected.json) come from nibabel (header fields, best affine, voxel dtype) and
numpy (voxel decoding, scaling, counts) applied to the bytes on disk — never from the generator's own
arrays — so a wrong write would show up as a disagreement, not be hidden by it.
"""

import gzip
import hashlib
import io
import json
import math
import shutil
import struct
from pathlib import Path

import nibabel as nib
import numpy as np

ROOT = Path(__file__).resolve().parent.parent / "TestData"
SEED = 20260501

ANALYZE_SIZE = {1: 348, 2: 540}
N1_EXTENDED = 352
N2_EXTENDED = 544

# NIfTI-1 field offsets patched by the malformed cases (see shared docs/nifti-format.md §1).
N1 = {"sizeof_hdr": 0, "dim": 40, "datatype": 70, "bitpix": 72, "vox_offset": 108, "scl_slope": 112,
      "scl_inter": 116, "sform_code": 254, "magic": 344}
N2 = {"magic": 4, "dim": 16}

LABEL_VALUES = {
    "uint8": [0, 1, 2, 7, 255],
    "int8": [0, 1, -3, 5, 127, -128],
    "int16": [0, 1, 2, -300, 1000],
    "uint16": [0, 1, 3, 65535],
    "int32": [0, 1, -70000, 100000],
    "uint32": [0, 1, 4_000_000_000],
    "int64": [0, 1, -(2 ** 40), 2 ** 53 + 1],  # 2^53 + 1 does not survive a trip through Double.
    "uint64": [0, 1, 2 ** 63 + 5, 2 ** 64 - 1],
    "float32": [0, 1, 2, -4, 1000],
    "float64": [0, 1, 2, 2 ** 52],
}

SMALL_SHAPE = (6, 5, 4)
ZOOMS = (1.5, 2.0, 2.5)


# ----------------------------------------------------------------------------------------------------------
# Building files


def base_affine(zooms=ZOOMS, offset=(-4.5, 3.0, 10.25)):
    affine = np.diag(list(zooms[:3]) + [1.0])
    affine[:3, 3] = offset
    return affine


def make_header(shape, dtype, *, version=1, endian="<", pair=False, zooms=ZOOMS, affine=None, qform_code=1,
                sform_code=2, slope=1.0, inter=0.0, intent=0, descrip=b"segscore test data"):
    """A nibabel header with every field this project reads set explicitly."""
    cls = nib.Nifti1Header if version == 1 else nib.Nifti2Header
    hdr = cls(endianness=endian)
    hdr.set_data_shape(shape)
    hdr.set_data_dtype(dtype)
    hdr.set_zooms(tuple(zooms[: len(shape)]) + (1.0,) * max(0, len(shape) - len(zooms)))
    affine = base_affine(zooms) if affine is None else affine
    hdr.set_qform(affine, qform_code)
    hdr.set_sform(affine, sform_code)
    if qform_code == 0:
        hdr["quatern_b"] = hdr["quatern_c"] = hdr["quatern_d"] = 0
        hdr["qoffset_x"] = hdr["qoffset_y"] = hdr["qoffset_z"] = 0
    if sform_code == 0:
        hdr["srow_x"] = hdr["srow_y"] = hdr["srow_z"] = 0
    hdr["scl_slope"] = slope
    hdr["scl_inter"] = inter
    hdr["intent_code"] = intent
    hdr["descrip"] = descrip
    hdr.set_xyzt_units("mm", "sec")
    if pair:
        hdr["magic"] = b"ni1" if version == 1 else b"ni2"
        hdr["vox_offset"] = 0
    else:
        hdr["vox_offset"] = N1_EXTENDED if version == 1 else N2_EXTENDED
    return hdr


def voxel_bytes(hdr, values):
    """Voxels in the header's dtype and byte order, Fortran (NIfTI) order."""
    return np.asarray(values).astype(hdr.get_data_dtype()).tobytes(order="F")


def single_file(hdr, values):
    """Header, 4-byte extender (no extensions) and voxels, as one `.nii`."""
    return hdr.binaryblock + b"\0" * 4 + voxel_bytes(hdr, values)


def label_volume(rng, shape, values):
    """Random labels from `values`, background-heavy like a real segmentation, every value present."""
    weights = np.array([4.0] + [1.0] * (len(values) - 1))
    indices = rng.choice(len(values), size=int(np.prod(shape)), p=weights / weights.sum())
    indices[: len(values)] = np.arange(len(values))  # every value occurs at least once
    rng.shuffle(indices)
    return np.array(values, dtype=object)[indices].reshape(shape, order="F")


def gz(data, name=None):
    """Deterministic gzip: mtime 0, and FNAME only when a name is given."""
    out = io.BytesIO()
    with gzip.GzipFile(filename=name or "", mode="wb", fileobj=out, mtime=0, compresslevel=9) as f:
        f.write(data)
    return out.getvalue()


def patch(data, offset, fmt, *values):
    """`data` with `values` packed at `offset`; `fmt` is little-endian unless it starts with '>'."""
    data = bytearray(data)
    struct.pack_into(fmt if fmt[0] in "<>" else "<" + fmt, data, offset, *values)
    return bytes(data)


def write(rel, data):
    path = ROOT / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


# ----------------------------------------------------------------------------------------------------------
# Valid files

VALID = {}  # relative path -> (what it exercises, how it was made)


def valid(rel, data, what, how):
    write(rel, data)
    VALID[rel] = (what, how)


def make_valid(rng):
    for name, values in LABEL_VALUES.items():
        vol = label_volume(rng, SMALL_SHAPE, values)
        for endian, tag in (("<", "le"), (">", "be")):
            hdr = make_header(SMALL_SHAPE, np.dtype(name), endian=endian)
            valid(f"dtype-{name}-{tag}.nii", single_file(hdr, vol),
                  f"datatype {name}, {'little' if tag == 'le' else 'big'}-endian; values {values}",
                  "NIfTI-1 n+1, 6×5×4, q1/s2")

    vol = label_volume(rng, SMALL_SHAPE, [0, 1, 2, 3])
    for endian, tag in (("<", "le"), (">", "be")):
        hdr = make_header(SMALL_SHAPE, np.int16, version=2, endian=endian)
        valid(f"nifti2-int16-{tag}.nii", single_file(hdr, vol), f"NIfTI-2 n+2, {tag} byte order",
              "nib.Nifti2Header, vox_offset 544")
    hdr = make_header(SMALL_SHAPE, np.float64, version=2)
    valid("nifti2-float64.nii.gz", gz(single_file(hdr, vol)), "NIfTI-2 gzip, float64 labels", "Nifti2Header + gzip")

    # .hdr/.img pairs: NIfTI-1, NIfTI-2, and a gzip-compressed .img.
    vol = label_volume(rng, SMALL_SHAPE, [0, 1, 2])
    hdr = make_header(SMALL_SHAPE, np.uint8, pair=True)
    valid("pair-ni1.hdr", hdr.binaryblock, "ni1 pair header (exactly 348 B, no extender)", "magic ni1, vox_offset 0")
    write("pair-ni1.img", voxel_bytes(hdr, vol))
    hdr = make_header(SMALL_SHAPE, np.int16, pair=True, endian=">")
    valid("pair-img-gz.hdr", hdr.binaryblock + b"\0" * 4, "ni1 pair, big-endian, data in .img.gz",
          "magic ni1, header with extender")
    write("pair-img-gz.img.gz", gz(voxel_bytes(hdr, vol)))
    hdr = make_header(SMALL_SHAPE, np.int32, version=2, pair=True)
    valid("pair-ni2.hdr", hdr.binaryblock, "ni2 pair header (540 B)", "magic ni2, vox_offset 0")
    write("pair-ni2.img", voxel_bytes(hdr, vol))

    # Scaling.
    stored = label_volume(rng, SMALL_SHAPE, [0, 1, 2])
    cases = [
        ("scaled-2x-plus10.nii", np.int16, 2.0, 10.0, "slope 2, inter 10: stored 0/1/2 are labels 10/12/14"),
        ("scaled-half.nii", np.uint8, 0.5, 0.0, "slope 0.5: labels 0/0.5/1 are non-integral → not a label map"),
        ("scaled-slope0.nii", np.uint8, 0.0, 5.0, "slope 0 means no scaling (inter ignored)"),
        ("scaled-slope-nan.nii", np.uint8, math.nan, 0.0, "NaN slope means no scaling"),
        ("scaled-float32-3x.nii", np.float32, 3.0, -1.0, "float32 scaled to integral labels -1/2/5"),
    ]
    for rel, dtype, slope, inter, what in cases:
        hdr = make_header(SMALL_SHAPE, dtype, slope=slope, inter=inter)
        valid(rel, single_file(hdr, stored), what, "scl_slope/scl_inter set in the header")

    # gzip variants of one larger file (large enough that members and blocks matter).
    shape = (20, 16, 10)
    nii = single_file(make_header(shape, np.int16), label_volume(rng, shape, [0, 1, 2, 3, 4]))
    valid("gzip-single.nii.gz", gz(nii), "gzip, one member, no FNAME", "gzip.GzipFile(mtime=0)")
    valid("gzip-two-members.nii.gz", gz(nii[:200]) + gz(nii[200:]),
          "gzip with two members, split inside the header", "gzip(bytes[:200]) + gzip(bytes[200:])")
    valid("gzip-fname.nii.gz", gz(nii, "original-name.nii"), "gzip with the FNAME flag set",
          "GzipFile(filename='original-name.nii')")
    valid("gzip-zero-padding.nii.gz", gz(nii) + b"\0" * 64, "gzip followed by 64 zero bytes (accepted)",
          "gzip + 64 × 0x00")

    # Dimensions beyond three.
    vol = label_volume(rng, SMALL_SHAPE + (1,), [0, 1, 2])
    valid("dim4-singleton.nii", single_file(make_header(SMALL_SHAPE + (1,), np.uint8), vol),
          "dim[0]=4 with dim[4]=1: a 3D label map", "shape 6×5×4×1")
    vol = label_volume(rng, SMALL_SHAPE + (3,), [0, 1, 2])
    valid("timeseries-dim4-3.nii", single_file(make_header(SMALL_SHAPE + (3,), np.uint8), vol),
          "real time series (dim[4]=3): not a label volume", "shape 6×5×4×3")
    vol = label_volume(rng, SMALL_SHAPE + (1, 3), [0, 1, 2])
    valid("channels-5d.nii", single_file(make_header(SMALL_SHAPE + (1, 3), np.uint8, intent=1007), vol),
          "5D channel data (x,y,z,1,3), intent VECTOR: not a label volume", "shape 6×5×4×1×3")

    # Float maps that are not label maps.
    vol = label_volume(rng, SMALL_SHAPE, [0.0, 1.0, 2.0]).astype(np.float32)
    vol[1, 2, 3] = np.nan
    valid("float32-nan.nii", single_file(make_header(SMALL_SHAPE, np.float32), vol),
          "float32 labels with one NaN: not a label map", "labels 0/1/2, voxel (1,2,3) = NaN")
    soft = rng.random(SMALL_SHAPE).astype(np.float32)
    valid("float32-soft.nii", single_file(make_header(SMALL_SHAPE, np.float32), soft),
          "soft probabilities in [0,1): not a label map", "rng.random")

    # Geometry: which matrix the best affine comes from.
    vol = label_volume(rng, SMALL_SHAPE, [0, 1])
    geometry = [
        ("qform-only.nii", dict(qform_code=1, sform_code=0), "qform_code 1, sform_code 0: affine from quaternion"),
        ("sform-only.nii", dict(qform_code=0, sform_code=4), "qform_code 0, sform_code 4: affine from srow"),
        ("no-qform-no-sform.nii", dict(qform_code=0, sform_code=0),
         "both codes 0: nibabel's fallback (x flipped, origin at the centre)"),
    ]
    for rel, codes, what in geometry:
        valid(rel, single_file(make_header(SMALL_SHAPE, np.uint8, **codes), vol), what, "codes set explicitly")
    oblique = base_affine()
    oblique[:3, :3] = rotation(30, 10, -5) @ np.diag(ZOOMS)
    hdr = make_header(SMALL_SHAPE, np.uint8, affine=oblique, qform_code=1, sform_code=0)
    valid("qform-oblique.nii", single_file(hdr, vol), "oblique qform (rotations 30°/10°/-5°), no sform",
          "set_qform of a rotated affine")
    flipped = base_affine()
    flipped[:3, :3] = rotation(0, 0, 180) @ np.diag(ZOOMS) @ np.diag([1, 1, -1])
    hdr = make_header(SMALL_SHAPE, np.uint8, affine=flipped, qform_code=2, sform_code=0)
    valid("qform-qfac-negative.nii", single_file(hdr, vol), "left-handed qform (qfac = pixdim[0] = -1)",
          "set_qform of an affine with a z flip")


def rotation(ax, ay, az):
    """Rotation matrix from angles in degrees about x, then y, then z."""
    a, b, c = (math.radians(v) for v in (ax, ay, az))
    rx = np.array([[1, 0, 0], [0, math.cos(a), -math.sin(a)], [0, math.sin(a), math.cos(a)]])
    ry = np.array([[math.cos(b), 0, math.sin(b)], [0, 1, 0], [-math.sin(b), 0, math.cos(b)]])
    rz = np.array([[math.cos(c), -math.sin(c), 0], [math.sin(c), math.cos(c), 0], [0, 0, 1]])
    return rz @ ry @ rx


# ----------------------------------------------------------------------------------------------------------
# Malformed files (shared docs/nifti-format.md §8) and the NiftiError case each must produce.

MALFORMED = {}  # relative path -> dict(error, field, stage, what)


def malformed(rel, data, error, what, *, field=None, stage="open"):
    """`stage`: "open" = NiftiFile(path:) throws; "stream" = NiftiFile(path:) or verifyData() throws (gzip
    problems zlib only meets while inflating); "labels" = opens, but the voxels are no label map."""
    write("malformed/" + rel, data)
    MALFORMED["malformed/" + rel] = dict(error=error, field=field, stage=stage, what=what)


def make_malformed(rng):
    vol = label_volume(rng, SMALL_SHAPE, [0, 1, 2])
    hdr = make_header(SMALL_SHAPE, np.int16)
    good = single_file(hdr, vol)

    def h(field, fmt, value, data=good):
        """`data` (the good file by default) with one NIfTI-1 field replaced."""
        return patch(data, N1[field], fmt, value)

    malformed("empty.nii", b"", "emptyFile", "0-byte file")
    malformed("header-cut-200.nii", good[:200], "truncatedHeader", "file cut at 200 bytes")
    malformed("header-only-348.nii", good[:348], "invalidField", "348-byte n+1 header, no extender, no data",
              field="vox_offset")
    malformed("header-only-352.nii", good[:352], "truncatedData", "n+1 header + extender, no voxels")
    malformed("data-short-100.nii", good[:-100], "truncatedData", "voxel data 100 bytes short")
    malformed("voxoffset-past-eof.nii", h("vox_offset", "f", 1e7), "invalidField", "vox_offset 1e7",
              field="vox_offset")
    for value, tag in ((0.0, "0"), (100.0, "100"), (352.5, "352.5"), (math.nan, "nan"), (-16.0, "negative")):
        malformed(f"voxoffset-{tag}.nii", h("vox_offset", "f", value), "invalidField", f"vox_offset {value}",
                  field="vox_offset")
    malformed("dim0-zero.nii", h("dim", "h", 0), "invalidField", "dim[0] = 0", field="dim[0]")
    malformed("dim0-eight.nii", h("dim", "h", 8), "invalidField", "dim[0] = 8", field="dim[0]")
    malformed("dim1-zero.nii", patch(good, N1["dim"] + 2, "h", 0), "invalidField", "dim[1] = 0", field="dim[1]")
    malformed("dim2-negative.nii", patch(good, N1["dim"] + 4, "h", -5), "invalidField", "dim[2] = -5",
              field="dim[2]")
    huge = patch(good, N1["dim"], "8h", 7, *([32767] * 7))
    malformed("dims-32767-pow7.nii", huge, "voxelCountOverflow", "dim = 7 × 32767 (4e31 voxels)")

    n2 = single_file(make_header(SMALL_SHAPE, np.int16, version=2), vol)
    malformed("nifti2-dims-2pow40.nii", patch(n2, N2["dim"] + 8, "3q", 2 ** 40, 2 ** 40, 2 ** 40),
              "voxelCountOverflow", "NIfTI-2 dims 2^40 × 3")
    malformed("nifti2-dim1-negative.nii", patch(n2, N2["dim"] + 8, "q", -1), "invalidField",
              "NIfTI-2 dim[1] = -1", field="dim[1]")
    malformed("nifti2-eol-mangled.nii", patch(n2, N2["magic"] + 4, "4s", b"\r\n\x1a\r"), "badMagic",
              "NIfTI-2 magic with the CR LF SUB LF check bytes damaged")

    malformed("magic-xyz.nii", h("magic", "4s", b"xyz\0"), "badMagic", "magic 'xyz\\0'")
    malformed("magic-n+1X.nii", h("magic", "4s", b"n+1X"), "badMagic", "magic 'n+1X' (no NUL)")
    malformed("magic-n+2-sizeof348.nii", h("magic", "4s", b"n+2\0"), "badMagic", "n+2 magic in a 348-byte header")
    malformed("magic-ni1-in-nii.nii", h("vox_offset", "f", 352.0, h("magic", "4s", b"ni1\0")),
              "missingImageFile", "ni1 (pair) magic inside a .nii: refused, there is no .img")
    malformed("sizeof-349.nii", h("sizeof_hdr", "i", 349), "notNifti", "sizeof_hdr 349")
    malformed("mixed-endian-sizeof.nii", patch(good, 0, ">i", 348), "inconsistentByteOrder",
              "sizeof_hdr big-endian, everything else little-endian")

    malformed("bitpix-mismatch.nii", h("bitpix", "h", 8), "bitpixMismatch", "int16 with bitpix 8")
    for code in (0, 1, 3):
        malformed(f"datatype-{code}.nii", h("datatype", "h", code), "unknownDataType", f"datatype code {code}")
    for name, code, size in (("complex64", 32, 8), ("rgb24", 128, 3), ("float128", 1536, 16)):
        data = h("bitpix", "h", 8 * size, h("datatype", "h", code))
        data = data[:N1_EXTENDED] + bytes(rng.integers(0, 256, size * vol.size, dtype=np.uint8))
        malformed(f"datatype-{name}.nii", data, "unsupportedDataType",
                  f"{name}: a valid header (shown by `header`), but no label map", stage="labels")
    malformed("scl-inter-inf.nii", h("scl_inter", "f", math.inf, h("scl_slope", "f", 2.0)), "invalidField",
              "scl_slope 2 with scl_inter = inf", field="scl_inter")
    malformed("junk-after-data.nii", good + b"JUNK", "trailingData", "4 bytes after the voxel data in a .nii")
    malformed("plain-named.nii.gz", good, "notGzip", "uncompressed .nii bytes under a .gz name")

    # gzip damage, on a file large enough that the header inflates before zlib meets the damage.
    shape = (20, 16, 10)
    big = single_file(make_header(shape, np.int16), label_volume(rng, shape, [0, 1, 2, 3, 4]))
    packed = gz(big)
    flipped = bytearray(packed)
    flipped[len(packed) * 2 // 3] ^= 0xFF
    check_zlib_rejects(bytes(flipped))
    malformed("gzip-byte-flipped.nii.gz", bytes(flipped), "corruptGzip", "one byte flipped 2/3 into the stream",
              stage="stream")
    bad_crc = bytearray(packed)
    bad_crc[-8] ^= 0x01
    malformed("gzip-bad-crc.nii.gz", bytes(bad_crc), "corruptGzip", "trailer CRC-32 off by one bit", stage="stream")
    malformed("gzip-cut-short.nii.gz", packed[: len(packed) // 2], "truncatedGzip", "gzip stream cut at half",
              stage="stream")
    malformed("gzip-trailing-junk.nii.gz", packed + b"not gzip", "trailingGarbage",
              "valid member followed by non-zero junk", stage="stream")
    malformed("gzip-short-nii.nii.gz", gz(big[:-100]), "truncatedData",
              "valid gzip of a .nii whose voxels are 100 bytes short", stage="stream")

    # Pairs.
    pair = make_header(SMALL_SHAPE, np.uint8, pair=True)
    malformed("pair-img-missing.hdr", pair.binaryblock, "missingImageFile", ".hdr whose .img does not exist")
    malformed("pair-img-short.hdr", pair.binaryblock, "truncatedData", ".img 10 bytes short")
    write("malformed/pair-img-short.img", voxel_bytes(pair, vol)[:-10])
    analyze = patch(pair.binaryblock, N1["magic"], "4s", b"\0\0\0\0")
    malformed("analyze.hdr", analyze, "analyzeHeader", "ANALYZE 7.5 pair: no NIfTI magic")
    write("malformed/analyze.img", voxel_bytes(pair, vol))

    # Files from the §8 table that our policy accepts: checked like the valid ones.
    valid("malformed/gzip-named.nii", gz(good),
          "accepted: gzip bytes under a .nii name (compression is sniffed from the magic)", "gzip of a valid .nii")
    valid("malformed/sform-code-99.nii", h("sform_code", "h", 99),
          "accepted: sform_code 99 is kept as stored (nibabel would reset it to 0) and, being > 0, picks the sform",
          "sform_code patched to 99")


def check_zlib_rejects(data):
    """Guards the generator: the flipped byte must really damage the stream."""
    try:
        gzip.decompress(data)
    except (OSError, EOFError, gzip.BadGzipFile, ValueError):
        return
    raise SystemExit("flipping that byte left a valid gzip stream; pick another offset")


# ----------------------------------------------------------------------------------------------------------
# The README sample: a realistic little abdomen with a plausible prediction.

STRUCTURES = [  # id, name, centre (voxels), radii (voxels)
    (1, "liver", (22, 30, 20), (13, 11, 7)),
    (2, "spleen", (47, 36, 21), (6, 8, 5)),
    (3, "kidney_left", (46, 20, 16), (4, 6, 5)),
    (4, "kidney_right", (18, 16, 15), (4, 6, 5)),
    (5, "aorta", (32, 24, 20), (2, 2, 16)),
]
SAMPLE_SHAPE = (64, 64, 40)
SAMPLE_ZOOMS = (1.0, 1.0, 2.5)


def ellipsoid(centre, radii, grid):
    return sum(((g - c) / r) ** 2 for g, c, r in zip(grid, centre, radii)) <= 1.0


def make_sample(rng):
    grid = np.meshgrid(*(np.arange(n) for n in SAMPLE_SHAPE), indexing="ij")
    ref = np.zeros(SAMPLE_SHAPE, np.uint8)
    pred = np.zeros(SAMPLE_SHAPE, np.uint8)
    for label, _, centre, radii in STRUCTURES:
        ref[ellipsoid(centre, radii, grid)] = label
        # The prediction: boundaries moved by 1–2 voxels (shifted centre, wobbling radii).
        shift = rng.integers(-1, 2, 3)
        wobble = rng.uniform(-1.5, 1.5, 3)
        pred[ellipsoid(np.add(centre, shift), np.maximum(1.5, np.add(radii, wobble)), grid)] = label
    # A missed part: the upper tip of the liver.
    pred[(pred == 1) & (grid[2] > 24)] = 0
    # A false-positive blob far from everything.
    pred[ellipsoid((55, 55, 32), (3, 3, 2), grid)] = 2
    # Swapped voxels where the kidneys' predictions touch the aorta's neighbourhood: some kidney_left → aorta.
    swap = (pred == 3) & (grid[0] < 44) & (grid[2] == 16)
    pred[swap] = 5

    affine = np.diag(list(SAMPLE_ZOOMS) + [1.0])
    affine[:3, 3] = (-32.0, -40.0, -50.0)
    for rel, vol in (("sample/ref.nii.gz", ref), ("sample/pred.nii.gz", pred)):
        hdr = make_header(SAMPLE_SHAPE, np.uint8, zooms=SAMPLE_ZOOMS, affine=affine, qform_code=1, sform_code=1,
                          intent=1002, descrip=b"segscore README sample")
        valid(rel, gz(single_file(hdr, vol)), "README sample: " + ("reference" if "ref" in rel else "prediction"),
              "5 ellipsoid structures; prediction shifted/wobbled, liver tip missed, FP blob, kidney→aorta swap")
    write("sample/labels.csv", ("id,name\n" + "".join(f"{i},{name}\n" for i, name, _, _ in STRUCTURES)).encode())


# ----------------------------------------------------------------------------------------------------------
# Expected values, read back from the bytes on disk.


def read_stream(path):
    raw = path.read_bytes()
    return (gzip.decompress(raw), True) if raw[:2] == b"\x1f\x8b" else (raw, False)


def parse_header(stream):
    """nibabel's header of the raw bytes, without its load-time "fixes" (check=False)."""
    version = 2 if struct.unpack("<i", stream[:4])[0] in (540, 0x1C020000) else 1
    cls = nib.Nifti2Header if version == 2 else nib.Nifti1Header
    # Only the header bytes: the extender is absent, so nibabel does not try to parse extensions.
    return cls.from_fileobj(io.BytesIO(stream[: ANALYZE_SIZE[version]]), check=False), version


def number(x):
    x = float(x)
    return None if math.isnan(x) else x


def header_json(rel, hdr, version, compressed):
    ndim = int(hdr["dim"][0])
    pixdim = [float(p) for p in hdr["pixdim"][1: ndim + 1]]
    zooms = [abs(float(z)) for z in hdr.get_zooms()[:3]]
    return {
        "path": rel,
        "format": f"nifti{version}",
        "byteOrder": "little" if hdr.endianness == "<" else "big",
        "compressed": compressed,
        "dim": [int(d) for d in hdr["dim"][1: ndim + 1]],
        "datatype": DATATYPE_NAMES[int(hdr["datatype"])],
        "datatypeCode": int(hdr["datatype"]),
        "bitpix": int(hdr["bitpix"]),
        "pixdim": pixdim,
        "spacing": zooms + [1.0] * (3 - len(zooms)),
        "voxOffset": int(hdr["vox_offset"]),
        "sclSlope": number(hdr["scl_slope"]),
        "sclInter": number(hdr["scl_inter"]),
        "qformCode": int(hdr["qform_code"]),
        "sformCode": int(hdr["sform_code"]),
        "affine": [[float(v) for v in row] for row in hdr.get_best_affine()],
        "intentCode": int(hdr["intent_code"]),
        "description": bytes(hdr["descrip"]).split(b"\0")[0].decode("utf-8", "replace"),
    }


DATATYPE_NAMES = {2: "uint8", 4: "int16", 8: "int32", 16: "float32", 32: "complex64", 64: "float64",
                  128: "rgb24", 256: "int8", 512: "uint16", 768: "uint32", 1024: "int64", 1280: "uint64",
                  1536: "float128", 1792: "complex128", 2048: "complex256", 2304: "rgba32"}


def decoded_values(hdr, data):
    """Voxel values after scaling: exact integers when unscaled, float64 otherwise (numpy, nibabel's dtype)."""
    stored = np.frombuffer(data, dtype=hdr.get_data_dtype(), count=int(np.prod(hdr.get_data_shape())))
    slope, inter = float(hdr["scl_slope"]), float(hdr["scl_inter"])
    if slope == 0 or not math.isfinite(slope) or (slope == 1 and inter == 0):
        return stored
    return stored.astype(np.float64) * slope + inter


def label_summary(hdr, values):
    """(labelMap, labels, values) for expected.json."""
    dim = [int(d) for d in hdr["dim"][1: int(hdr["dim"][0]) + 1]]
    counts = None
    non_finite = non_integral = 0
    if values.dtype.kind == "f":
        finite = np.isfinite(values)
        non_finite = int((~finite).sum())
        non_integral = int((finite & (values != np.floor(np.where(finite, values, 0)))).sum())
    if non_finite == 0 and non_integral == 0:
        unique, n = np.unique(values, return_counts=True)
        counts = {str(int(v)): int(c) for v, c in zip(unique.tolist(), n)}
    reason = None
    if len(dim) >= 4 and dim[3] > 1:
        reason = f"time series (dim[4] = {dim[3]}) is not a label volume"
    elif len(dim) >= 5 and any(d > 1 for d in dim[4:]):
        reason = f"vector image (dim[5] = {dim[4]}) is not a label volume"
    elif non_finite:
        reason = f"non-finite values ({non_finite} voxels)"
    elif non_integral:
        reason = f"non-integral values after scaling ({len(np.unique(values[np.isfinite(values)]))} distinct values)"
    return ({"acceptable": reason is None, "reason": reason}, counts,
            {"nonFinite": non_finite, "nonIntegral": non_integral})


def data_stream(rel, hdr):
    path = ROOT / rel
    if hdr["magic"] in (b"ni1", b"ni2"):
        image = next(p for p in (path.with_suffix(".img"), path.with_suffix(".img.gz")) if p.exists())
        return read_stream(image)
    return read_stream(path)


def expected_file(rel):
    stream, header_gz = read_stream(ROOT / rel)
    hdr, version = parse_header(stream)
    data, data_gz = data_stream(rel, hdr)
    offset = int(hdr["vox_offset"])
    values = decoded_values(hdr, data[offset:])
    label_map, counts, value_kinds = label_summary(hdr, values)
    return {"header": header_json(rel, hdr, version, data_gz), "labelMap": label_map, "labels": counts,
            "values": value_kinds}


def confusion(pred, ref):
    """Per non-zero label of the union: tp/fp/fn/tn, Dice and IoU (numpy)."""
    out = {}
    for label in sorted((set(np.unique(pred).tolist()) | set(np.unique(ref).tolist())) - {0}):
        p, r = pred == label, ref == label
        tp, fp, fn = int((p & r).sum()), int((p & ~r).sum()), int((~p & r).sum())
        tn = int(p.size - tp - fp - fn)
        out[str(label)] = {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "dice": 2 * tp / (2 * tp + fp + fn),
                           "iou": tp / (tp + fp + fn)}
    return out


def sample_expected():
    arrays = {}
    for role in ("pred", "ref"):
        img = nib.load(ROOT / f"sample/{role}.nii.gz")
        arrays[role] = np.asanyarray(img.dataobj)
    names = dict(line.split(",", 1) for line in (ROOT / "sample/labels.csv").read_text().splitlines()[1:])
    labels = confusion(arrays["pred"], arrays["ref"])
    for label, entry in labels.items():
        entry["name"] = names.get(label)
    return {"prediction": "sample/pred.nii.gz", "reference": "sample/ref.nii.gz", "labelNames": "sample/labels.csv",
            "labels": labels}


def write_expected():
    expected = {
        "about": "Written by scripts/make-testdata.py; do not edit. files: every readable file (paths relative to "
                 "TestData/), header = the `segscore header --json` keys computed with nibabel from the stored "
                 "header (check=False, so codes and values are as stored) and get_best_affine; compressed = the "
                 "voxel stream is gzip; labels = voxel count per value after scaling (null when some value is "
                 "not a finite integer); values = how many voxels are non-finite / non-integral. malformed: the "
                 "NiftiError case each file must raise (field = invalidField's name), at which stage (open = "
                 "NiftiFile(path:), stream = opening or verifyData(), labels = opens but is no label map), and "
                 "the CLI exit code. sample: per non-zero label of the union, tp/fp/fn/tn/dice/iou of pred vs ref.",
        "files": {rel: expected_file(rel) for rel in sorted(VALID)},
        "malformed": {rel: dict(case, exitCode=3) for rel, case in sorted(MALFORMED.items())},
        "sample": sample_expected(),
    }
    (ROOT / "expected.json").write_text(json.dumps(expected, indent=1, allow_nan=False) + "\n")


def write_readme():
    lines = [
        "# TestData",
        "",
        "Generated by `python3 scripts/make-testdata.py` (seeded, deterministic); do not edit by hand.",
        "Every value the tests check is in `expected.json` (nibabel/numpy on these bytes): `files[<path>]` for",
        "readable files, `malformed[<path>]` for files that must be refused, `sample` for the README pair.",
        "",
        "| file | what it exercises | how it was made | expected |",
        "|---|---|---|---|",
    ]
    for rel in sorted(VALID):
        what, how = VALID[rel]
        lines.append(f"| `{rel}` | {what} | {how} | `files[\"{rel}\"]` |")
    for rel, case in sorted(MALFORMED.items()):
        error = case["error"] + (f" ({case['field']})" if case["field"] else "")
        lines.append(f"| `{rel}` | {case['what']} | valid file, then bytes patched | "
                     f"`malformed[\"{rel}\"]`: {error}, exit 3 |")
    lines += [
        "| `malformed/pair-img-short.img` | data of `pair-img-short.hdr`, 10 bytes short | truncated | — |",
        "| `malformed/analyze.img` | data of `analyze.hdr` | raw uint8 | — |",
        "| `pair-ni1.img`, `pair-ni2.img`, `pair-img-gz.img.gz` | voxels of the pair headers | raw / gzip | — |",
        "| `sample/labels.csv` | label names of the sample pair (`id,name`) | written from the structure table | — |",
        "",
    ]
    (ROOT / "README.md").write_text("\n".join(lines))


def main():
    if ROOT.exists():
        shutil.rmtree(ROOT)
    rng = np.random.default_rng(SEED)
    make_valid(rng)
    make_malformed(rng)
    make_sample(rng)
    write_expected()
    write_readme()
    total = sum(p.stat().st_size for p in ROOT.rglob("*") if p.is_file())
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(ROOT.rglob("*")) if p.is_file())).hexdigest()
    print(f"TestData: {sum(1 for p in ROOT.rglob('*') if p.is_file())} files, {total} bytes, sha256 {digest[:16]}")


if __name__ == "__main__":
    main()

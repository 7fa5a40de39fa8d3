"""A seeded synthetic cohort for scripts/report-check.sh and scripts/report-bench.sh (standard library only).

Writes OUT/pred/*.nii, OUT/ref/*.nii (uint8 NIfTI-1, 0.8 x 0.8 x 1.5 mm) and OUT/labels.csv (id,name).  Each
structure is a box in its own cell of a grid; the prediction moves and resizes every box by a case-dependent
amount, so Dice, HD95 and NSD spread across cases, and a few cases miss a structure or add a stray one.
--hostile adds a case named with markup, quotes and an ampersand, a case whose file name is not UTF-8, and
label names with markup, so that the report's escaping is exercised in a real browser.

    python3 gen_cohort.py OUT --cases 100 --structures 12 [--size 40] [--seed 1] [--hostile]
"""
import argparse
import os
import random
import struct


def header(nx, ny, nz):
    h = bytearray(352)
    struct.pack_into("<i", h, 0, 348)
    struct.pack_into("<8h", h, 40, 3, nx, ny, nz, 1, 1, 1, 1)
    struct.pack_into("<hh", h, 70, 2, 8)  # DT_UNSIGNED_CHAR, 8 bits
    struct.pack_into("<8f", h, 76, 1, 0.8, 0.8, 1.5, 0, 0, 0, 0)
    struct.pack_into("<ff", h, 108, 352, 1)  # vox_offset, scl_slope
    h[123] = 2  # millimetres
    struct.pack_into("<h", h, 254, 1)  # sform_code
    for row, spacing in enumerate((0.8, 0.8, 1.5)):
        values = [0.0, 0.0, 0.0, 0.0]
        values[row] = spacing
        struct.pack_into("<4f", h, 280 + 16 * row, *values)
    h[344:348] = b"n+1\0"
    return h


def draw(volume, dims, box, label):
    nx, ny, _ = dims
    x0, x1, y0, y1, z0, z1 = box
    run = bytes([label]) * (x1 - x0)
    for z in range(z0, z1):
        for y in range(y0, y1):
            start = (z * ny + y) * nx
            volume[start + x0:start + x1] = run


def clamp_box(box, dims):
    nx, ny, nz = dims
    x0, x1, y0, y1, z0, z1 = box
    x0, y0, z0 = max(0, x0), max(0, y0), max(0, z0)
    x1, y1, z1 = min(nx, x1), min(ny, y1), min(nz, z1)
    return (x0, max(x0, x1), y0, max(y0, y1), z0, max(z0, z1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--structures", type=int, default=12)
    parser.add_argument("--size", type=int, default=48)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hostile", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    columns = 1
    while columns * columns < args.structures:
        columns += 1
    cell = args.size // columns
    dims = (args.size, args.size, max(8, args.size // 2))
    os.makedirs(os.path.join(args.out, "pred"), exist_ok=True)
    os.makedirs(os.path.join(args.out, "ref"), exist_ok=True)
    names = [b"case_%04d" % (i + 1) for i in range(args.cases)]
    if args.hostile and args.cases >= 3:
        names[1] = b"case_<script>alert(1)<!--&\"q'"
        names[2] = b"case_\xff\xfe_latin1_\xe9"
    organs = ["liver", "spleen", "pancreas", "kidney_left", "kidney_right", "aorta", "stomach", "gallbladder",
              "esophagus", "duodenum", "adrenal_left", "adrenal_right", "portal_vein", "ivc", "bladder",
              "prostate", "colon", "small_bowel", "lung_left", "lung_right"]
    with open(os.path.join(args.out, "labels.csv"), "w", encoding="utf-8") as f:
        f.write("id,name\n")
        for label in range(1, args.structures + 1):
            name = organs[(label - 1) % len(organs)] + ("" if label <= len(organs) else "_%d" % label)
            if args.hostile and label == 2:
                name = 'spleen <b>&amp; "bold"</b>'
            f.write('%d,"%s"\n' % (label, name.replace('"', '""')))
    voxels = dims[0] * dims[1] * dims[2]
    head = header(*dims)
    for index, name in enumerate(names):
        difficulty = rng.random() ** 2  # most cases good, a few bad
        ref = bytearray(voxels)
        pred = bytearray(voxels)
        for label in range(1, args.structures + 1):
            cx, cy = (label - 1) % columns, (label - 1) // columns
            margin = max(1, cell // 6)
            box = clamp_box((cx * cell + margin, (cx + 1) * cell - margin, cy * cell + margin,
                             (cy + 1) * cell - margin, 2, dims[2] - 2), dims)
            draw(ref, dims, box, label)
            if rng.random() < 0.1 * difficulty:
                continue  # the prediction misses this structure
            shift = [int(round(rng.gauss(0, 0.3 + 2 * difficulty))) for _ in range(3)]
            grow = [int(round(rng.gauss(0, 0.3 + 1.5 * difficulty))) for _ in range(3)]
            moved = (box[0] + shift[0] - grow[0], box[1] + shift[0] + grow[0], box[2] + shift[1] - grow[1],
                     box[3] + shift[1] + grow[1], box[4] + shift[2] - grow[2], box[5] + shift[2] + grow[2])
            draw(pred, dims, clamp_box(moved, dims), label)
        with open(os.path.join(os.fsencode(args.out), b"ref", name + b".nii"), "wb") as f:
            f.write(head + ref)
        with open(os.path.join(os.fsencode(args.out), b"pred", name + b".nii"), "wb") as f:
            f.write(head + pred)


if __name__ == "__main__":
    main()

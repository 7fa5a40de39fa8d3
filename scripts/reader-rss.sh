#!/usr/bin/env bash
# Peak memory of streaming a 1 GB label volume, uncompressed and gzip-compressed (issue: bounded memory).
#
#   scripts/reader-rss.sh [WORK_DIR]
#
# Writes a 1024×1024×1000 uint8 label map (1 GiB of voxels) as .nii and .nii.gz (numpy + nibabel, seeded),
# builds segscore in release, and runs `segscore header --labels` (reads every voxel) and
# `segscore compare` (both files of a pair) under /usr/bin/time -v, printing wall time and peak RSS.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$root/scripts/bench_lib/work/rss}
mkdir -p "$work"
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null

if [ ! -f "$work/ref.nii.gz" ]; then
    python3 - "$work" <<'PY'
import sys, numpy as np, nibabel as nib
work = sys.argv[1]
rng = np.random.default_rng(20261128)
shape = (1024, 1024, 1000)
volume = np.zeros(shape, np.uint8, order="F")
# Ellipsoidal "organs"; each is evaluated inside its own bounding box only.
for label in range(1, 41):
    centre = rng.uniform(150, 870, 3)
    radii = rng.uniform(40, 160, 3)
    lo = np.maximum(0, (centre - radii).astype(int))
    hi = np.minimum(shape, (centre + radii).astype(int) + 1)
    xx, yy, zz = np.ogrid[lo[0]:hi[0], lo[1]:hi[1], lo[2]:hi[2]]
    inside = ((xx - centre[0]) / radii[0]) ** 2 + ((yy - centre[1]) / radii[1]) ** 2 \
        + ((zz - centre[2]) / radii[2]) ** 2 <= 1
    volume[lo[0]:hi[0], lo[1]:hi[1], lo[2]:hi[2]][inside] = label
image = nib.Nifti1Image(volume, np.diag([0.5, 0.5, 0.5, 1]))
image.header.set_data_dtype(np.uint8)
nib.save(image, f"{work}/ref.nii")
shifted = np.roll(volume, 2, axis=0)
nib.save(nib.Nifti1Image(shifted, image.affine, image.header), f"{work}/pred.nii")
PY
    gzip -1 -k -f "$work/ref.nii"
    gzip -1 -k -f "$work/pred.nii"
fi

(cd "$root" && swift build -c release --static-swift-stdlib --product segscore --scratch-path .build-release >/dev/null)
segscore="$root/.build-release/release/segscore"
measure() {
    /usr/bin/time -v "$@" >/dev/null 2>"$work/time.txt" || { cat "$work/time.txt"; exit 1; }
    wall=$(sed -nE 's/.*Elapsed \(wall clock\) time.*: (.*)/\1/p' "$work/time.txt")
    rss=$(sed -nE 's/.*Maximum resident set size \(kbytes\): ([0-9]+)/\1/p' "$work/time.txt")
    shift
    printf '| segscore %s | %s | %d MiB |\n' "$*" "$wall" $((rss / 1024))
}
echo "| command (files of $(du -h "$work/ref.nii" | cut -f1) / $(du -h "$work/ref.nii.gz" | cut -f1)) | wall | peak RSS |"
echo "|---|---|---|"
cd "$work"
measure "$segscore" header --labels ref.nii
measure "$segscore" header --labels ref.nii.gz
measure "$segscore" compare pred.nii ref.nii --format json
measure "$segscore" compare pred.nii.gz ref.nii.gz --format json

/// The eight byte codes of one 2×2×2 block packed into a word (byte i = voxel i = 4a + 2b + c), so that the
/// voxels holding a code are found with a few word operations instead of a loop over vector lanes.
///
/// Why: a boundary block of the common uint8 label map is emitted once per code it holds, and the lane-by-lane
/// grouping cost more than the scan that found the block.
struct ByteBlock {
    let codes: UInt64

    /// Voxel i of the block is byte `rows.i[x(i)]`: rows (lower back, upper back, lower front, upper front)
    /// at gx − 1 for voxels 0…3 and at gx for voxels 4…7.
    @inline(__always)
    init(
        _ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ c: UnsafePointer<UInt8>,
        _ d: UnsafePointer<UInt8>, gx: Int
    ) {
        let low = UInt64(a[gx - 1]) | UInt64(b[gx - 1]) << 8 | UInt64(c[gx - 1]) << 16 | UInt64(d[gx - 1]) << 24
        let high = UInt64(a[gx]) | UInt64(b[gx]) << 8 | UInt64(c[gx]) << 16 | UInt64(d[gx]) << 24
        codes = low | high << 32
    }

    /// The code of voxel `i`.
    @inline(__always)
    func code(_ i: Int) -> UInt8 { UInt8(truncatingIfNeeded: codes >> UInt64(8 * i)) }

    /// Bit i set when voxel i holds `code`.
    @inline(__always)
    func voxels(holding code: UInt8) -> UInt8 {
        UInt8(truncatingIfNeeded: ((zeroBytes(code) >> 7) &* 0x0102_0408_1020_4080) >> 56)
    }

    /// DeepMind's neighbour code of the voxels holding `code`: bit 7 − i for voxel i.
    @inline(__always)
    func neighbourCode(of code: UInt8) -> UInt8 {
        UInt8(truncatingIfNeeded: ((zeroBytes(code) >> 7) &* 0x8040_2010_0804_0201) >> 56)
    }

    /// The high bit of each byte that equals `code` (exact per byte: no borrow crosses bytes).
    @inline(__always)
    private func zeroBytes(_ code: UInt8) -> UInt64 {
        let high: UInt64 = 0x8080_8080_8080_8080
        let x = codes ^ (UInt64(code) &* 0x0101_0101_0101_0101)
        let nonZero = ((x & ~high) &+ ~high) | x
        return ~nonZero & high
    }
}

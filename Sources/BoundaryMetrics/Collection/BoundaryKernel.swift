/// The voxel loops of ``BoundaryCollector`` for one code type, specialised per `T` inside this module.
///
/// Both scans first test whole 64-bit words: a word whose codes are all equal (it equals itself rotated by one
/// code) and equal to the words of the neighbouring rows cannot hold a boundary except at its two ends. Real
/// label maps are long runs, so almost every voxel is dismissed with one load and a few compares per word.
struct BoundaryKernel<T: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
    let width: Int
    let height: Int
    /// The background code as `T`, or `nil` when none (or when it does not fit `T`, so nothing is skipped).
    let skipped: T?
    /// Codes per 64-bit word.
    private let codesPerWord = 8 / MemoryLayout<T>.size
    /// Codes per 32-byte chunk, the unit of the first skipping test between the volume's faces.
    private let codesPerChunk = 32 / MemoryLayout<T>.size
    private let codeBits = UInt64(8 * MemoryLayout<T>.size)
    /// A word of background codes (`nil` when nothing is skipped).
    private let skippedWord: UInt64?

    init(width: Int, height: Int, skippedCode: UInt32?) {
        precondition(MemoryLayout<T>.size <= 4, "codes wider than 32 bits")
        self.width = width
        self.height = height
        skipped = skippedCode.flatMap { T(exactly: $0) }
        // UInt64.max / T.max is 0x0101…01 for bytes, 0x00000001_00000001 for 32-bit codes: one 1 per code.
        let ones = UInt64.max / UInt64(T.max)
        skippedWord = skipped.map { UInt64($0) &* ones }
    }

    // MARK: - Surfels

    /// Emits the surfels of the block layer at grid z `gz`, whose blocks cover slices `gz − 1` (`lower`) and
    /// `gz` (`upper`); `nil` stands for the constant outside beyond the volume.
    func emitSurfelLayer(
        lower: UnsafePointer<T>?,
        upper: UnsafePointer<T>?,
        gz: Int,
        into lists: inout [PackedPointList]
    ) {
        for gy in 0...height {
            // The block's rows by (y offset, z offset): (0, 0) lower y − 1, (0, 1) upper y − 1, (1, 0) lower y,
            // (1, 1) upper y.
            let rows = BlockRows(
                lowerBack: gy > 0 ? lower.map { $0 + (gy - 1) * width } : nil,
                upperBack: gy > 0 ? upper.map { $0 + (gy - 1) * width } : nil,
                lowerFront: gy < height ? lower.map { $0 + gy * width } : nil,
                upperFront: gy < height ? upper.map { $0 + gy * width } : nil
            )
            // A word of one code in every row present has no surfel inside it if all four rows are present, or
            // (next to the outside) if the code is the background.
            guard let first = rows.lowerBack ?? rows.upperBack ?? rows.lowerFront ?? rows.upperFront else { continue }
            let complete =
                rows.lowerBack != nil && rows.upperBack != nil && rows.lowerFront != nil
                && rows.upperFront != nil
            emitBlock(rows, gx: 0, gy: gy, gz: gz, into: &lists)
            var x = 0
            var previousUniformWord: UInt64? = nil
            while x + codesPerWord <= width {
                let word = load(first, x)
                if complete && x + codesPerChunk <= width && isUniformChunk(rows, x, word) {
                    if x > 0 && previousUniformWord != word {
                        emitInnerBlock(rows, complete: complete, gx: x, gy: gy, gz: gz, into: &lists)
                    }
                    previousUniformWord = word
                    x += codesPerChunk
                    continue
                }
                if isUniform(word) && (complete || word == skippedWord) && matches(rows.lowerBack, x, word)
                    && matches(rows.upperBack, x, word) && matches(rows.lowerFront, x, word)
                    && matches(rows.upperFront, x, word)
                {
                    if x > 0 && previousUniformWord != word {
                        emitInnerBlock(rows, complete: complete, gx: x, gy: gy, gz: gz, into: &lists)
                    }
                    previousUniformWord = word
                } else {
                    for gx in max(x, 1)..<(x + codesPerWord) {
                        emitInnerBlock(rows, complete: complete, gx: gx, gy: gy, gz: gz, into: &lists)
                    }
                    previousUniformWord = nil
                }
                x += codesPerWord
            }
            for gx in max(x, 1)..<width {
                emitInnerBlock(rows, complete: complete, gx: gx, gy: gy, gz: gz, into: &lists)
            }
            emitBlock(rows, gx: width, gy: gy, gz: gz, into: &lists)
        }
    }

    /// ``emitBlock(_:gx:gy:gz:into:)`` for a block with 0 < gx < width; when all four rows are `complete`
    /// (all eight voxels inside the volume), the common block of one code is first dismissed with plain loads.
    @inline(__always)
    private func emitInnerBlock(
        _ rows: BlockRows<T>,
        complete: Bool,
        gx: Int,
        gy: Int,
        gz: Int,
        into lists: inout [PackedPointList]
    ) {
        guard complete, let a = rows.lowerBack, let b = rows.upperBack, let c = rows.lowerFront,
            let d = rows.upperFront
        else {
            emitBlock(rows, gx: gx, gy: gy, gz: gz, into: &lists)
            return
        }
        let code = a[gx]
        if a[gx - 1] == code && b[gx - 1] == code && b[gx] == code && c[gx - 1] == code && c[gx] == code
            && d[gx - 1] == code && d[gx] == code
        {
            return
        }
        if T.self == UInt8.self {
            emitByteBlock(
                ByteBlock(
                    UnsafeRawPointer(a).assumingMemoryBound(to: UInt8.self),
                    UnsafeRawPointer(b).assumingMemoryBound(to: UInt8.self),
                    UnsafeRawPointer(c).assumingMemoryBound(to: UInt8.self),
                    UnsafeRawPointer(d).assumingMemoryBound(to: UInt8.self), gx: gx),
                gx: gx, gy: gy, gz: gz, into: &lists)
            return
        }
        emitBlock(rows, gx: gx, gy: gy, gz: gz, into: &lists)
    }

    /// ``emitBlock(_:gx:gy:gz:into:)`` for a block of eight byte codes inside the volume, not all equal.
    @inline(never)
    private func emitByteBlock(_ block: ByteBlock, gx: Int, gy: Int, gz: Int, into lists: inout [PackedPointList]) {
        var remaining: UInt8 = 0xFF
        if let skipped { remaining &= ~block.voxels(holding: UInt8(truncatingIfNeeded: skipped)) }
        while remaining != 0 {
            let code = block.code(remaining.trailingZeroBitCount)
            remaining &= ~block.voxels(holding: code)
            let point = BoundaryPoint(x: UInt16(gx), y: UInt16(gy), z: UInt16(gz), code: block.neighbourCode(of: code))
            Self.append(point, code: Int(code), to: &lists)
        }
    }

    /// Emits the surfels of the block at grid point (gx, gy, gz): one per code present in it, unless all eight
    /// voxels hold that code. Out of line: it runs once per boundary block, and inlining it at every call site
    /// would bloat the word-skipping loop.
    @inline(never)
    private func emitBlock(
        _ rows: BlockRows<T>,
        gx: Int,
        gy: Int,
        gz: Int,
        into lists: inout [PackedPointList]
    ) {
        // Voxel i = 4a + 2b + c for offsets (a, b, c) along (x, y, z) carries DeepMind's weight 1 << (7 − i).
        var codes = SIMD8<UInt32>()
        var inside: UInt8 = 0
        for a in 0..<2 {
            let x = gx - 1 + a
            guard x >= 0 && x < width else { continue }
            if let row = rows.lowerBack {
                codes[4 * a] = UInt32(row[x])
                inside |= 1 << (4 * a)
            }
            if let row = rows.upperBack {
                codes[4 * a + 1] = UInt32(row[x])
                inside |= 1 << (4 * a + 1)
            }
            if let row = rows.lowerFront {
                codes[4 * a + 2] = UInt32(row[x])
                inside |= 1 << (4 * a + 2)
            }
            if let row = rows.upperFront {
                codes[4 * a + 3] = UInt32(row[x])
                inside |= 1 << (4 * a + 3)
            }
        }
        if inside == 0xFF && codes == SIMD8(repeating: codes[0]) { return }
        // Voxels outside the volume or of the background take no part; each remaining code emits one surfel.
        var done = ~inside
        if let skipped {
            for i in 0..<8 where codes[i] == UInt32(skipped) { done |= 1 << i }
        }
        while done != 0xFF {
            let i = (~done).trailingZeroBitCount
            let code = codes[i]
            var neighbourCode: UInt8 = 0
            for j in i..<8 where done & (1 << j) == 0 && codes[j] == code {
                neighbourCode |= 1 << (7 - j)
                done |= 1 << j
            }
            let point = BoundaryPoint(x: UInt16(gx), y: UInt16(gy), z: UInt16(gz), code: neighbourCode)
            Self.append(point, code: Int(code), to: &lists)
        }
    }

    // MARK: - Edge voxels

    /// Emits the edge voxels of slice `z` (`center`), given its neighbours `below` (z − 1) and `above` (z + 1),
    /// `nil` beyond the volume.
    func emitEdgeSlice(
        below: UnsafePointer<T>?,
        center: UnsafePointer<T>,
        above: UnsafePointer<T>?,
        z: Int,
        into lists: inout [PackedPointList]
    ) {
        for y in 0..<height {
            let row = center + y * width
            let back = y > 0 ? row - width : nil
            let front = y < height - 1 ? row + width : nil
            let down = below.map { $0 + y * width }
            let up = above.map { $0 + y * width }
            var x = 0
            while x + codesPerWord <= width {
                let word = load(row, x)
                if isUniform(word) {
                    if row[x] == skipped {
                        x += codesPerWord
                        continue
                    }
                    if let back, let front, let down, let up, load(back, x) == word, load(front, x) == word,
                        load(down, x) == word, load(up, x) == word
                    {
                        emitEdge(row, back, front, down, up, x: x, y: y, z: z, into: &lists)
                        let last = x + codesPerWord - 1
                        emitEdge(row, back, front, down, up, x: last, y: y, z: z, into: &lists)
                        x += codesPerWord
                        continue
                    }
                }
                for xi in x..<(x + codesPerWord) {
                    emitEdge(row, back, front, down, up, x: xi, y: y, z: z, into: &lists)
                }
                x += codesPerWord
            }
            for xi in x..<width {
                emitEdge(row, back, front, down, up, x: xi, y: y, z: z, into: &lists)
            }
        }
    }

    /// Emits voxel (x, y, z) if it holds a collected code and some 6-neighbour (or the outside) does not.
    @inline(__always)
    private func emitEdge(
        _ row: UnsafePointer<T>,
        _ back: UnsafePointer<T>?,
        _ front: UnsafePointer<T>?,
        _ down: UnsafePointer<T>?,
        _ up: UnsafePointer<T>?,
        x: Int,
        y: Int,
        z: Int,
        into lists: inout [PackedPointList]
    ) {
        let code = row[x]
        if code == skipped { return }
        let interior =
            x > 0 && x < width - 1 && row[x - 1] == code && row[x + 1] == code
            && back?[x] == code && front?[x] == code && down?[x] == code && up?[x] == code
        if interior { return }
        let point = BoundaryPoint(x: UInt16(x), y: UInt16(y), z: UInt16(z), code: 0)
        Self.append(point, code: Int(code), to: &lists)
    }

    // MARK: - Helpers

    @inline(__always)
    private func load(_ row: UnsafePointer<T>, _ x: Int) -> UInt64 {
        UnsafeRawPointer(row + x).loadUnaligned(as: UInt64.self)
    }

    /// Whether the four rows (all present) hold `word`, which must be uniform and start row `lowerBack` at `x`,
    /// through the whole chunk at `x`: then no block inside the chunk has a surfel. Vector compares over 32
    /// bytes cost about what one word's scalar test does, and most chunks of a label map pass.
    @inline(__always)
    private func isUniformChunk(_ rows: BlockRows<T>, _ x: Int, _ word: UInt64) -> Bool {
        guard isUniform(word), let a = rows.lowerBack, let b = rows.upperBack, let c = rows.lowerFront,
            let d = rows.upperFront
        else { return false }
        let expected = SIMD4<UInt64>(repeating: word)
        // Bitwise only: the mask reductions (`any`, `==`) are not inlined and would cost a call per chunk.
        let differ =
            (loadChunk(a, x) ^ expected) | (loadChunk(b, x) ^ expected) | (loadChunk(c, x) ^ expected)
            | (loadChunk(d, x) ^ expected)
        return (differ[0] | differ[1]) | (differ[2] | differ[3]) == 0
    }

    @inline(__always)
    private func loadChunk(_ row: UnsafePointer<T>, _ x: Int) -> SIMD4<UInt64> {
        UnsafeRawPointer(row + x).loadUnaligned(as: SIMD4<UInt64>.self)
    }

    /// Whether `row` is absent or holds `word` at `x`.
    @inline(__always)
    private func matches(_ row: UnsafePointer<T>?, _ x: Int, _ word: UInt64) -> Bool {
        guard let row else { return true }
        return load(row, x) == word
    }

    /// Whether all codes of `word` are equal: rotating by one code leaves it unchanged.
    @inline(__always)
    private func isUniform(_ word: UInt64) -> Bool {
        word == (word >> codeBits | word << (64 - codeBits))
    }

    @inline(__always)
    private static func append(_ point: BoundaryPoint, code: Int, to lists: inout [PackedPointList]) {
        if code >= lists.count {
            precondition(code < 1 << 24, "code \(code) is not a dense small integer")
            lists.append(contentsOf: repeatElement(PackedPointList(), count: code + 1 - lists.count))
        }
        lists[code].append(point)
    }
}

/// The four voxel rows a layer of 2×2×2 blocks reads; `nil` for rows beyond the volume.
struct BlockRows<T> {
    var lowerBack: UnsafePointer<T>?
    var upperBack: UnsafePointer<T>?
    var lowerFront: UnsafePointer<T>?
    var upperFront: UnsafePointer<T>?
}

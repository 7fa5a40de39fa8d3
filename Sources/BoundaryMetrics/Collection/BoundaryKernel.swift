import CPlatform

/// The voxel loops of ``BoundaryCollector`` for one code type, specialised per `T` inside this module.
///
/// Both scans first test many voxels at once: the surfel scan marks, 32 bytes at a time, the blocks that hold
/// more than one code; the edge scan dismisses a word whose codes are all equal (it equals itself rotated by one
/// code) and equal to the words of the neighbouring rows except at its two ends. Real label maps are long runs,
/// so almost every voxel is dismissed with a load and a few bitwise operations.
struct BoundaryKernel<T: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
    let width: Int
    let height: Int
    /// The background code as `T`, or `nil` when none (or when it does not fit `T`, so nothing is skipped).
    let skipped: T?
    /// Codes per 64-bit word.
    private let codesPerWord = 8 / MemoryLayout<T>.size
    /// Codes per 32-byte chunk, the unit of the surfel scan inside the volume.
    private let codesPerChunk = 32 / MemoryLayout<T>.size
    private let codeBits = UInt64(8 * MemoryLayout<T>.size)
    /// A word of background codes (`nil` when nothing is skipped).
    private let skippedWord: UInt64?
    /// The high bit of each code of a word.
    private let laneHighBits: UInt64
    /// Whether byte-code rows are tested by ``segscore_surfel_row_marks`` (AVX2) rather than by the chunk loop.
    private let marksRowsInC: Bool

    /// - Parameter vectorRows: use the AVX2 row test for byte codes where the CPU has it.
    init(width: Int, height: Int, skippedCode: UInt32?, vectorRows: Bool) {
        precondition(MemoryLayout<T>.size <= 4, "codes wider than 32 bits")
        self.width = width
        self.height = height
        skipped = skippedCode.flatMap { T(exactly: $0) }
        // UInt64.max / T.max is 0x0101…01 for bytes, 0x00000001_00000001 for 32-bit codes: one 1 per code.
        let ones = UInt64.max / UInt64(T.max)
        skippedWord = skipped.map { UInt64($0) &* ones }
        laneHighBits = ones << (codeBits - 1)
        marksRowsInC = vectorRows && T.self == UInt8.self && width > 32 && segscore_surfel_row_marks_is_fast() != 0
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
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: marksRowsInC ? (width + 63) / 64 : 0) { marks in
            emitSurfelLayer(lower: lower, upper: upper, gz: gz, marks: marks, into: &lists)
        }
    }

    /// ``emitSurfelLayer(lower:upper:gz:into:)`` with room for one row's block marks when ``marksRowsInC``.
    private func emitSurfelLayer(
        lower: UnsafePointer<T>?,
        upper: UnsafePointer<T>?,
        gz: Int,
        marks: UnsafeMutableBufferPointer<UInt64>,
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
            if let a = rows.lowerBack, let b = rows.upperBack, let c = rows.lowerFront, let d = rows.upperFront {
                // The blocks at the row's two ends hold one voxel column each (and the outside).
                if !isBackground(a, b, c, d, at: 0) { emitBlock(rows, gx: 0, gy: gy, gz: gz, into: &lists) }
                emitInteriorRow(a, b, c, d, gy: gy, gz: gz, marks: marks, into: &lists)
                if !isBackground(a, b, c, d, at: width - 1) {
                    emitBlock(rows, gx: width, gy: gy, gz: gz, into: &lists)
                }
            } else {
                emitBorderRow(rows, gy: gy, gz: gz, into: &lists)
            }
        }
    }

    /// The blocks 0 < gx < width of a row whose eight voxels all lie inside the volume (rows `a`, `b`, `c`, `d`
    /// as in ``BlockRows``), 32 blocks at a time.
    ///
    /// Lane i of a chunk loaded at gx − 1 and at gx holds block gx + i's two voxels of that row, so one xor per
    /// row against the block's own voxel (row `a` at gx) marks every block that holds more than one code; a
    /// chunk without marks (most of a label map) is dismissed with eight loads, and only the marked lanes of
    /// the others are visited. The last chunk ends at the row's end, overlapping the one before it, rather
    /// than leaving a remainder to a per-block loop (which cost as much as the rest of the row).
    ///
    /// With ``marksRowsInC`` (byte codes, AVX2) the same test runs in C (``segscore_surfel_row_marks``) and
    /// leaves one bit per block in `marks`; the same blocks are then emitted in the same order.
    private func emitInteriorRow(
        _ a: UnsafePointer<T>,
        _ b: UnsafePointer<T>,
        _ c: UnsafePointer<T>,
        _ d: UnsafePointer<T>,
        gy: Int,
        gz: Int,
        marks: UnsafeMutableBufferPointer<UInt64>,
        into lists: inout [PackedPointList]
    ) {
        if marksRowsInC {
            let bytes = { (row: UnsafePointer<T>) in UnsafeRawPointer(row).assumingMemoryBound(to: UInt8.self) }
            guard let words = marks.baseAddress,
                segscore_surfel_row_marks(bytes(a), bytes(b), bytes(c), bytes(d), width, words) != 0
            else { return }
            for word in 0..<marks.count {
                var remaining = words[word]
                while remaining != 0 {
                    let block = word &* 64 &+ remaining.trailingZeroBitCount
                    emitInteriorBlock(a, b, c, d, gx: block, gy: gy, gz: gz, into: &lists)
                    remaining &= remaining &- 1
                }
            }
            return
        }
        guard width > codesPerChunk else {
            for gx in 1..<width {
                let code = a[gx]
                if a[gx - 1] != code || b[gx - 1] != code || b[gx] != code || c[gx - 1] != code || c[gx] != code
                    || d[gx - 1] != code || d[gx] != code
                {
                    emitInteriorBlock(a, b, c, d, gx: gx, gy: gy, gz: gz, into: &lists)
                }
            }
            return
        }
        let laneShift = (8 * MemoryLayout<T>.size).trailingZeroBitCount
        var gx = 1
        while gx < width {
            // Wrapping arithmetic: positions are below `width`, and overflow checks cost a tenth of the chunk.
            let start = min(gx, width &- codesPerChunk)
            let before = start &- 1
            let own = loadChunk(a, start)
            let differ =
                (loadChunk(a, before) ^ own) | (loadChunk(b, before) ^ own) | (loadChunk(b, start) ^ own)
                | (loadChunk(c, before) ^ own) | (loadChunk(c, start) ^ own) | (loadChunk(d, before) ^ own)
                | (loadChunk(d, start) ^ own)
            // Marks reduced without branches: a test of `differ` itself is compiled into a chain of scalar
            // compares that reload every row.
            let marks = nonZeroLanes(differ)
            if (marks[0] | marks[1]) | (marks[2] | marks[3]) != 0 {
                for word in 0..<4 {
                    var remaining = marks[word]
                    while remaining != 0 {
                        let block = start &+ word &* codesPerWord &+ (remaining.trailingZeroBitCount >> laneShift)
                        if block >= gx { emitInteriorBlock(a, b, c, d, gx: block, gy: gy, gz: gz, into: &lists) }
                        remaining &= remaining &- 1
                    }
                }
            }
            gx = start &+ codesPerChunk
        }
    }

    /// The blocks of a row next to the outside (the first or last row of a layer, or a layer beyond the first
    /// or last slice). Only background words are skipped: next to the outside any other code has surfels.
    private func emitBorderRow(_ rows: BlockRows<T>, gy: Int, gz: Int, into lists: inout [PackedPointList]) {
        guard let first = rows.lowerBack ?? rows.upperBack ?? rows.lowerFront ?? rows.upperFront else { return }
        emitBlock(rows, gx: 0, gy: gy, gz: gz, into: &lists)
        var x = 0
        var previousWasSkipped = false
        while x + codesPerWord <= width {
            let word = load(first, x)
            if word == skippedWord && matches(rows.lowerBack, x, word) && matches(rows.upperBack, x, word)
                && matches(rows.lowerFront, x, word) && matches(rows.upperFront, x, word)
            {
                if x > 0 && !previousWasSkipped { emitBlock(rows, gx: x, gy: gy, gz: gz, into: &lists) }
                previousWasSkipped = true
            } else {
                for gx in max(x, 1)..<(x + codesPerWord) { emitBlock(rows, gx: gx, gy: gy, gz: gz, into: &lists) }
                previousWasSkipped = false
            }
            x += codesPerWord
        }
        for gx in max(x, 1)...width { emitBlock(rows, gx: gx, gy: gy, gz: gz, into: &lists) }
    }

    /// Emits the surfels of an interior block (0 < gx < width, all eight voxels inside) that holds more than one
    /// code: byte codes through ``ByteBlock``, wider ones through ``emitBlock(_:gx:gy:gz:into:)``.
    @inline(__always)
    private func emitInteriorBlock(
        _ a: UnsafePointer<T>,
        _ b: UnsafePointer<T>,
        _ c: UnsafePointer<T>,
        _ d: UnsafePointer<T>,
        gx: Int,
        gy: Int,
        gz: Int,
        into lists: inout [PackedPointList]
    ) {
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
        let rows = BlockRows(lowerBack: a, upperBack: b, lowerFront: c, upperFront: d)
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

    /// Whether column `x` of all four rows holds the background code (so a block with the outside beside it
    /// has no surfel).
    @inline(__always)
    private func isBackground(
        _ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ c: UnsafePointer<T>, _ d: UnsafePointer<T>, at x: Int
    ) -> Bool {
        guard let skipped else { return false }
        return a[x] == skipped && b[x] == skipped && c[x] == skipped && d[x] == skipped
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

    /// The high bit of every code lane of each word of `chunk` that is not zero (exact per lane: no carry
    /// crosses lanes).
    @inline(__always)
    private func nonZeroLanes(_ chunk: SIMD4<UInt64>) -> SIMD4<UInt64> {
        let high = SIMD4(repeating: laneHighBits)
        let low = ~high
        return (((chunk & low) &+ low) | chunk) & high
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

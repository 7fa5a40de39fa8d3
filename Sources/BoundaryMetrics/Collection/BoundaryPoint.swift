/// One boundary element of one image: its integer grid position and, for surfels, its 2×2×2 neighbour code.
///
/// Eight bytes: the form the distance computations read, one label at a time; the collector keeps every
/// label's points packed at five bytes (``PackedPointList``).
/// Surfel positions are block grid points `0...n` per axis (the block at `g` covers voxels `g − 1` and `g`);
/// edge voxels use voxel indices `0..<n`. Both fit `UInt16` because ``BoundaryCollector`` limits the extent.
struct BoundaryPoint: Sendable, Equatable {
    var x: UInt16
    var y: UInt16
    var z: UInt16
    /// The DeepMind neighbour code (bit `7 − (4a + 2b + c)` set when voxel offset (a, b, c) holds the label);
    /// 0 for edge voxels.
    var code: UInt8

    /// A key that orders points as the collector emits them (z, then y, then x).
    var rasterKey: UInt64 { UInt64(z) << 32 | UInt64(y) << 16 | UInt64(x) }
}

/// The boundary elements of one label in both images, each list in raster order.
struct BoundaryPointPair: Sendable, Equatable {
    var prediction: [BoundaryPoint] = []
    var reference: [BoundaryPoint] = []
}

/// ``BoundaryPointPair`` as the collector stores it, packed until a label's distances need it.
struct PackedPointPair: Sendable {
    var prediction = PackedPointList()
    var reference = PackedPointList()

    /// Both lists unpacked: only the labels whose distances are in flight hold this form.
    func unpacked() -> BoundaryPointPair {
        BoundaryPointPair(prediction: prediction.unpacked(), reference: reference.unpacked())
    }
}

/// One image's boundary elements of one code, in raster order, at five bytes each.
///
/// Why not `[BoundaryPoint]`: a 1 GB pair has ~14 M surfels, and eight-byte points with an array's doubling
/// slack (and the old buffer alive while it grows) held ~150 MB. Here a point is its packed (x, y) and its code
/// in fixed-size chunks (no slack beyond the last chunk, no copy on growth); z, which only grows in raster
/// order, is stored once per slice that has points.
///
/// An append writes through pointers into the last chunk kept in the list itself, so the scan touches the list
/// and the two slots it fills, not array headers spread over the heap (the surfel scan appends millions of
/// points across ~100 lists, and those cache misses were most of its emitting time). `@unchecked Sendable`
/// because of those pointers: they point into `chunks.last`, which the list owns. Copies share chunks, so only
/// the collector appends, and only to its own lists; everything else reads.
struct PackedPointList: @unchecked Sendable {
    /// Points per chunk: 20 KB, so the partly filled last chunks of ~200 lists cost at most 4 MB.
    private static let chunkCapacity = 4096

    /// The number of points.
    private(set) var count = 0
    /// Full chunks, then the one being filled.
    private var chunks: [PointChunk] = []
    /// Points in the last chunk (a full count before the first chunk, so the first append starts one).
    private var filled = chunkCapacity
    /// The last chunk's storage.
    private var positions: UnsafeMutablePointer<UInt32>? = nil
    private var codes: UnsafeMutablePointer<UInt8>? = nil
    /// Per slice with points, its z and the index of its first point, ascending.
    private var slices: [(z: UInt16, first: Int)] = []
    /// The z of the last point (`slices.last?.z`, kept here so an append does not read `slices`).
    private var lastZ: UInt16? = nil

    var isEmpty: Bool { count == 0 }

    /// Inlined into the surfel scan's emitters; the rare steps (a new chunk, a new slice) are calls.
    @inline(__always)
    mutating func append(_ point: BoundaryPoint) {
        if filled == Self.chunkCapacity { startChunk() }
        if lastZ != point.z { startSlice(point.z) }
        positions.unsafelyUnwrapped[filled] = UInt32(point.y) << 16 | UInt32(point.x)
        codes.unsafelyUnwrapped[filled] = point.code
        filled += 1
        count += 1
    }

    @inline(never)
    private mutating func startChunk() {
        let chunk = PointChunk(capacity: Self.chunkCapacity)
        chunks.append(chunk)
        (positions, codes, filled) = (chunk.positions, chunk.codes, 0)
    }

    @inline(never)
    private mutating func startSlice(_ z: UInt16) {
        slices.append((z, count))
        lastZ = z
    }

    /// The points in one array of exactly their number, in raster order: slice by slice, each slice's points
    /// copied chunk piece by chunk piece.
    func unpacked() -> [BoundaryPoint] {
        [BoundaryPoint](unsafeUninitializedCapacity: count) { out, initialized in
            for (s, slice) in slices.enumerated() {
                let end = s + 1 < slices.count ? slices[s + 1].first : count
                var index = slice.first
                while index < end {
                    let chunk = chunks[index / Self.chunkCapacity]
                    let offset = index % Self.chunkCapacity
                    let pieceCount = min(end - index, Self.chunkCapacity - offset)
                    for k in 0..<pieceCount {
                        let position = chunk.positions[offset + k]
                        out.initializeElement(
                            at: index + k,
                            to: BoundaryPoint(
                                x: UInt16(truncatingIfNeeded: position),
                                y: UInt16(truncatingIfNeeded: position >> 16),
                                z: slice.z,
                                code: chunk.codes[offset + k]
                            )
                        )
                    }
                    index += pieceCount
                }
            }
            initialized = count
        }
    }
}

/// One chunk of a ``PackedPointList``: raw storage for a fixed number of points, freed with the last list that
/// holds it. `@unchecked Sendable`: after the collector has filled it, it is only read.
private final class PointChunk: @unchecked Sendable {
    let positions: UnsafeMutablePointer<UInt32>
    let codes: UnsafeMutablePointer<UInt8>

    init(capacity: Int) {
        positions = .allocate(capacity: capacity)
        codes = .allocate(capacity: capacity)
    }

    deinit {
        positions.deallocate()
        codes.deallocate()
    }
}

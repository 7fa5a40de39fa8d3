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
struct PackedPointList: Sendable {
    /// Points per chunk: 20 KB, so the partly filled last chunks of ~200 lists cost at most 4 MB.
    private static let chunkCapacity = 4096

    /// The number of points.
    private(set) var count = 0
    /// Full chunks of `y << 16 | x`, then the chunk being filled.
    private var fullPositions: [[UInt32]] = []
    private var positions: [UInt32] = []
    /// The codes of the points, chunked like the positions.
    private var fullCodes: [[UInt8]] = []
    private var codes: [UInt8] = []
    /// Per slice with points, its z and the index of its first point, ascending.
    private var slices: [(z: UInt16, first: Int)] = []

    var isEmpty: Bool { count == 0 }

    /// Inlined into the surfel scan's emitters; the rare steps (a new chunk, a new slice) are calls.
    @inline(__always)
    mutating func append(_ point: BoundaryPoint) {
        if positions.count == positions.capacity { startChunk() }
        if slices.last?.z != point.z { slices.append((point.z, count)) }
        positions.append(UInt32(point.y) << 16 | UInt32(point.x))
        codes.append(point.code)
        count += 1
    }

    /// Files the full chunk (if any) and reserves the next one.
    @inline(never)
    private mutating func startChunk() {
        if !positions.isEmpty {
            fullPositions.append(positions)
            fullCodes.append(codes)
        }
        positions = []
        codes = []
        positions.reserveCapacity(Self.chunkCapacity)
        codes.reserveCapacity(Self.chunkCapacity)
    }

    /// The points in one array of exactly their number, in raster order.
    func unpacked() -> [BoundaryPoint] {
        [BoundaryPoint](unsafeUninitializedCapacity: count) { out, initialized in
            var slice = 0
            var index = 0
            for (chunkPositions, chunkCodes) in zip(fullPositions + [positions], fullCodes + [codes]) {
                for (position, code) in zip(chunkPositions, chunkCodes) {
                    while slice + 1 < slices.count && slices[slice + 1].first <= index { slice += 1 }
                    out.initializeElement(
                        at: index,
                        to: BoundaryPoint(
                            x: UInt16(truncatingIfNeeded: position),
                            y: UInt16(truncatingIfNeeded: position >> 16),
                            z: slices[slice].z,
                            code: code
                        )
                    )
                    index += 1
                }
            }
            initialized = index
        }
    }
}

/// The points of one boundary grouped by grid row (y, z), for exact nearest-point searches near the query.
///
/// Why: most boundary points of a usable segmentation lie within a voxel or two of the other surface, and a
/// k-d tree query costs a descent and several leaves for each of them. Here a query visits the rows around it
/// in increasing order of their least possible cost and binary-searches each row for the nearest x, stopping as
/// soon as no unvisited row can do better. A point farther than ``RowReach`` covers gets no answer and goes to
/// the tree, so far-off false positives cost no large neighbourhood walk. Memory is one 4-byte x per point plus
/// one row start per row of the boundary's bounding box (y × z, never the volume).
struct RowBuckets {
    private let lowY: Int32
    private let lowZ: Int32
    private let rowsY: Int32
    private let rowsZ: Int32
    /// Row r's points are `xs[starts[r]..<starts[r + 1]]`, r = (z − lowZ) · rowsY + (y − lowY).
    private var starts: [Int32]
    /// The x of every point, ascending within each row.
    private var xs: [Int32]

    /// Groups `boundary`, which must be in raster order (z, then y, then x), as the collector emits it.
    init(_ boundary: [BoundaryPoint]) {
        let (lowY, lowZ, rowsY, rowsZ, starts, xs) = boundary.withUnsafeBufferPointer { points in
            // Raster order: z ascends, so its range is the first and the last point's; y needs a pass.
            guard let first = points.first, let last = points.last else {
                return (Int32(0), Int32(0), Int32(0), Int32(0), [Int32](repeating: 0, count: 1), [Int32]())
            }
            var low = Int32(first.y)
            var high = low
            for p in points {
                low = min(low, Int32(p.y))
                high = max(high, Int32(p.y))
            }
            let (lowZ, rowsY, rowsZ) = (Int32(first.z), high - low + 1, Int32(last.z) - Int32(first.z) + 1)
            var starts = [Int32](repeating: 0, count: Int(rowsY) * Int(rowsZ) + 1)
            let xs = starts.withUnsafeMutableBufferPointer { starts in
                [Int32](unsafeUninitializedCapacity: points.count) { xs, initialized in
                    // Raster order makes the row numbers non-decreasing: each point ends its row so far.
                    for i in 0..<points.count {
                        let p = points[i]
                        let row = Int(Int32(p.z) - lowZ) * Int(rowsY) + Int(Int32(p.y) - low)
                        starts[row + 1] = Int32(i + 1)
                        xs.initializeElement(at: i, to: Int32(p.x))
                    }
                    initialized = points.count
                    for row in 0..<(starts.count - 1) where starts[row + 1] < starts[row] {
                        starts[row + 1] = starts[row]
                    }
                }
            }
            return (low, lowZ, rowsY, rowsZ, starts, xs)
        }
        (self.lowY, self.lowZ, self.rowsY, self.rowsZ, self.starts, self.xs) = (lowY, lowZ, rowsY, rowsZ, starts, xs)
    }

    /// The least cost from `q` to an indexed point among the rows `reach` lists, with that point, or `start` if
    /// none is cheaper; `start` must be the cost to some indexed point (it prunes the rows, e.g. the previous
    /// query's nearest point) or `.infinity`. The cost is exact (the nearest over all points) when it is at most
    /// `reach.exactUpTo`, else the caller must look further.
    func nearest<M: GridMetric>(
        to q: GridPoint, reach: RowReach<M>, startingAt start: (cost: Double, point: GridPoint), spacing: Spacing
    ) -> (cost: Double, point: GridPoint) {
        var (best, bestPoint) = start
        starts.withUnsafeBufferPointer { starts in
            xs.withUnsafeBufferPointer { xs in
                for row in reach.rows {
                    if row.bound >= best { break }
                    let y = q.y + row.dy - lowY
                    let z = q.z + row.dz - lowZ
                    guard y >= 0 && y < rowsY && z >= 0 && z < rowsZ else { continue }
                    let r = Int(z) * Int(rowsY) + Int(y)
                    let lower = Int(starts[r])
                    let upper = Int(starts[r + 1])
                    guard lower < upper else { continue }
                    // First x ≥ q.x; the nearest x of the row is it or its predecessor.
                    var low = lower
                    var high = upper
                    while low < high {
                        let middle = (low + high) / 2
                        if xs[middle] < q.x { low = middle + 1 } else { high = middle }
                    }
                    for i in max(low - 1, lower)..<min(low + 1, upper) {
                        let cost = M.cost(xs[i] - q.x, row.dy, row.dz, spacing)
                        if cost < best {
                            best = cost
                            bestPoint = GridPoint(x: xs[i], y: q.y + row.dy, z: q.z + row.dz)
                        }
                    }
                }
            }
        }
        return (best, bestPoint)
    }
}

/// The rows around a query that ``RowBuckets`` searches, in increasing order of their least cost, and the cost
/// up to which an answer from them is exact.
///
/// Every row offset (dy, dz) with |dy| ≤ ky and |dz| ≤ kz whose least cost (x offset 0) is below
/// ``exactUpTo`` is listed; any point in a row not listed has |dy| > ky or |dz| > kz, or a least cost of at
/// least ``exactUpTo``, so it costs at least ``exactUpTo``. Costs never decrease as |dx| grows (for every
/// metric, in floating point too), which makes the row's cost at x offset 0 a true lower bound.
struct RowReach<M: GridMetric> {
    struct Row {
        let dy: Int32
        let dz: Int32
        let bound: Double
    }

    let rows: [Row]
    let exactUpTo: Double
    /// Bounds the rows listed when one axis is far finer than the other (or its spacing is zero).
    private static var maximumSteps: Int32 { 32 }

    /// Rows out to `voxels` steps along the coarser of y and z (in mm for Euclidean), at least one along each.
    init(spacing: Spacing, voxels: Int32 = 4) {
        let target = max(M.axisBound(voxels, axis: 1, spacing), M.axisBound(voxels, axis: 2, spacing))
        func steps(axis: Int) -> Int32 {
            var k: Int32 = 1
            while k < Self.maximumSteps && M.axisBound(k + 1, axis: axis, spacing) <= target { k += 1 }
            return k
        }
        let ky = steps(axis: 1)
        let kz = steps(axis: 2)
        let exactUpTo = min(M.axisBound(ky + 1, axis: 1, spacing), M.axisBound(kz + 1, axis: 2, spacing))
        var rows: [Row] = []
        for dz in -kz...kz {
            for dy in -ky...ky {
                let bound = M.cost(0, dy, dz, spacing)
                if bound < exactUpTo { rows.append(Row(dy: dy, dz: dz, bound: bound)) }
            }
        }
        rows.sort { $0.bound < $1.bound }
        self.rows = rows
        self.exactUpTo = exactUpTo
    }
}

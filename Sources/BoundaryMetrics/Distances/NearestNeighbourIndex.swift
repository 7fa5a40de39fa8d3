/// An implicit k-d tree over the grid points of one boundary, answering exact nearest-point distances.
///
/// Why a k-d tree rather than a distance transform or a bucket grid: memory must follow the surface area even
/// for a whole-body label whose bounding box is the volume, and a far-off false positive must not make every
/// query walk a large empty neighbourhood. The tree is one array of points (reordered so that the median of
/// each range splits it) plus one axis byte per split, O(n) memory, O(n log n) to build. Costs are computed
/// from integer coordinate differences, so results are exact and independent of the point order.
struct NearestNeighbourIndex: Sendable {
    private var points: [GridPoint]
    /// The split axis of the range whose median sits at this index.
    private var axes: [UInt8]
    /// The corners of the box holding every point: the root cell of the search's bounds.
    private var low = GridPoint(x: 0, y: 0, z: 0)
    private var high = GridPoint(x: 0, y: 0, z: 0)
    private static let leafSize = 16

    /// Indexes `boundary`, which must be in raster order (z major), as the collector emits it: ranges split
    /// along z then need no partitioning. `spacing` weighs the extents when choosing split axes.
    init(_ boundary: [BoundaryPoint], spacing: Spacing) {
        points = boundary.map { GridPoint(x: Int32($0.x), y: Int32($0.y), z: Int32($0.z)) }
        axes = [UInt8](repeating: 0, count: points.count)
        guard var low = points.first else { return }
        var high = low
        for p in points {
            low = GridPoint(x: min(low.x, p.x), y: min(low.y, p.y), z: min(low.z, p.z))
            high = GridPoint(x: max(high.x, p.x), y: max(high.y, p.y), z: max(high.z, p.z))
        }
        points.withUnsafeMutableBufferPointer { points in
            axes.withUnsafeMutableBufferPointer { axes in
                Self.build(points, axes, 0, points.count, low, high, spacing: spacing, sortedByZ: true)
            }
        }
        (self.low, self.high) = (low, high)
    }

    var isEmpty: Bool { points.isEmpty }

    /// Splits `lower..<upper` at its median along the longest side (in mm) of `low...high`, a box containing
    /// the range (narrowed by the splits above, so no pass over the points is needed to choose the axis). A
    /// range still sorted by z is split along z by taking its middle element.
    private static func build(
        _ points: UnsafeMutableBufferPointer<GridPoint>,
        _ axes: UnsafeMutableBufferPointer<UInt8>,
        _ lower: Int,
        _ upper: Int,
        _ low: GridPoint,
        _ high: GridPoint,
        spacing: Spacing,
        sortedByZ: Bool
    ) {
        guard upper - lower > leafSize else { return }
        let extents = (
            Double(high.x - low.x) * spacing.x, Double(high.y - low.y) * spacing.y, Double(high.z - low.z) * spacing.z
        )
        let axis = extents.0 >= extents.1 && extents.0 >= extents.2 ? 0 : extents.1 >= extents.2 ? 1 : 2
        let middle = (lower + upper) / 2
        switch axis {
        case 0: select(points, lower, upper, middle, XAxis.self)
        case 1: select(points, lower, upper, middle, YAxis.self)
        default: if !sortedByZ { select(points, lower, upper, middle, ZAxis.self) }
        }
        let stillSorted = sortedByZ && axis == 2
        axes[middle] = UInt8(axis)
        let split = points[middle][axis]
        var leftHigh = high
        var rightLow = low
        leftHigh[axis] = split
        rightLow[axis] = split
        build(points, axes, lower, middle, low, leftHigh, spacing: spacing, sortedByZ: stillSorted)
        build(points, axes, middle + 1, upper, rightLow, high, spacing: spacing, sortedByZ: stillSorted)
    }

    /// Quickselect: afterwards `points[k]` is the k-th smallest along `axis` in `lower..<upper`, smaller or
    /// equal ones before it, larger or equal ones after it.
    private static func select<A: GridAxis>(
        _ points: UnsafeMutableBufferPointer<GridPoint>,
        _ lower: Int,
        _ upper: Int,
        _ k: Int,
        _: A.Type
    ) {
        var lo = lower
        var hi = upper - 1
        while lo < hi {
            let pivot = A.coordinate(points[(lo + hi) / 2])
            var i = lo
            var j = hi
            while i <= j {
                while A.coordinate(points[i]) < pivot { i += 1 }
                while A.coordinate(points[j]) > pivot { j -= 1 }
                if i <= j {
                    points.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j {
                hi = j
            } else if k >= i {
                lo = i
            } else {
                return
            }
        }
    }

    /// The smallest cost from `query` to any indexed point; `start` must be the cost to some indexed point (an
    /// upper bound that prunes the search, e.g. the previous query's nearest point) or `.infinity`.
    ///
    /// Depth-first without recursion: each split visits the query's side at once and stacks the other side
    /// with the least cost its cell allows, skipping it later if the best cost has dropped below that. The
    /// bound is the query's distance to the cell's box along every axis (the root box narrowed by the splits),
    /// not only to the last split plane: a query far from the boundary, e.g. on a false positive blob or a
    /// swapped left/right structure, then prunes nearly every cell instead of visiting all whose single split
    /// plane is within reach. Costs never decrease as any axis
    /// offset grows, so the bound is exact in floating point too.
    func nearestCost<M: GridMetric>(
        to q: GridPoint,
        startingBelow start: Double,
        metric _: M.Type,
        spacing: Spacing
    ) -> (cost: Double, point: GridPoint) {
        var best = start
        var bestPoint = q
        points.withUnsafeBufferPointer { points in
            axes.withUnsafeBufferPointer { axes in
                withUnsafeTemporaryAllocation(of: PendingRange.self, capacity: 64) { stack in
                    var depth = 0
                    var lower = 0
                    var upper = points.count
                    var offsets = GridPoint(
                        x: max(low.x - q.x, q.x - high.x, 0), y: max(low.y - q.y, q.y - high.y, 0),
                        z: max(low.z - q.z, q.z - high.z, 0))
                    while true {
                        while upper - lower > Self.leafSize {
                            let middle = (lower + upper) / 2
                            let p = points[middle]
                            let cost = M.cost(p.x - q.x, p.y - q.y, p.z - q.z, spacing)
                            if cost < best {
                                best = cost
                                bestPoint = p
                            }
                            let axis = Int(axes[middle])
                            let delta = q[axis] - p[axis]
                            var far = offsets
                            far[axis] = max(far[axis], abs(delta))
                            let bound = M.cost(far.x, far.y, far.z, spacing)
                            if delta < 0 {
                                stack[depth] = PendingRange(lower: middle + 1, upper: upper, offsets: far, bound: bound)
                                upper = middle
                            } else {
                                stack[depth] = PendingRange(lower: lower, upper: middle, offsets: far, bound: bound)
                                lower = middle + 1
                            }
                            depth += 1
                        }
                        for i in lower..<upper {
                            let p = points[i]
                            let cost = M.cost(p.x - q.x, p.y - q.y, p.z - q.z, spacing)
                            if cost < best {
                                best = cost
                                bestPoint = p
                            }
                        }
                        var resumed = false
                        while depth > 0 {
                            depth -= 1
                            let pending = stack[depth]
                            if pending.bound < best {
                                (lower, upper, offsets) = (pending.lower, pending.upper, pending.offsets)
                                resumed = true
                                break
                            }
                        }
                        if !resumed { break }
                    }
                }
            }
        }
        return (best, bestPoint)
    }
}

/// A subtree left for later by the depth-first search: its least distance from the query along each axis (in
/// grid steps) and the least cost any of its points can have.
private struct PendingRange {
    var lower: Int
    var upper: Int
    var offsets: GridPoint
    var bound: Double
}

/// A grid position with signed coordinates, so differences need no conversions.
struct GridPoint: Sendable, Equatable {
    var x: Int32
    var y: Int32
    var z: Int32

    @inline(__always)
    subscript(axis: Int) -> Int32 {
        get { axis == 0 ? x : axis == 1 ? y : z }
        set {
            if axis == 0 { x = newValue } else if axis == 1 { y = newValue } else { z = newValue }
        }
    }
}

/// One axis of ``GridPoint`` as a type, so the quickselect is specialised per axis instead of branching on the
/// axis at every comparison.
private protocol GridAxis {
    static func coordinate(_ point: GridPoint) -> Int32
}

private enum XAxis: GridAxis {
    @inline(__always) static func coordinate(_ point: GridPoint) -> Int32 { point.x }
}

private enum YAxis: GridAxis {
    @inline(__always) static func coordinate(_ point: GridPoint) -> Int32 { point.y }
}

private enum ZAxis: GridAxis {
    @inline(__always) static func coordinate(_ point: GridPoint) -> Int32 { point.z }
}

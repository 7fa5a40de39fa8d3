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
    /// Per subtree (heap numbering, root 1), the least box holding its points: the search's bounds. Tight
    /// boxes, not the cells the split planes cut, because a surface fills little of its cells; a query far
    /// from it (a swapped left/right structure) then prunes most subtrees its cell bound would visit. Three to
    /// six bytes per point (a 24-byte box per 4 to 8 points' worth of nodes).
    private var boxes: [GridBox] = []
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
        var nodes = 2
        var size = points.count
        while size > Self.leafSize {
            size /= 2
            nodes *= 2
        }
        boxes = [GridBox](repeating: GridBox(low: low, high: high), count: nodes)
        points.withUnsafeBufferPointer { points in
            boxes.withUnsafeMutableBufferPointer { boxes in
                _ = Self.tighten(points, boxes, 0, points.count, node: 1)
            }
        }
    }

    /// Stores in `boxes[node]` (heap numbering: children `2 node` and `2 node + 1`) the least box holding
    /// `lower..<upper`, and returns it. A range of a range's size at most halves per level, so `boxes` sized
    /// by halving the point count down to a leaf has room for every node.
    private static func tighten(
        _ points: UnsafeBufferPointer<GridPoint>,
        _ boxes: UnsafeMutableBufferPointer<GridBox>,
        _ lower: Int,
        _ upper: Int,
        node: Int
    ) -> GridBox {
        var box: GridBox
        if upper - lower > leafSize {
            let middle = (lower + upper) / 2
            box = tighten(points, boxes, lower, middle, node: 2 * node)
            box.merge(tighten(points, boxes, middle + 1, upper, node: 2 * node + 1))
            box.merge(GridBox(low: points[middle], high: points[middle]))
        } else {
            box = GridBox(low: points[lower], high: points[lower])
            for i in lower..<upper { box.merge(GridBox(low: points[i], high: points[i])) }
        }
        boxes[node] = box
        return box
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
    /// Depth-first without recursion: each split visits the query's side first and stacks the other side with
    /// the least cost its subtree's box allows, skipping either side whose bound is not below the best cost
    /// (again when a stacked side is resumed). Costs never decrease as any axis offset grows, so the box bound
    /// is a true lower bound in floating point too and the result is exact.
    func nearestCost<M: GridMetric>(
        to q: GridPoint,
        startingBelow start: Double,
        metric _: M.Type,
        spacing: Spacing
    ) -> (cost: Double, point: GridPoint) {
        var best = start
        var bestPoint = q
        guard !points.isEmpty else { return (best, bestPoint) }
        points.withUnsafeBufferPointer { points in
            axes.withUnsafeBufferPointer { axes in
                boxes.withUnsafeBufferPointer { boxes in
                    // The stack holds at most one range per level of the tree (a level below 32 for any point
                    // count that fits memory), and 32 ranges are the 1 KB the standard library still allocates on
                    // the stack; a larger buffer is a heap allocation per query.
                    withUnsafeTemporaryAllocation(of: PendingRange.self, capacity: 32) { stack in
                        var depth = 0
                        var (lower, upper, node) = (0, points.count, 1)
                        var visit = boxes[1].cost(from: q, M.self, spacing) < best
                        while true {
                            while visit && upper - lower > Self.leafSize {
                                let middle = (lower + upper) / 2
                                let p = points[middle]
                                let cost = M.cost(p.x - q.x, p.y - q.y, p.z - q.z, spacing)
                                if cost < best {
                                    best = cost
                                    bestPoint = p
                                }
                                let axis = Int(axes[middle])
                                let nearIsLeft = q[axis] < p[axis]
                                let near = nearIsLeft ? (lower, middle, 2 * node) : (middle + 1, upper, 2 * node + 1)
                                let far = nearIsLeft ? (middle + 1, upper, 2 * node + 1) : (lower, middle, 2 * node)
                                let farBound = boxes[far.2].cost(from: q, M.self, spacing)
                                if farBound < best {
                                    stack[depth] = PendingRange(
                                        lower: far.0, upper: far.1, node: far.2, bound: farBound)
                                    depth += 1
                                }
                                (lower, upper, node) = near
                                visit = boxes[node].cost(from: q, M.self, spacing) < best
                            }
                            if visit {
                                for i in lower..<upper {
                                    let p = points[i]
                                    let cost = M.cost(p.x - q.x, p.y - q.y, p.z - q.z, spacing)
                                    if cost < best {
                                        best = cost
                                        bestPoint = p
                                    }
                                }
                            }
                            visit = false
                            while depth > 0 {
                                depth -= 1
                                let pending = stack[depth]
                                if pending.bound < best {
                                    (lower, upper, node) = (pending.lower, pending.upper, pending.node)
                                    visit = true
                                    break
                                }
                            }
                            if !visit { break }
                        }
                    }
                }
            }
        }
        return (best, bestPoint)
    }
}

/// A subtree left for later by the depth-first search, with the least cost any of its points can have.
private struct PendingRange {
    var lower: Int
    var upper: Int
    var node: Int
    var bound: Double
}

/// The least axis-aligned box holding some grid points.
private struct GridBox {
    var low: GridPoint
    var high: GridPoint

    mutating func merge(_ other: GridBox) {
        low = GridPoint(x: min(low.x, other.low.x), y: min(low.y, other.low.y), z: min(low.z, other.low.z))
        high = GridPoint(x: max(high.x, other.high.x), y: max(high.y, other.high.y), z: max(high.z, other.high.z))
    }

    /// The least cost from `q` to any point of the box.
    @inline(__always)
    func cost<M: GridMetric>(from q: GridPoint, _: M.Type, _ spacing: Spacing) -> Double {
        M.cost(
            max(low.x - q.x, q.x - high.x, 0), max(low.y - q.y, q.y - high.y, 0), max(low.z - q.z, q.z - high.z, 0),
            spacing)
    }
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

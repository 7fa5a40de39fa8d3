/// The distance from each point of one boundary to the nearest point of another.
enum NearestDistances {
    /// Distances from every point of `from` to the nearest point of `to`, in `from`'s order; `+∞` each when
    /// `to` is empty.
    ///
    /// Both lists come in the collector's raster order, so a merge pass first finds the points present in both
    /// (distance 0, the bulk for a good segmentation); the rest search the rows around them (``RowBuckets``),
    /// which settles nearly all of them exactly. A point beyond that reach whose best candidate so far (often the
    /// previous query's nearest point) lies within a wider reach walks the wider rows, bounded by that
    /// candidate: a large boundary then needs no tree for a few stray points (many such points, or a tree built
    /// anyway, send them to the tree). Only the rest (far false positives, swapped structures) query the k-d
    /// tree, built on first need.
    static func compute(
        from: [BoundaryPoint],
        to: [BoundaryPoint],
        spacing: Spacing,
        metric: DistanceMetric
    ) -> [Double] {
        guard !to.isEmpty else { return [Double](repeating: .infinity, count: from.count) }
        switch metric {
        case .euclidean: return compute(from, to, spacing, EuclideanGridMetric.self)
        case .chessboard: return compute(from, to, spacing, ChessboardGridMetric.self)
        case .taxicab: return compute(from, to, spacing, TaxicabGridMetric.self)
        }
    }

    /// Boundary points whose tree costs about one wide walk to build (see `compute`).
    private static let pointsPerWideWalk = 512

    private static func compute<M: GridMetric>(
        _ from: [BoundaryPoint],
        _ to: [BoundaryPoint],
        _ spacing: Spacing,
        _: M.Type
    ) -> [Double] {
        let rows = RowBuckets(to)
        let reach = RowReach<M>(spacing: spacing)
        var wideReach: RowReach<M>?
        var index: NearestNeighbourIndex?
        return [Double](unsafeUninitializedCapacity: from.count) { result, initialized in
            from.withUnsafeBufferPointer { from in
                to.withUnsafeBufferPointer { to in
                    markShared(from, to, in: result)
                }
            }
            initialized = from.count
            var previous: GridPoint?
            // Whether the previous query's nearest point lay beyond the wide reach (a far false positive, a
            // swapped structure): its raster neighbour almost surely does too, so it goes to the tree without
            // walking rows.
            var previousWasFar = false
            // Wide walks answer a few stray points of a large boundary without building the tree, but each
            // visits hundreds of rows: once they would have paid for the tree (about one walk per 512 points), or
            // once the tree exists, the tree answers instead.
            var wideWalks = 0
            for (i, point) in from.enumerated() where result[i] < 0 {
                let query = GridPoint(x: Int32(point.x), y: Int32(point.y), z: Int32(point.z))
                let seed = previous.map { (M.cost($0.x - query.x, $0.y - query.y, $0.z - query.z, spacing), $0) }
                var near: (cost: Double, point: GridPoint) = seed ?? (.infinity, query)
                if !previousWasFar || near.cost <= reach.exactUpTo {
                    near = rows.nearest(to: query, reach: reach, startingAt: near, spacing: spacing)
                    if near.cost <= reach.exactUpTo {
                        (result[i], previous, previousWasFar) = (M.distance(fromCost: near.cost), near.point, false)
                        continue
                    }
                }
                let wide = wideReach ?? RowReach<M>(spacing: spacing, voxels: 16)
                wideReach = wide
                if index == nil && wideWalks < to.count / pointsPerWideWalk && near.cost <= wide.exactUpTo {
                    // A known point within the wide reach bounds the walk and makes its answer exact.
                    wideWalks += 1
                    let wider = rows.nearest(to: query, reach: wide, startingAt: near, spacing: spacing)
                    (result[i], previous, previousWasFar) = (M.distance(fromCost: wider.cost), wider.point, false)
                    continue
                }
                if index == nil { index = NearestNeighbourIndex(to, spacing: spacing) }
                let found = index.unsafelyUnwrapped.nearestCost(
                    to: query, startingBelow: near.cost, metric: M.self, spacing: spacing)
                previous = found.cost < near.cost ? found.point : near.point
                previousWasFar = found.cost > wide.exactUpTo
                result[i] = M.distance(fromCost: found.cost)
            }
        }
    }

    /// Initializes `result` (one slot per point of `from`) to 0 where the point also lies in `to` and to −1
    /// elsewhere, by one merge of the two raster-ordered lists.
    private static func markShared(
        _ from: UnsafeBufferPointer<BoundaryPoint>,
        _ to: UnsafeBufferPointer<BoundaryPoint>,
        in result: UnsafeMutableBufferPointer<Double>
    ) {
        var j = 0
        for i in 0..<from.count {
            let key = from[i].rasterKey
            while j < to.count && to[j].rasterKey < key { j += 1 }
            result.initializeElement(at: i, to: j < to.count && to[j].rasterKey == key ? 0 : -1)
        }
    }
}

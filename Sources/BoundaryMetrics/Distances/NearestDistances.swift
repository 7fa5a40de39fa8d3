/// The distance from each point of one boundary to the nearest point of another.
enum NearestDistances {
    /// Distances from every point of `from` to the nearest point of `to`, in `from`'s order; `+∞` each when
    /// `to` is empty.
    ///
    /// Both lists come in the collector's raster order, so a merge pass first finds the points present in both
    /// (distance 0, the bulk for a good segmentation); the rest search the rows around them (``RowBuckets``),
    /// which settles nearly all of them exactly. A point beyond that reach whose best candidate so far (often the
    /// previous query's nearest point) lies within a wider reach walks the wider rows, bounded by that
    /// candidate: a large boundary then needs no tree for a few stray points. Only the rest (far false
    /// positives, swapped structures) query the k-d tree, built on first need.
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

    private static func compute<M: GridMetric>(
        _ from: [BoundaryPoint],
        _ to: [BoundaryPoint],
        _ spacing: Spacing,
        _: M.Type
    ) -> [Double] {
        var result = [Double](repeating: -1, count: from.count)
        var j = 0
        for (i, point) in from.enumerated() {
            let key = point.rasterKey
            while j < to.count && to[j].rasterKey < key { j += 1 }
            if j < to.count && to[j].rasterKey == key { result[i] = 0 }
        }
        let rows = RowBuckets(to)
        let reach = RowReach<M>(spacing: spacing)
        var wideReach: RowReach<M>?
        var index: NearestNeighbourIndex?
        var previous: GridPoint?
        // Whether the previous query's nearest point lay beyond the wide reach (a far false positive, a swapped
        // structure): its raster neighbour almost surely does too, so it goes to the tree without walking rows.
        var previousWasFar = false
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
            if near.cost <= wide.exactUpTo {
                // A known point within the wide reach bounds the walk and makes its answer exact.
                let wider = rows.nearest(to: query, reach: wide, startingAt: near, spacing: spacing)
                (result[i], previous, previousWasFar) = (M.distance(fromCost: wider.cost), wider.point, false)
                continue
            }
            let tree = index ?? NearestNeighbourIndex(to, spacing: spacing)
            index = tree
            let found = tree.nearestCost(to: query, startingBelow: near.cost, metric: M.self, spacing: spacing)
            previous = found.cost < near.cost ? found.point : near.point
            previousWasFar = found.cost > wide.exactUpTo
            result[i] = M.distance(fromCost: found.cost)
        }
        return result
    }
}

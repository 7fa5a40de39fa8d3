/// The distance from each point of one boundary to the nearest point of another.
enum NearestDistances {
    /// Distances from every point of `from` to the nearest point of `to`, in `from`'s order; `+∞` each when
    /// `to` is empty.
    ///
    /// Both lists come in the collector's raster order, so a merge pass first finds the points present in both
    /// (distance 0, the bulk for a good segmentation) without touching the tree; the rest query the k-d tree,
    /// starting from the previous query's nearest point, which is usually close.
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
        var index: NearestNeighbourIndex?
        var previous: GridPoint?
        for (i, point) in from.enumerated() where result[i] < 0 {
            let tree = index ?? NearestNeighbourIndex(to, spacing: spacing)
            index = tree
            let query = GridPoint(x: Int32(point.x), y: Int32(point.y), z: Int32(point.z))
            let start = previous.map { M.cost($0.x - query.x, $0.y - query.y, $0.z - query.z, spacing) } ?? .infinity
            let found = tree.nearestCost(to: query, startingBelow: start, metric: M.self, spacing: spacing)
            if found.cost < start || previous == nil { previous = found.point }
            result[i] = M.distance(fromCost: found.cost)
        }
        return result
    }
}

import Dispatch

/// The boundary elements of every code in both images of a pair, as ``BoundaryCollector`` found them, and the
/// distance computations over them.
///
/// Memory is proportional to the number of boundary elements (5 bytes each, packed); distances are computed
/// per label on demand, unpacking only that label's points, so a caller asks only for what it reports.
public struct BoundarySets: Sendable {
    /// The grid the boundaries were collected on (voxels along x, y, z); the empty rule's diagonal uses it.
    public let width: Int
    /// See ``width``.
    public let height: Int
    /// See ``width``.
    public let depth: Int
    let surfels: [PackedPointPair]?
    let edges: [PackedPointPair]?

    /// Every code with at least one boundary element of `kind` in either image, ascending.
    public func codes(kind: BoundaryKind) -> [UInt32] {
        let lists = lists(kind)
        return lists.indices.compactMap { code in
            lists[code].prediction.isEmpty && lists[code].reference.isEmpty ? nil : UInt32(code)
        }
    }

    /// How many boundary elements of `kind` `code` has in each image; 0 means the image lacks the code (every
    /// non-empty mask has surfels and edge voxels).
    public func elementCounts(code: UInt32, kind: BoundaryKind) -> (prediction: Int, reference: Int) {
        let lists = lists(kind)
        guard Int(code) < lists.count else { return (0, 0) }
        return (lists[Int(code)].prediction.count, lists[Int(code)].reference.count)
    }

    /// The surfel areas of `code` in both images, in mm², in collection order; their sums are the surface areas.
    public func surfelAreas(code: UInt32, spacing: Spacing) -> (prediction: [Double], reference: [Double]) {
        let table = SurfelAreaTable(spacing: spacing)
        let pair = self.pair(code, .surfels)
        return (pair.prediction.map { table[$0.code] }, pair.reference.map { table[$0.code] })
    }

    /// Exact nearest-boundary distances of `code` in both directions.
    ///
    /// - Parameters:
    ///   - code: the label code.
    ///   - kind: surfels (weights are areas from DeepMind's table) or edge voxels (weight 1).
    ///   - spacing: voxel spacing in mm (used by the areas and by Euclidean distances).
    ///   - metric: Euclidean (mm) or MONAI's chessboard/taxicab (voxel steps).
    /// - Returns: both directions, sorted; `+∞` distances when the other image lacks the code.
    public func distances(
        code: UInt32,
        kind: BoundaryKind,
        spacing: Spacing,
        metric: DistanceMetric = .euclidean
    ) -> SurfaceDistances {
        let pair = self.pair(code, kind)
        let table = kind == .surfels ? SurfelAreaTable(spacing: spacing) : nil
        return SurfaceDistances(
            predictionToReference: Self.directed(pair.prediction, pair.reference, table, spacing, metric),
            referenceToPrediction: Self.directed(pair.reference, pair.prediction, table, spacing, metric)
        )
    }

    /// The `deepmind` statistics of many labels at the given percentiles and NSD tolerances (mm), spread over
    /// all cores; each label's surfel distances are reduced one direction at a time and then dropped.
    ///
    /// Values for a label one mask lacks are DeepMind's inf/NaN; apply ``EmptyStructureRule`` to those.
    /// - Returns: one summary per entry of `codes`, in the same order.
    public func surfaceDistanceSummaries(
        codes: [UInt32],
        spacing: Spacing,
        percentiles: [Double],
        tolerances: [Double]
    ) -> [SurfaceDistanceSummary] {
        let table = SurfelAreaTable(spacing: spacing)
        return concurrentMap(codes: codes, kind: .surfels) { code in
            let pair = pair(code, .surfels)
            let forward = DirectedSummary(
                Self.directedRuns(pair.prediction, pair.reference, table, spacing),
                percentiles: percentiles,
                tolerances: tolerances
            )
            let backward = DirectedSummary(
                Self.directedRuns(pair.reference, pair.prediction, table, spacing),
                percentiles: percentiles,
                tolerances: tolerances
            )
            return SurfaceDistanceSummary(referenceToPrediction: backward, predictionToReference: forward)
        }
    }

    /// One direction's sorted samples: distances to `to`, weighted by `table`'s areas (or 1 without one).
    private static func directed(
        _ from: [BoundaryPoint],
        _ to: [BoundaryPoint],
        _ table: SurfelAreaTable?,
        _ spacing: Spacing,
        _ metric: DistanceMetric
    ) -> DirectedDistances {
        let distances = NearestDistances.compute(from: from, to: to, spacing: spacing, metric: metric)
        return DirectedDistances(count: from.count) { i in
            DistanceSample(distance: distances[i], weight: table?[from[i].code] ?? 1)
        }
    }

    /// One direction's Euclidean surfel samples as sorted runs
    /// (``RepeatedSampleSort/runs(count:distance:code:weight:)``): what the statistics read, without the sorted
    /// samples written out.
    private static func directedRuns(
        _ from: [BoundaryPoint],
        _ to: [BoundaryPoint],
        _ table: SurfelAreaTable,
        _ spacing: Spacing
    ) -> [SampleRun] {
        let distances = NearestDistances.compute(from: from, to: to, spacing: spacing, metric: .euclidean)
        return distances.withUnsafeBufferPointer { distances in
            from.withUnsafeBufferPointer { from in
                RepeatedSampleSort.runs(
                    count: from.count, distance: { distances[$0] }, code: { from[$0].code }, weight: { table[$0] })
            }
        }
    }

    /// ``distances(code:kind:spacing:metric:)`` for many codes at once, spread over all cores (labels are
    /// independent; the largest boundaries start first so the cores finish together).
    ///
    /// Holds every label's distances at once (16 bytes per boundary element); prefer
    /// ``map(codes:kind:spacing:metric:_:)`` to keep only what is reported.
    /// - Returns: one result per entry of `codes`, in the same order.
    public func distances(
        codes: [UInt32],
        kind: BoundaryKind,
        spacing: Spacing,
        metric: DistanceMetric = .euclidean
    ) -> [SurfaceDistances] {
        map(codes: codes, kind: kind, spacing: spacing, metric: metric) { _, distances in distances }
    }

    /// Computes each code's distances and reduces them with `transform` (e.g. to the statistics a report
    /// needs), spread over all cores; only the labels in flight hold their distances, so memory stays at the
    /// boundary points plus one label per core.
    ///
    /// - Parameters:
    ///   - codes: the label codes, in the order of the result.
    ///   - transform: called once per code, concurrently, with the code and its distances.
    /// - Returns: one result per entry of `codes`, in the same order.
    public func map<Result: Sendable>(
        codes: [UInt32],
        kind: BoundaryKind,
        spacing: Spacing,
        metric: DistanceMetric = .euclidean,
        _ transform: @Sendable (UInt32, SurfaceDistances) -> Result
    ) -> [Result] {
        concurrentMap(codes: codes, kind: kind) { code in
            transform(code, distances(code: code, kind: kind, spacing: spacing, metric: metric))
        }
    }

    /// `body(code)` for every code, concurrently, largest boundaries first; results in the order of `codes`.
    private func concurrentMap<Result: Sendable>(
        codes: [UInt32],
        kind: BoundaryKind,
        _ body: @Sendable (UInt32) -> Result
    ) -> [Result] {
        let order = codes.indices.sorted {
            let a = elementCounts(code: codes[$0], kind: kind)
            let b = elementCounts(code: codes[$1], kind: kind)
            return a.prediction + a.reference > b.prediction + b.reference
        }
        let results = UnsafeMutableBufferPointer<Result?>.allocate(capacity: codes.count)
        results.initialize(repeating: nil)
        defer {
            results.deinitialize()
            results.deallocate()
        }
        nonisolated(unsafe) let slots = results
        DispatchQueue.concurrentPerform(iterations: codes.count) { i in
            let index = order[i]
            slots[index] = body(codes[index])
        }
        return results.compactMap { $0 }
    }

    private func lists(_ kind: BoundaryKind) -> [PackedPointPair] {
        let lists = kind == .surfels ? surfels : edges
        precondition(lists != nil, "the collector did not gather \(kind)")
        return lists ?? []
    }

    /// The boundary elements of `code`, unpacked (empty lists for a code neither image holds).
    func pair(_ code: UInt32, _ kind: BoundaryKind) -> BoundaryPointPair {
        let lists = lists(kind)
        return Int(code) < lists.count ? lists[Int(code)].unpacked() : BoundaryPointPair()
    }
}

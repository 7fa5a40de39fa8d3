/// MONAI 1.6.1's boundary metrics for one label (one entry of the `[B, C]` buffer), from edge-voxel distances
/// (or surfel distances for surface Dice with `use_subvoxels`).
///
/// MONAI stores distances as float32, so these work on `Float(distance)` and return `Float`. Empty masks give
/// what MONAI's `get_surface_distance` gives: when either mask of a direction is empty, that direction is one
/// `+∞` per edge element of the non-empty mask (none when both are empty, which yields NaN).
public enum MonaiBoundaryMetrics {
    /// `HausdorffDistanceMetric`: per direction the maximum, or with a percentile `torch.quantile(d, p/100)`
    /// (linear interpolation); then the larger direction. `directed` uses prediction → reference only.
    /// A `percentile` of `nil` or 0 means the maximum (MONAI tests `if not percentile`).
    public static func hausdorffDistance(_ distances: SurfaceDistances, percentile: Double?, directed: Bool) -> Float {
        let monai = monaiDistances(distances)
        var directions = [monai.predictionToReference]
        if !directed { directions.append(monai.referenceToPrediction) }
        var result = -Float.infinity
        for direction in directions {
            let value = directedHausdorff(direction, percentile: percentile)
            if value.isNaN { return .nan }
            result = max(result, value)
        }
        return result
    }

    /// `SurfaceDistanceMetric`: the mean prediction → reference distance, or with `symmetric` the mean of both
    /// directions pooled. NaN when there is no distance.
    public static func averageSurfaceDistance(_ distances: SurfaceDistances, symmetric: Bool) -> Float {
        let monai = monaiDistances(distances)
        var pooled = monai.predictionToReference
        if symmetric { pooled += monai.referenceToPrediction }
        guard !pooled.isEmpty else { return .nan }
        let sum = pooled.reduce(0.0) { $0 + Double($1) }
        return Float(sum / Double(pooled.count))
    }

    /// `SurfaceDiceMetric`: the boundary within `threshold` of the other boundary (both directions) over the
    /// whole boundary. Counts edge voxels, or with `useSubvoxels` sums surfel areas (pass surfel distances).
    /// NaN when neither mask has the label.
    public static func surfaceDice(_ distances: SurfaceDistances, threshold: Double, useSubvoxels: Bool) -> Float {
        let tolerance = Float(threshold)
        var correct = 0.0
        var complete = 0.0
        for direction in [distances.predictionToReference, distances.referenceToPrediction] {
            for sample in direction.samples {
                let w = useSubvoxels ? Double(Float(sample.weight)) : 1
                complete += w
                if Float(sample.distance) <= tolerance { correct += w }
            }
        }
        guard complete > 0 else { return .nan }
        return Float(correct / complete)
    }

    /// Both directions as MONAI sees them: float32, and an empty source mask facing a non-empty one yields
    /// `+∞` per element of the non-empty one (`get_surface_distance` indexes its inf map with the other edges).
    private static func monaiDistances(
        _ distances: SurfaceDistances
    ) -> (predictionToReference: [Float], referenceToPrediction: [Float]) {
        let forward = distances.predictionToReference
        let backward = distances.referenceToPrediction
        func directed(_ from: DirectedDistances, _ other: DirectedDistances) -> [Float] {
            from.isEmpty
                ? [Float](repeating: .infinity, count: other.count) : from.samples.map { Float($0.distance) }
        }
        return (directed(forward, backward), directed(backward, forward))
    }

    private static func directedHausdorff(_ sorted: [Float], percentile: Double?) -> Float {
        guard let last = sorted.last else { return .nan }
        guard let percentile, percentile != 0 else { return last }
        precondition((0...100).contains(percentile), "percentile must be in 0...100")
        // torch.quantile, linear: rank = q·(n − 1) in float32, then torch's lerp between the neighbours.
        let rank = Float(percentile / 100) * Float(sorted.count - 1)
        let below = Int(rank.rounded(.down))
        let above = Int(rank.rounded(.up))
        let weight = rank - Float(below)
        let (start, end) = (sorted[below], sorted[above])
        return weight < 0.5 ? start + weight * (end - start) : end - (end - start) * (1 - weight)
    }
}

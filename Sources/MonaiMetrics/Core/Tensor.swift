/// A dense, row-major array of `Float` values (the last axis varies fastest) with a shape.
///
/// Metric and loss inputs are batch-first and channel-first, `[B, C, spatial…]` with at least one spatial axis,
/// exactly as MONAI expects them. Results use the same type with any rank: 0 for a scalar, `[N, C]` for a
/// metric buffer, and so on. Storage is Float32 because MONAI computes in float32; equality compares the
/// scalars with `==`, so a tensor holding NaN is not equal to itself.
public struct Tensor: Sendable, Equatable {
    /// The extent of every axis.
    public let shape: [Int]
    /// The values in row-major order; `scalars.count` is the product of ``shape``.
    public private(set) var scalars: [Float]

    /// A tensor with the given shape and row-major values.
    ///
    /// - Precondition: every extent is ≥ 0 and their product is `scalars.count`.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor extents must not be negative: \(shape)")
        precondition(
            shape.reduce(1, *) == scalars.count,
            "Tensor of shape \(shape) needs \(shape.reduce(1, *)) scalars, got \(scalars.count)"
        )
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor of the given shape with every value `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        self.init(shape: shape, scalars: Array(repeating: value, count: shape.reduce(1, *)))
    }

    /// A rank-0 tensor holding one value.
    public init(scalar: Float) {
        self.init(shape: [], scalars: [scalar])
    }

    /// The number of axes.
    public var rank: Int { shape.count }

    /// The value at a full multi-index (one index per axis).
    public subscript(_ index: Int...) -> Float {
        get { scalars[offset(of: index)] }
        set { scalars[offset(of: index)] = newValue }
    }

    private func offset(of index: [Int]) -> Int {
        precondition(index.count == shape.count, "Tensor of rank \(rank) indexed with \(index.count) indices")
        var offset = 0
        for (axis, i) in index.enumerated() {
            precondition(i >= 0 && i < shape[axis], "Index \(i) out of range for axis \(axis) of \(shape)")
            offset = offset * shape[axis] + i
        }
        return offset
    }
}

extension Tensor {
    /// Checks that `input` and `target` can be scored against each other: both `[B, C, spatial…]` with at
    /// least one spatial axis, the same batch size and the same spatial shape (the channel counts may differ).
    static func checkPair(_ input: Tensor, _ target: Tensor) throws(MonaiError) {
        guard input.rank >= 3, target.rank >= 3 else {
            throw .invalidInput(
                "inputs must be [B, C, spatial…] with at least one spatial axis, got \(input.shape) and "
                    + "\(target.shape)",
                path: nil
            )
        }
        guard input.shape[0] >= 1 else {
            throw .invalidInput("the batch is empty", path: nil)
        }
        guard input.shape[0] == target.shape[0] else {
            throw .invalidInput(
                "batch sizes differ: prediction \(input.shape[0]), reference \(target.shape[0])",
                path: nil
            )
        }
        let (inputSpatial, targetSpatial) = (Array(input.shape.dropFirst(2)), Array(target.shape.dropFirst(2)))
        guard inputSpatial == targetSpatial else {
            throw .spatialShapeMismatch(prediction: inputSpatial, reference: targetSpatial, path: nil)
        }
        guard input.shape[1] >= 1, target.shape[1] >= 1 else {
            throw .invalidInput("inputs need at least one channel", path: nil)
        }
    }
}

import NiftiIO

/// The calls MONAI's Dice-family losses share: the reduced loss of two tensors, and the loss before and after
/// the reduction for tensors or for a batch of NIfTI file pairs. ``DiceLoss`` and ``GeneralizedDiceLoss``
/// conform and supply only their loss formula.
///
/// The underscored requirements are public only because Swift lets a protocol extension declare public
/// methods over public requirements alone; they are not meant to be called.
public protocol OverlapLoss {
    /// How inputs become per-class sums (activations, one-hot, background) — opaque outside the module.
    var _inputs: LossInputs { get }
    /// The loss of a batch's sums, before and after the reduction.
    func _output(_ sums: BatchSums) throws(MonaiError) -> LossOutput
}

extension OverlapLoss {
    /// The loss of `[B, C, spatial…]` input against a target of the same B and spatial shape, reduced.
    public func callAsFunction(_ input: Tensor, _ target: Tensor) throws(MonaiError) -> Tensor {
        try evaluate(input, target).reduced
    }

    /// The loss of two tensors before and after the reduction.
    public func evaluate(_ input: Tensor, _ target: Tensor) throws(MonaiError) -> LossOutput {
        try _output(_inputs.sums(input: input, target: target))
    }

    /// The loss of a batch of NIfTI file pairs (item i is pair i), each streamed in bounded memory.
    ///
    /// - Throws: `NiftiError` for unreadable files, ``MonaiError`` for mismatched shapes or channels.
    public func evaluate(
        predictionPaths: [String], referencePaths: [String], slab: SlabSize? = nil
    ) throws -> LossOutput {
        try _output(_inputs.sums(predictionPaths: predictionPaths, referencePaths: referencePaths, slab: slab))
    }
}

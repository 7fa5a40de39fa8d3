/// How the voxels of one prediction and one reference become the per-class values p and g that
/// ``OverlapSums`` add up.
///
/// Each metric builds its plan from the two channel counts, following MONAI's rules for that metric, so the
/// in-memory and the streamed paths share both the rules and the kernels.
struct OverlapPlan: Sendable, Equatable {
    /// A per-voxel activation applied to the prediction channels before summing (losses only).
    enum Activation: Sendable, Equatable {
        case none
        /// 1 / (1 + e^−x) on every channel.
        case sigmoid
        /// e^(x_c − max) / Σ e^(x_k − max) across the channels of each voxel; needs ≥ 2 channels.
        case softmax
    }

    enum PredictionEncoding: Sendable, Equatable {
        /// p = channel c, after the activation.
        case channels(Activation)
        /// p = 1 where channel c is non-zero, else 0 (DiceMetric's binarisation of multi-channel input).
        case nonZero
        /// A one-channel label map: p = 1 where the value equals c exactly.
        case labelMap
    }

    enum ReferenceEncoding: Sendable, Equatable {
        /// g = channel c, used as a number.
        case channels
        /// A one-channel label map: g = 1 where the value equals c exactly.
        case labelMap
        /// MONAI's `one_hot`: labels are truncated toward zero and must lie in `0..<classCount`.
        case oneHot(classCount: Int)
    }

    var prediction: PredictionEncoding
    var reference: ReferenceEncoding
    /// The classes scored, in output order: channel indices, or label values for a label map.
    var classes: [Int]
    var predictionChannels: Int
    var referenceChannels: Int

    /// Checks that every scored class exists in the channels it is read from.
    ///
    /// - Throws: ``MonaiError/invalidInput(_:path:)`` naming the side that lacks a channel.
    func validated() throws(MonaiError) -> OverlapPlan {
        precondition(!classes.isEmpty && predictionChannels >= 1 && referenceChannels >= 1)
        let highest = classes.max() ?? 0
        if prediction != .labelMap && highest >= predictionChannels {
            throw .invalidInput(
                "class \(highest) is scored but the prediction has \(predictionChannels) channels",
                path: nil
            )
        }
        if reference == .channels && highest >= referenceChannels {
            throw .invalidInput(
                "class \(highest) is scored but the reference has \(referenceChannels) channels",
                path: nil
            )
        }
        if case .channels(.softmax) = prediction, predictionChannels < 2 {
            preconditionFailure("softmax over one channel is skipped by the plan builders")
        }
        return self
    }
}

extension OverlapPlan {
    /// The plan MONAI's losses, `MeanIoU` and `GeneralizedDiceScore` share: both sides are C channels of
    /// values used as numbers, after an optional activation and one-hot encoding of a label-map reference.
    ///
    /// Following MONAI, with a one-channel prediction `softmax`, `toOnehotY` and dropping the background are
    /// skipped (MONAI only warns), and the shapes must then be equal.
    ///
    /// - Parameters:
    ///   - activation: applied to the prediction; `softmax` is skipped for one channel.
    ///   - toOnehotY: one-hot encode a one-channel reference into the prediction's C classes.
    static func channelPair(
        predictionChannels: Int,
        referenceChannels: Int,
        includeBackground: Bool,
        toOnehotY: Bool,
        activation: Activation = .none
    ) throws(MonaiError) -> OverlapPlan {
        let c = predictionChannels
        let reference: ReferenceEncoding
        if toOnehotY && c > 1 {
            guard referenceChannels == 1 else {
                throw .invalidInput(
                    "to_onehot_y needs a one-channel label-map reference, got \(referenceChannels) channels",
                    path: nil
                )
            }
            reference = .oneHot(classCount: c)
        } else {
            guard referenceChannels == c else {
                throw .invalidInput(
                    "a \(referenceChannels)-channel reference does not match a \(c)-channel prediction"
                        + (referenceChannels == 1 ? " (one-hot encode a label map with to_onehot_y)" : ""),
                    path: nil
                )
            }
            reference = .channels
        }
        return OverlapPlan(
            prediction: .channels(activation == .softmax && c == 1 ? .none : activation),
            reference: reference,
            classes: Array((includeBackground || c == 1 ? 0 : 1)..<c),
            predictionChannels: c,
            referenceChannels: referenceChannels
        )
    }
}

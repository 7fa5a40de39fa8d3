import BoundaryMetrics

/// The boundary elements a pass found, with the label of each shared code.
public struct LabelBoundaries: Sendable {
    public let sets: BoundarySets
    let labelOfCode: [Int64?]

    /// The shared code of `label`, if either image holds it.
    func code(of label: Int64) -> UInt32? {
        labelOfCode.firstIndex(of: label).map(UInt32.init)
    }
}

/// The colours of a snapshot.
///
/// True positives, false positives and false negatives are three colours of Okabe and Ito's palette for colour
/// vision deficiencies: sky blue, vermillion and yellow differ in hue for normal vision and in lightness for the
/// red–green deficiencies (vermillion turns dark olive, yellow stays bright), so no two of them merge.
package enum SnapshotPalette {
    /// Both images have the structure.
    package static let truePositive = RGB(86, 180, 233)
    /// Only the prediction has it.
    package static let falsePositive = RGB(213, 94, 0)
    /// Only the reference has it.
    package static let falseNegative = RGB(240, 228, 66)
    /// Around and between the tiles.
    package static let sheet = RGB(grey: 32)
    /// A tile's voxels outside the structure, when no intensity image lies underneath.
    package static let empty = RGB(grey: 0)
    package static let text = RGB(grey: 235)
    /// The ring around coloured regions over an intensity image.
    package static let outline = RGB(grey: 0)
    /// Opacity (out of 256) of the class colours over an intensity image: the anatomy shows through.
    package static let overlayAlpha = 176
}

import DiceEngine
import NiftiIO

/// One tile of a snapshot: a structure's plane, its caption, and the intensity plane under it, if any.
package struct SnapshotTile: Sendable {
    package let plane: StructurePlane
    /// First caption line: the label and its name.
    package let title: String
    /// Second caption line: Dice and the slice.
    package let detail: String
    /// The intensity image's values on the same plane (``IntensityPlanes/planes``).
    package let intensity: [Float]?

    package init(plane: StructurePlane, title: String, detail: String, intensity: [Float]?) {
        self.plane = plane
        self.title = title
        self.detail = detail
        self.intensity = intensity
    }
}

/// Lays tiles out on one picture: up to three per row, each a caption over the plane drawn at its true aspect
/// ratio (``TileGeometry``), then a legend of the colours and the orientation.
///
/// Layout, in pixels: a ``margin`` around everything and between cells; a cell is as wide as the widest tile (at
/// least ``minimumCellWidth``), its caption ``captionHeight`` tall in a 2× font, the plane centred beneath it.
package struct SnapshotSheet: Sendable {
    static let margin = 8
    static let columns = 3
    static let minimumCellWidth = 240
    /// Caption glyphs are drawn at twice the font's size: 10×14 pixels, 12 apart, lines 18 apart.
    static let captionScale = 2
    static let captionHeight = 4 + 2 * lineHeight(scale: captionScale)
    /// The legend uses the font at its own size.
    static let legendHeight = 4 + 2 * lineHeight(scale: 1)

    package let tiles: [SnapshotTile]
    package let axis: SliceAxis
    /// The intensity window (black, white), when tiles carry intensity planes.
    package let window: (low: Double, high: Double)?
    private let geometry: TileGeometry

    /// - Parameter header: the reference's header, whose spacing and affine place the voxels.
    package init(tiles: [SnapshotTile], axis: SliceAxis, header: NiftiHeader, window: (low: Double, high: Double)?) {
        self.tiles = tiles
        self.axis = axis
        self.window = window
        geometry = TileGeometry(header: header, axis: axis)
    }

    package func render() -> RGBImage {
        let m = Self.margin
        let cellWidth = max(geometry.width, Self.minimumCellWidth)
        let cellHeight = Self.captionHeight + geometry.height
        let columns = max(1, min(tiles.count, Self.columns))
        let rows = (tiles.count + columns - 1) / columns
        let orientation = orientationLine()
        let swatchesWidth = Self.legend.map { 11 + Self.textWidth($0.1.count, scale: 1) + 12 }.reduce(0, +)
        let legendWidth = max(swatchesWidth, Self.textWidth(orientation.count, scale: 1))
        let width = max(m + columns * (cellWidth + m), 2 * m + legendWidth)
        let height = m + rows * (cellHeight + m) + Self.legendHeight + m
        var image = RGBImage(width: width, height: height, fill: SnapshotPalette.sheet)
        for (n, tile) in tiles.enumerated() {
            let x = m + (n % columns) * (cellWidth + m)
            let y = m + (n / columns) * (cellHeight + m)
            let characters = (cellWidth - 4) / Self.advance(scale: Self.captionScale)
            Self.draw(Self.fitted(tile.title, characters), x: x + 2, y: y + 2, scale: Self.captionScale, on: &image)
            Self.draw(
                Self.fitted(tile.detail, characters), x: x + 2, y: y + 2 + Self.lineHeight(scale: Self.captionScale),
                scale: Self.captionScale, on: &image)
            draw(tile, x: x + (cellWidth - geometry.width) / 2, y: y + Self.captionHeight, on: &image)
        }
        let legendY = m + rows * (cellHeight + m)
        var x = m
        for (colour, text) in Self.legend {
            image.fill(x: x, y: legendY + 2, width: 8, height: 8, colour: colour)
            Self.draw(text, x: x + 11, y: legendY + 3, scale: 1, on: &image)
            x += 11 + Self.textWidth(text.count, scale: 1) + 12
        }
        Self.draw(orientation, x: m, y: legendY + 2 + Self.lineHeight(scale: 1), scale: 1, on: &image)
        return image
    }

    /// The plane of `tile` with its top-left pixel at (`x`, `y`).
    ///
    /// Over an intensity image, the pixels just outside a coloured region are drawn black: a one-pixel ring that
    /// keeps yellow on bright tissue, and a structure of one voxel, visible.
    private func draw(_ tile: SnapshotTile, x: Int, y: Int, on image: inout RGBImage) {
        let plane = tile.plane
        precondition(plane.width == geometry.voxels.across && plane.height == geometry.voxels.up)
        let (width, height) = (geometry.width, geometry.height)
        func isColoured(_ column: Int, _ row: Int) -> Bool {
            column >= 0 && column < width && row >= 0 && row < height
                && plane.classes[geometry.voxel(column: column, row: row)] != VoxelClass.none.rawValue
        }
        for row in 0..<height {
            for column in 0..<width {
                let voxel = geometry.voxel(column: column, row: row)
                var below = SnapshotPalette.empty
                if let intensity = tile.intensity { below = grey(intensity[voxel]) }
                let colour: RGB
                switch VoxelClass(rawValue: plane.classes[voxel]) ?? .none {
                case .none:
                    let ring =
                        tile.intensity != nil
                        && (isColoured(column - 1, row) || isColoured(column + 1, row) || isColoured(column, row - 1)
                            || isColoured(column, row + 1))
                    colour = ring ? SnapshotPalette.outline : below
                case .truePositive: colour = overlay(SnapshotPalette.truePositive, on: below, tile)
                case .falsePositive: colour = overlay(SnapshotPalette.falsePositive, on: below, tile)
                case .falseNegative: colour = overlay(SnapshotPalette.falseNegative, on: below, tile)
                }
                image[x + column, y + row] = colour
            }
        }
    }

    private func overlay(_ colour: RGB, on below: RGB, _ tile: SnapshotTile) -> RGB {
        tile.intensity == nil ? colour : colour.over(below, alpha: SnapshotPalette.overlayAlpha)
    }

    /// The grey of an intensity: black at the window's low end, white at its high end; NaN is black.
    func grey(_ value: Float) -> RGB {
        guard let (low, high) = window, value.isFinite else { return RGB(grey: 0) }
        let v = Double(value)
        guard high > low else { return RGB(grey: v < low ? 0 : v > high ? 255 : 128) }
        let fraction = min(1, max(0, (v - low) / (high - low)))
        return RGB(grey: UInt8((fraction * 255).rounded()))
    }

    /// The legend's first line: a swatch and a word for each class.
    private static let legend = [
        (SnapshotPalette.truePositive, "TP both"), (SnapshotPalette.falsePositive, "FP prediction only"),
        (SnapshotPalette.falseNegative, "FN reference only"),
    ]

    /// The legend's second line: how the slices are cut and oriented.
    private func orientationLine() -> String {
        let view: String
        switch axis {
        case .axial: view = "patient left on the right, anterior up"
        case .coronal: view = "patient left on the right, superior up"
        case .sagittal: view = "anterior on the left, superior up"
        }
        return "\(axis.rawValue) slices (\(axis.indexName) index), voxel planes; \(view)"
    }

    // MARK: - Text

    static func advance(scale: Int) -> Int { (BitmapFont.glyphWidth + 1) * scale }
    static func lineHeight(scale: Int) -> Int { (BitmapFont.glyphHeight + 2) * scale }
    static func textWidth(_ characters: Int, scale: Int) -> Int { characters * advance(scale: scale) }

    /// `text` cut to `characters`, ending in `..` when cut.
    static func fitted(_ text: String, _ characters: Int) -> String {
        guard text.count > characters else { return text }
        return String(text.prefix(max(0, characters - 2))) + ".."
    }

    /// Draws `text` in the bitmap font with its top-left at (`x`, `y`); anything but printable ASCII as `?`.
    static func draw(_ text: String, x: Int, y: Int, scale: Int, on image: inout RGBImage) {
        for (n, character) in text.enumerated() {
            let code = BitmapFont.code(of: character)
            let left = x + n * advance(scale: scale)
            for row in 0..<BitmapFont.glyphHeight {
                for column in 0..<BitmapFont.glyphWidth where BitmapFont.isInk(code: code, column: column, row: row) {
                    image.fill(
                        x: left + column * scale, y: y + row * scale, width: scale, height: scale,
                        colour: SnapshotPalette.text)
                }
            }
        }
    }
}

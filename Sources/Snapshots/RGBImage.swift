/// An 8-bit RGB picture in memory, row by row from the top: what a snapshot is drawn into before encoding.
package struct RGBImage: Sendable, Equatable {
    package let width: Int
    package let height: Int
    /// `3 × width × height` bytes: red, green, blue of each pixel.
    package private(set) var pixels: [UInt8]

    package init(width: Int, height: Int, fill colour: RGB) {
        precondition(width > 0 && height > 0, "an image has pixels")
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: 3 * width * height)
        fill(x: 0, y: 0, width: width, height: height, colour: colour)
    }

    package subscript(x: Int, y: Int) -> RGB {
        get {
            let i = 3 * (y * width + x)
            return RGB(pixels[i], pixels[i + 1], pixels[i + 2])
        }
        set {
            let i = 3 * (y * width + x)
            pixels[i] = newValue.red
            pixels[i + 1] = newValue.green
            pixels[i + 2] = newValue.blue
        }
    }

    /// Paints a rectangle, clipped to the image.
    package mutating func fill(x: Int, y: Int, width w: Int, height h: Int, colour: RGB) {
        for row in max(0, y)..<min(height, y + h) {
            for column in max(0, x)..<min(width, x + w) { self[column, row] = colour }
        }
    }
}

/// A colour of 8-bit channels.
package struct RGB: Sendable, Equatable, CustomStringConvertible {
    package let red: UInt8
    package let green: UInt8
    package let blue: UInt8

    package init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A grey level.
    package init(grey: UInt8) { self.init(grey, grey, grey) }

    /// `self` laid over `below` with opacity `alpha`/256, in integers so every platform gets the same bytes.
    func over(_ below: RGB, alpha: Int) -> RGB {
        func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Int(a) * alpha + Int(b) * (256 - alpha)) / 256) }
        return RGB(mix(red, below.red), mix(green, below.green), mix(blue, below.blue))
    }

    package var description: String { "(\(red), \(green), \(blue))" }
}

import Testing

@testable import BoundaryMetrics

/// The packed list against the points appended to it, across chunk and slice boundaries.
struct PackedPointListTests {
    @Test func unpacksWhatWasAppendedAcrossChunksAndSlices() {
        // 9,000 points (two full chunks and part of a third) over slices with gaps; x and y use all 16 bits.
        var points: [BoundaryPoint] = []
        var z: UInt16 = 1
        for i in 0..<9_000 {
            if i % 1_234 == 0 { z += UInt16(i % 3 + 1) }
            let x = UInt16(truncatingIfNeeded: i &* 40_503)
            let y = UInt16(truncatingIfNeeded: 65_535 - i)
            points.append(BoundaryPoint(x: x, y: y, z: z, code: UInt8(truncatingIfNeeded: i)))
        }
        var list = PackedPointList()
        #expect(list.isEmpty && list.unpacked().isEmpty)
        for point in points { list.append(point) }
        #expect(list.count == points.count)
        #expect(list.unpacked() == points)
        // A copy reads the same chunks.
        let copy = list
        #expect(copy.unpacked() == points)
    }

    @Test func aListOfExactlyOneChunk() {
        let points = (0..<4_096).map { BoundaryPoint(x: UInt16($0), y: 7, z: 3, code: 0x81) }
        var list = PackedPointList()
        for point in points { list.append(point) }
        #expect(list.unpacked() == points)
    }
}

import CPlatform
import TestSupport
import Testing

/// The run-counting kernels for byte codes (`segscore_count_byte_pairs`, `segscore_count_bytes`), both the AVX2
/// and the word loop on every machine, against counting one voxel at a time: long runs, runs broken at every
/// offset inside a 32- and an 8-voxel step, scattered noise, runs of one image only, and every length around the
/// step sizes (the tails).
@Suite struct ByteRunCountTests {
    /// A pair: runs of 1…`longest` voxels; the prediction changes where the reference does, shifted a little, plus
    /// scattered errors (one in `noise`, none with 0).
    static func pair(count: Int, longest: Int, noise: Int, seed: UInt64) -> (prediction: [UInt8], reference: [UInt8]) {
        var rng = SplitMix64(seed: seed)
        var reference: [UInt8] = []
        while reference.count < count {
            let label = UInt8.random(in: 0...255, using: &rng)
            reference += repeatElement(label, count: Int.random(in: 1...longest, using: &rng))
        }
        reference.removeLast(reference.count - count)
        var prediction = reference
        var i = 0
        while i < count {
            let shift = Int.random(in: -3...3, using: &rng)
            let length = Int.random(in: 1...longest, using: &rng)
            for k in i..<min(count, i + length) where k + shift >= 0 && k + shift < count {
                prediction[k] = reference[k + shift]
            }
            i += length
        }
        if noise > 0 {
            for k in 0..<count where Int.random(in: 0..<noise, using: &rng) == 0 {
                prediction[k] = UInt8.random(in: 0...255, using: &rng)
            }
        }
        return (prediction, reference)
    }

    static func naivePairs(_ p: [UInt8], _ r: [UInt8], shift: Int) -> [UInt64] {
        var table = [UInt64](repeating: 0, count: 256 << shift)
        for k in p.indices { table[Int(p[k]) << shift | Int(r[k])] += 1 }
        return table
    }

    static func kernelPairs(_ p: [UInt8], _ r: [UInt8], shift: Int, portable: Bool) -> [UInt64] {
        var table = [UInt64](repeating: 0, count: 256 << shift)
        table.withUnsafeMutableBufferPointer { t in
            segscore_count_byte_pairs(p, r, p.count, t.baseAddress, Int32(shift), portable ? 1 : 0)
        }
        return table
    }

    @Test(arguments: [false, true])
    func pairsEqualCountingEveryVoxel(portable: Bool) {
        var failures: [String] = []
        var seed: UInt64 = 1
        // Long runs (the usual label map), short runs, noise, and every length 0…80 around the step sizes.
        let shapes = [(100_000, 400, 0), (50_000, 9, 0), (40_000, 60, 7), (5_000, 1, 0)] + (0...80).map { ($0, 5, 0) }
        for (count, longest, noise) in shapes {
            seed += 1
            let (p, r) = Self.pair(count: count, longest: longest, noise: noise, seed: seed)
            for shift in [8, 9] {
                if Self.kernelPairs(p, r, shift: shift, portable: portable) != Self.naivePairs(p, r, shift: shift) {
                    failures.append("count \(count), runs ≤ \(longest), noise 1/\(noise), shift \(shift)")
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }

    /// One image changes where the other does not: the kernel must end the pair's run on either change.
    @Test(arguments: [false, true])
    func aChangeInEitherImageEndsTheRun(portable: Bool) {
        for at in [1, 7, 8, 9, 31, 32, 33, 63, 64, 65, 100] {
            let p = [UInt8](repeating: 3, count: 130)
            var r = [UInt8](repeating: 3, count: 130)
            r[at...] = ArraySlice(repeating: 4, count: 130 - at)
            let counted = Self.kernelPairs(p, r, shift: 8, portable: portable)
            #expect(counted[3 << 8 | 3] == UInt64(at) && counted[3 << 8 | 4] == UInt64(130 - at), "change at \(at)")
            let swapped = Self.kernelPairs(r, p, shift: 8, portable: portable)
            #expect(swapped[3 << 8 | 3] == UInt64(at) && swapped[4 << 8 | 3] == UInt64(130 - at), "change at \(at)")
        }
    }

    @Test(arguments: [false, true])
    func singleImageEqualsCountingEveryVoxel(portable: Bool) {
        for (count, longest) in [(100_000, 300), (20_000, 3)] + (0...70).map({ ($0, 4) }) {
            let (codes, _) = Self.pair(count: count, longest: longest, noise: 11, seed: UInt64(count * 31 + longest))
            var naive = [UInt64](repeating: 0, count: 256)
            for code in codes { naive[Int(code)] += 1 }
            var table = [UInt64](repeating: 0, count: 256)
            table.withUnsafeMutableBufferPointer {
                segscore_count_bytes(codes, codes.count, $0.baseAddress, portable ? 1 : 0)
            }
            #expect(table.indices.allSatisfy { table[$0] == naive[$0] }, "count \(count), runs ≤ \(longest)")
        }
    }

    /// The kernels add to what the table holds (one call per slab).
    @Test func countsAccumulateAcrossCalls() {
        let (p, r) = Self.pair(count: 3_000, longest: 50, noise: 0, seed: 99)
        var table = [UInt64](repeating: 0, count: 1 << 16)
        table.withUnsafeMutableBufferPointer { t in
            segscore_count_byte_pairs(p, r, 1_234, t.baseAddress, 8, 0)
            segscore_count_byte_pairs(Array(p[1_234...]), Array(r[1_234...]), 3_000 - 1_234, t.baseAddress, 8, 0)
        }
        #expect(table == Self.naivePairs(p, r, shift: 8))
    }
}

/// Sorts distance samples by distance, ties by weight, in time linear in their number when few values repeat
/// many times, as boundary samples do: most distances are one of a few lattice distances (0 and one voxel step
/// above all) and every weight is one of the few surfel areas.
///
/// Counts each distinct (distance, weight) in a hash table, sorts only the distinct values, and writes each as
/// often as it occurred. Equal samples are equal bit for bit (distances are square roots of non-negative
/// costs, never −0), so the result is the one a comparison sort gives.
enum RepeatedSampleSort {
    /// The samples `sample(0) ..< sample(count)`, sorted. Taking them one by one rather than as an array
    /// spares each direction of a label an unsorted 16-byte-per-element copy (and its page faults).
    static func sorted(count: Int, _ sample: (Int) -> DistanceSample) -> [DistanceSample] {
        var result: [DistanceSample] = []
        result.reserveCapacity(count)
        for run in runs(count: count, sample) {
            result.append(contentsOf: repeatElement(run.sample, count: run.count))
        }
        return result
    }

    /// The distinct samples among `sample(0) ..< sample(count)`, sorted, each with how often it occurred: the
    /// sorted samples as runs of equal ones, not yet written out.
    static func runs(count: Int, _ sample: (Int) -> DistanceSample) -> [SampleRun] {
        var table = SampleCounts(capacity: 256)
        for i in 0..<count { table.add(sample(i)) }
        return table.sortedRuns
    }

    /// ``runs(count:_:)`` of the samples (`distance(i)`, `weight(code(i))`), weights given per byte code: what
    /// the `deepmind` statistics read (``AreaWeightedDistances``), with no sorted copy of the samples.
    ///
    /// Most boundary elements of a usable segmentation lie on both boundaries (distance 0): those are counted
    /// per code in a flat array, an increment instead of a hash lookup each, and enter the table once per code.
    static func runs(
        count: Int,
        distance: (Int) -> Double,
        code: (Int) -> UInt8,
        weight: (UInt8) -> Double
    ) -> [SampleRun] {
        var table = SampleCounts(capacity: 256)
        var zeros = [Int](repeating: 0, count: 256)
        zeros.withUnsafeMutableBufferPointer { zeros in
            for i in 0..<count {
                let d = distance(i)
                // Bit for bit 0 (distances are never −0): the sample of the code's weight at distance 0.
                if d.bitPattern == 0 {
                    zeros[Int(code(i))] += 1
                } else {
                    table.add(DistanceSample(distance: d, weight: weight(code(i))))
                }
            }
        }
        for code in 0..<256 where zeros[code] > 0 {
            table.add(DistanceSample(distance: 0, weight: weight(UInt8(code))), count: zeros[code])
        }
        return table.sortedRuns
    }
}

/// One value of a sorted sample list and how many times in a row it occurs there.
struct SampleRun: Sendable, Equatable {
    var sample: DistanceSample
    var count: Int
}

/// An open-addressing table from a sample's bits to how often it occurred, doubling when half full.
///
/// In raw memory (hence `~Copyable`, freed in `deinit`): every boundary element of a label passes through
/// ``add(_:)``, and an array's bounds and uniqueness checks per lookup cost about as much as the lookup.
private struct SampleCounts: ~Copyable {
    /// The distinct samples in order of first occurrence, and how often each occurred; room for one more than
    /// half the slots, which is when the table grows.
    private var samples: UnsafeMutablePointer<DistanceSample>
    private var counts: UnsafeMutablePointer<Int>
    private var distinctCount = 0
    /// Index into `samples` plus one; 0 marks a free slot. A power of two.
    private var slots: UnsafeMutablePointer<Int32>
    private var slotCount: Int

    init(capacity: Int) {
        slotCount = capacity
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
        samples = .allocate(capacity: capacity / 2 + 1)
        counts = .allocate(capacity: capacity / 2 + 1)
    }

    deinit {
        slots.deallocate()
        samples.deallocate()
        counts.deallocate()
    }

    /// The distinct samples with their counts, sorted by distance, ties by weight.
    var sortedRuns: [SampleRun] {
        var runs = (0..<distinctCount).map { SampleRun(sample: samples[$0], count: counts[$0]) }
        runs.sort { ($0.sample.distance, $0.sample.weight) < ($1.sample.distance, $1.sample.weight) }
        return runs
    }

    /// Counts `sample` `count` more times.
    mutating func add(_ sample: DistanceSample, count: Int = 1) {
        var slot = Self.hash(sample) & (slotCount - 1)
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { break }
            if samples[entry - 1].hasSameBits(as: sample) {
                counts[entry - 1] += count
                return
            }
            slot = (slot + 1) & (slotCount - 1)
        }
        (samples + distinctCount).initialize(to: sample)
        (counts + distinctCount).initialize(to: count)
        distinctCount += 1
        slots[slot] = Int32(distinctCount)
        if distinctCount * 2 > slotCount { grow() }
    }

    private mutating func grow() {
        slots.deallocate()
        slotCount *= 2
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: 0, count: slotCount)
        let (oldSamples, oldCounts) = (samples, counts)
        samples = .allocate(capacity: slotCount / 2 + 1)
        counts = .allocate(capacity: slotCount / 2 + 1)
        samples.moveInitialize(from: oldSamples, count: distinctCount)
        counts.moveInitialize(from: oldCounts, count: distinctCount)
        oldSamples.deallocate()
        oldCounts.deallocate()
        for index in 0..<distinctCount {
            var slot = Self.hash(samples[index]) & (slotCount - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (slotCount - 1) }
            slots[slot] = Int32(index + 1)
        }
    }

    /// A multiplicative mix of both bit patterns; the high bits go low so the mask sees all of them.
    @inline(__always)
    private static func hash(_ sample: DistanceSample) -> Int {
        let mixed =
            (sample.distance.bitPattern &* 0x9E37_79B9_7F4A_7C15) ^ (sample.weight.bitPattern &* 0xC2B2_AE3D_27D4_EB4F)
        return Int(truncatingIfNeeded: mixed ^ (mixed >> 29))
    }
}

extension DistanceSample {
    /// Equal bit for bit: the table's notion of one value.
    @inline(__always)
    fileprivate func hasSameBits(as other: DistanceSample) -> Bool {
        distance.bitPattern == other.distance.bitPattern && weight.bitPattern == other.weight.bitPattern
    }
}

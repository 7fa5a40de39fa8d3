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
        var table = SampleCounts(capacity: 256)
        for i in 0..<count { table.add(sample(i)) }
        var distinct = table.distinct
        distinct.sort { ($0.sample.distance, $0.sample.weight) < ($1.sample.distance, $1.sample.weight) }
        var result: [DistanceSample] = []
        result.reserveCapacity(count)
        for entry in distinct {
            result.append(contentsOf: repeatElement(entry.sample, count: entry.count))
        }
        return result
    }
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

    /// The distinct samples with their counts, in order of first occurrence.
    var distinct: [(sample: DistanceSample, count: Int)] {
        (0..<distinctCount).map { (samples[$0], counts[$0]) }
    }

    mutating func add(_ sample: DistanceSample) {
        var slot = Self.hash(sample) & (slotCount - 1)
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { break }
            if samples[entry - 1].hasSameBits(as: sample) {
                counts[entry - 1] += 1
                return
            }
            slot = (slot + 1) & (slotCount - 1)
        }
        (samples + distinctCount).initialize(to: sample)
        (counts + distinctCount).initialize(to: 1)
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

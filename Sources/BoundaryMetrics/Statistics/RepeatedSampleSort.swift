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
private struct SampleCounts {
    private(set) var distinct: [(sample: DistanceSample, count: Int)] = []
    /// Index into `distinct` plus one; 0 marks a free slot.
    private var slots: [Int32]
    private var mask: Int

    init(capacity: Int) {
        slots = [Int32](repeating: 0, count: capacity)
        mask = capacity - 1
    }

    mutating func add(_ sample: DistanceSample) {
        let key = (sample.distance.bitPattern, sample.weight.bitPattern)
        var slot = Self.hash(key) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { break }
            let found = distinct[entry - 1].sample
            if found.distance.bitPattern == key.0 && found.weight.bitPattern == key.1 {
                distinct[entry - 1].count += 1
                return
            }
            slot = (slot + 1) & mask
        }
        distinct.append((sample, 1))
        slots[slot] = Int32(distinct.count)
        if distinct.count * 2 > slots.count { grow() }
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        mask = slots.count - 1
        for (index, entry) in distinct.enumerated() {
            var slot = Self.hash((entry.sample.distance.bitPattern, entry.sample.weight.bitPattern)) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index + 1)
        }
    }

    /// A multiplicative mix of both bit patterns; the high bits go low so the mask sees all of them.
    private static func hash(_ key: (UInt64, UInt64)) -> Int {
        let mixed = (key.0 &* 0x9E37_79B9_7F4A_7C15) ^ (key.1 &* 0xC2B2_AE3D_27D4_EB4F)
        return Int(truncatingIfNeeded: mixed ^ (mixed >> 29))
    }
}

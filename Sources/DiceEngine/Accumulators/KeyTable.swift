/// Open-addressing hash map from a 64-bit key to a small value: stored label values to their codes, and code
/// pairs to voxel counts when there are too many labels for a dense table.
///
/// Linear probing with a multiplicative hash, grown at half load, so a lookup is a multiply and usually one
/// probe. The table owns raw memory and frees it in `deinit`; it is `~Copyable` because a copy would free it
/// twice.
struct KeyTable<Value: BitwiseCopyable>: ~Copyable {
    private var keys: UnsafeMutablePointer<UInt64>
    private var values: UnsafeMutablePointer<Value>
    private var occupied: UnsafeMutablePointer<Bool>
    private var capacity: Int
    /// Keys stored.
    private(set) var count = 0

    /// - Parameter capacity: initial slots, a power of two.
    init(capacity: Int = 1024) {
        precondition(capacity > 0 && capacity & (capacity - 1) == 0, "capacity is a power of two")
        self.capacity = capacity
        keys = .allocate(capacity: capacity)
        values = .allocate(capacity: capacity)
        occupied = .allocate(capacity: capacity)
        occupied.initialize(repeating: false, count: capacity)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
        occupied.deallocate()
    }

    /// The value stored for `key`, or `initial` after storing it (`inserted` tells which).
    @inline(__always)
    mutating func value(for key: UInt64, inserting initial: Value) -> (value: Value, inserted: Bool) {
        let slot = probe(key)
        if occupied[slot] { return (values[slot], false) }
        store(initial, for: key, at: slot)
        return (initial, true)
    }

    /// Calls `body` with every key and its value, in no particular order.
    func visit(_ body: (UInt64, Value) -> Void) {
        for slot in 0..<capacity where occupied[slot] {
            body(keys[slot], values[slot])
        }
    }

    /// The slot holding `key`, or the empty slot where it belongs.
    @inline(__always)
    private func probe(_ key: UInt64) -> Int {
        let mask = capacity - 1
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        while occupied[slot] && keys[slot] != key { slot = (slot + 1) & mask }
        return slot
    }

    private mutating func store(_ value: Value, for key: UInt64, at slot: Int) {
        keys[slot] = key
        values[slot] = value
        occupied[slot] = true
        count += 1
        if 2 * count > capacity { grow() }
    }

    private mutating func grow() {
        let (oldKeys, oldValues, oldOccupied, oldCapacity) = (keys, values, occupied, capacity)
        capacity *= 2
        keys = .allocate(capacity: capacity)
        values = .allocate(capacity: capacity)
        occupied = .allocate(capacity: capacity)
        occupied.initialize(repeating: false, count: capacity)
        for old in 0..<oldCapacity where oldOccupied[old] {
            let slot = probe(oldKeys[old])
            keys[slot] = oldKeys[old]
            values[slot] = oldValues[old]
            occupied[slot] = true
        }
        oldKeys.deallocate()
        oldValues.deallocate()
        oldOccupied.deallocate()
    }
}

extension KeyTable where Value == UInt64 {
    /// Adds `amount` to the count of `key` (starting from 0).
    @inline(__always)
    mutating func add(_ amount: UInt64, to key: UInt64) {
        let slot = probe(key)
        if occupied[slot] {
            values[slot] &+= amount
        } else {
            store(amount, for: key, at: slot)
        }
    }
}

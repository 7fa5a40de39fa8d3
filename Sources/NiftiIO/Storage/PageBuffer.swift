#if canImport(Glibc)
    import Glibc
#endif

/// A large scratch buffer in a mapping of its own, recycled through a small process-wide pool.
///
/// Slab buffers are megabytes, allocated on short-lived decoder threads and freed on others. Taken from `malloc`
/// they land in per-thread glibc arenas that keep freed pages resident: a 200-case cohort ran at 70 MiB with two
/// jobs against 18 MiB for one pair. Unmapping every buffer instead cost a page fault per 4 KiB on every case
/// (+60 % wall time), so a few freed mappings are kept for the next buffer of a similar size, and the rest go
/// back to the system.
final class PageBuffer {
    /// The buffer's bytes; their content is undefined until written.
    let bytes: UnsafeMutableRawBufferPointer
    /// The size of the mapping (at least `bytes.count`).
    private let mappedCount: Int

    /// A buffer of `byteCount` bytes: a recycled mapping of 1–2× that size, or a new one.
    ///
    /// The corresponding C function is `mmap(MAP_PRIVATE | MAP_ANONYMOUS)`; failure (no address space left)
    /// traps, as a failed allocation does in Swift.
    init(byteCount: Int) {
        let wanted = max(byteCount, 1)
        if let (address, size) = Self.pool.withLock({ Self.take(wanted, from: &$0) }) {
            bytes = UnsafeMutableRawBufferPointer(start: address, count: byteCount)
            mappedCount = size
            return
        }
        let address = mmap(nil, wanted, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let address, address != MAP_FAILED else {
            fatalError("mmap of \(wanted) bytes failed (errno \(errno))")
        }
        bytes = UnsafeMutableRawBufferPointer(start: address, count: byteCount)
        mappedCount = wanted
    }

    deinit {
        guard let address = bytes.baseAddress else { return }
        let kept = Self.pool.withLock { pool in
            guard pool.count < Self.poolLimit else { return false }
            pool.append(Mapping(address: address, size: mappedCount))
            return true
        }
        if !kept { munmap(address, mappedCount) }
    }

    /// Freed mappings kept for reuse: enough for the buffers of two pairs in flight.
    private static let poolLimit = 8

    /// `@unchecked Sendable`: a freed mapping in the pool belongs to no buffer until the lock hands it to one.
    private struct Mapping: @unchecked Sendable {
        let address: UnsafeMutableRawPointer
        let size: Int
    }

    private static let pool = Locked<[Mapping]>([])

    private static func take(_ size: Int, from pool: inout [Mapping]) -> (UnsafeMutableRawPointer, Int)? {
        guard let index = pool.firstIndex(where: { $0.size >= size && $0.size <= 2 * size }) else { return nil }
        let mapping = pool.remove(at: index)
        return (mapping.address, mapping.size)
    }
}

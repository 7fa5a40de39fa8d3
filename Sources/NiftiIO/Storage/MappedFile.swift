import CPlatform

#if canImport(Glibc)
    import Glibc
#endif

/// A read-only, private memory mapping of a whole file.
///
/// Mapping costs no memory up front; pages are read on first touch and stay resident (they count in RSS)
/// until released, so streaming readers call ``release(upTo:)`` behind themselves to keep memory bounded.
/// The mapping is shared by the readers of one file and unmapped when the last one lets go.
///
/// A file truncated by another process while mapped would raise SIGBUS on access and kill the process (and a
/// whole cohort with it); the mapping is registered with CPlatform's guard instead, which survives the fault on
/// a page of zeros, and readers check ``hasFaulted`` after each slab to report the file as changed.
///
/// `@unchecked Sendable`: every property is set once in `init`; the mapping is read-only and outlives every
/// reader, since each holds the file.
final class MappedFile: @unchecked Sendable {
    /// The file's path, for error messages.
    let path: String
    /// The file's size in bytes.
    let count: Int
    private let base: UnsafeRawPointer?
    /// The mapping's slot in CPlatform's SIGBUS guard (−1: unguarded).
    private let guardSlot: Int32

    /// Opens and maps `path`, refusing anything but a regular file.
    ///
    /// `O_NONBLOCK` keeps `open` from waiting forever for the writer of a FIFO; `fstat` then refuses FIFOs,
    /// devices and folders before a byte is read.
    ///
    /// The corresponding C functions are `open`, `fstat`, `mmap` and `madvise`.
    init(path: String) throws(NiftiError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            let error = errno
            var info = stat()
            if stat(path, &info) == 0, let kind = Self.kind(of: info.st_mode) {
                throw .notARegularFile(kind: kind, path: path)
            }
            throw .io(call: "open", errno: error, path: path)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io(call: "fstat", errno: errno, path: path) }
        if let kind = Self.kind(of: info.st_mode) { throw .notARegularFile(kind: kind, path: path) }
        let size = Int(info.st_size)
        var base: UnsafeRawPointer? = nil
        if size > 0 {
            let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
            guard let mapped, mapped != MAP_FAILED else { throw .io(call: "mmap", errno: errno, path: path) }
            _ = madvise(mapped, size, MADV_SEQUENTIAL)
            base = UnsafeRawPointer(mapped)
        }
        self.path = path
        self.count = size
        self.base = base
        self.guardSlot = base.map { segscore_guard_mapping($0, UInt(size)) } ?? -1
    }

    deinit {
        segscore_unguard_mapping(guardSlot)
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    /// Whether part of the file vanished while mapped: the bytes read since may be zeros, not the file's.
    var hasFaulted: Bool { segscore_mapping_faulted(guardSlot) != 0 }

    /// What a non-regular file is, in words; `nil` for a regular file.
    private static func kind(of mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: "a folder"
        case S_IFIFO: "a FIFO or pipe"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "not a file"
        }
    }

    /// The mapped bytes (empty for an empty file), valid while `self` is alive.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Drops the resident pages of bytes `[start, end)` so they no longer count in RSS, once at least
    /// ``releaseStep`` bytes have built up; a later access reads them from the file again, so releasing early is
    /// safe, merely slower.
    ///
    /// Releasing is batched because each call interrupts every other CPU running this process to flush its TLB
    /// (these interrupts show in `perf record` of a two-core cohort run); small files are never released at all.
    ///
    /// The corresponding C function is `madvise(MADV_DONTNEED)`.
    /// - Returns: the offset released up to, to pass as `start` next time.
    func release(from start: Int, upTo end: Int) -> Int {
        let alignedEnd = max(0, min(end, count)) / Self.pageSize * Self.pageSize
        guard let base, alignedEnd - start >= Self.releaseStep else { return start }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), alignedEnd - start, MADV_DONTNEED)
        return alignedEnd
    }

    /// Resident bytes a reader may leave behind it before releasing them.
    static let releaseStep = 2 << 20

    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
}

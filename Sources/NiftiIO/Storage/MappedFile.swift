#if canImport(Glibc)
import Glibc
#endif

/// A read-only, private memory mapping of a whole file.
///
/// Mapping costs no memory up front; pages are read on first touch and stay resident (they count in RSS)
/// until released, so streaming readers call ``release(upTo:)`` behind themselves to keep memory bounded.
/// The mapping is shared by the readers of one file and unmapped when the last one lets go.
///
/// A file truncated by another process while mapped raises SIGBUS on access; an evaluator reading its
/// inputs accepts that risk, as every mmap-based reader does.
public final class MappedFile: @unchecked Sendable {
    /// The file's path, for error messages.
    public let path: String
    /// The file's size in bytes.
    public let count: Int
    private let base: UnsafeRawPointer?

    /// Opens and maps `path`.
    ///
    /// The corresponding C functions are `open`, `fstat`, `mmap` and `madvise`.
    public init(path: String) throws(NiftiError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(call: "open", errno: errno, path: path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io(call: "fstat", errno: errno, path: path) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .io(call: "open", errno: EISDIR, path: path) }
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
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    /// The mapped bytes (empty for an empty file), valid while `self` is alive.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

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

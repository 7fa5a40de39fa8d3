/// An opened NIfTI image: its validated header and where its voxel bytes are.
///
/// Opening reads only the header (inflating its first bytes for `.nii.gz`); voxels are streamed later, slab by
/// slab, by a ``SlabStream``. Compression is recognised by the gzip magic bytes, never by the name — except that a
/// `.gz` name on bytes that are not gzip is refused, because it means the file is not what it claims. For a
/// `.hdr`/`.img` pair, either name may be given.
public final class NiftiFile: Sendable {
    /// The path the caller gave.
    public let path: String
    /// The path of the file holding the voxels (the `.img` of a pair, else ``path``).
    public let dataPath: String
    public let header: NiftiHeader
    /// Whether the header file is gzip-compressed.
    public let isHeaderCompressed: Bool
    /// Whether the voxel stream is gzip-compressed.
    public let isDataCompressed: Bool
    /// Offset of the first voxel in the (decompressed) data stream.
    let dataStart: Int
    let data: MappedFile
    /// The decompressor that inflated a `.nii.gz` header, standing just past it: the first stream continues
    /// from there instead of inflating the header again.
    private let headerInflater: Locked<GzipInflater?>

    /// Opens `path` and validates its header; for an uncompressed file also checks the voxel data have
    /// exactly the size the header promises.
    public init(path: String) throws(NiftiError) {
        let pair = Self.pairPaths(for: path)
        let headerFile = try MappedFile(path: pair?.header ?? path)
        let headerGzip = try Self.isGzip(headerFile)
        let header: NiftiHeader
        var inflated: GzipInflater? = nil
        if headerGzip {
            let inflater = try GzipInflater(input: headerFile.bytes, path: headerFile.path)
            header = try Self.inflateHeader(with: inflater, path: headerFile.path)
            inflated = inflater
        } else {
            header = try NiftiHeader(parsing: headerFile.bytes, path: headerFile.path)
        }

        let data: MappedFile
        if header.isPair {
            guard let imagePath = pair?.image ?? Self.imagePath(forHeader: headerFile.path) else {
                throw .missingImageFile(path: headerFile.path)
            }
            data = try MappedFile(path: imagePath)
        } else {
            data = headerFile
        }
        let dataGzip = header.isPair ? try Self.isGzip(data) : headerGzip
        if !dataGzip {
            let available = max(0, data.count - header.voxOffset)
            if available < header.dataByteCount {
                if header.voxOffset > data.count {
                    throw .invalidField(
                        name: "vox_offset", value: "\(header.voxOffset)",
                        reason: "past the end of the file (\(data.count) bytes)", path: data.path)
                }
                throw .truncatedData(expectedBytes: header.dataByteCount, actualBytes: available, path: data.path)
            }
            if available > header.dataByteCount {
                throw .trailingData(bytes: available - header.dataByteCount, exact: true, path: data.path)
            }
        }
        for file in [headerFile, data] where file.hasFaulted { throw .fileChanged(path: file.path) }
        self.path = path
        self.dataPath = data.path
        self.header = header
        self.isHeaderCompressed = headerGzip
        self.isDataCompressed = dataGzip
        self.dataStart = header.voxOffset
        self.data = data
        self.headerInflater = Locked(header.isPair ? nil : inflated)
    }

    /// Inflates exactly the header: 348 bytes, and 192 more when `sizeof_hdr` says NIfTI-2.
    private static func inflateHeader(with inflater: GzipInflater, path: String) throws(NiftiError) -> NiftiHeader {
        let prefix = UnsafeMutableRawBufferPointer.allocate(byteCount: NiftiHeader.nifti2Size, alignment: 8)
        defer { prefix.deallocate() }
        let first = NiftiHeader.nifti1Size
        var got = try inflater.read(into: UnsafeMutableRawBufferPointer(rebasing: prefix[0..<first]))
        if got == first {
            let size = prefix.loadUnaligned(as: Int32.self)
            if size == Int32(NiftiHeader.nifti2Size) || size == Int32(NiftiHeader.nifti2Size).byteSwapped {
                got += try inflater.read(into: UnsafeMutableRawBufferPointer(rebasing: prefix[first...]))
            }
        }
        return try NiftiHeader(parsing: UnsafeRawBufferPointer(rebasing: prefix[0..<got]), path: path)
    }

    /// One reader per range, for walking several parts of an image in lockstep (the channels of a 5D image).
    ///
    /// For a gzip file a single pass inflates up to each range's start and hands a copy of the decompressor to
    /// that range's reader, so C channel readers cost C − 1 channels of extra inflating rather than
    /// C·(C − 1)/2 if each started from the beginning. The first call continues where the header's inflating
    /// stopped; later calls start from the beginning of the stream.
    /// - Parameter ranges: voxel ranges in ascending order of their start.
    package func makeVoxelReaders(ranges: [Range<Int>]) throws(NiftiError) -> [VoxelReader] {
        guard isDataCompressed else {
            return ranges.map { VoxelReader(file: self, range: $0, inflater: nil) }
        }
        let bytesPerVoxel = header.dataType.bytesPerVoxel
        let (scout, headerEnd) = try dataInflater()
        var offset = headerEnd
        var readers: [VoxelReader] = []
        for range in ranges {
            let start = dataStart + range.lowerBound * bytesPerVoxel
            precondition(start >= offset, "ranges must be in ascending order")
            try VoxelReader.skip(start - offset, of: scout, file: self)
            offset = start
            // The scout inflates every byte before the last range on its way there, and verifies their checksums;
            // the copies, which read only bytes the scout has passed, need not verify them again.
            let inflater = readers.count == ranges.count - 1 ? scout : try scout.copy(verifyingChecksums: false)
            readers.append(VoxelReader(file: self, range: range, inflater: inflater))
        }
        return readers
    }

    /// A decompressor of the data stream and the decompressed offset it stands at: the first call continues where
    /// the header's inflating stopped; later calls start from the beginning of the stream.
    func dataInflater() throws(NiftiError) -> (inflater: GzipInflater, offset: Int) {
        if let continued = headerInflater.withLock({ $0.take() }) {
            return (continued, header.format == .nifti1 ? NiftiHeader.nifti1Size : NiftiHeader.nifti2Size)
        }
        return (try GzipInflater(input: data.bytes, path: data.path), 0)
    }

    /// Checks the voxel data are complete and intact without interpreting them.
    ///
    /// An uncompressed file's size was already checked when it was opened, so this costs nothing there; a gzip
    /// stream is inflated once to its end (every CRC and length checked), one chunk of memory at a time.
    public func verifyData(slab: SlabSize = .standard) throws(NiftiError) {
        guard isDataCompressed else { return }
        let stream = try makeSlabStream(size: slab)
        while try stream.next() != nil {}
    }

    private static func isGzip(_ file: MappedFile) throws(NiftiError) -> Bool {
        let bytes = file.bytes
        let magic = bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
        if !magic && file.path.lowercased().hasSuffix(".gz") {
            if bytes.isEmpty { throw .emptyFile(path: file.path) }
            throw .notGzip(path: file.path)
        }
        return magic
    }

    /// For a path naming either half of a `.hdr`/`.img` pair, both halves (the image only if it exists).
    private static func pairPaths(for path: String) -> (header: String, image: String?)? {
        let lower = path.lowercased()
        for suffix in [".img", ".img.gz"] where lower.hasSuffix(suffix) {
            let stem = String(path.dropLast(suffix.count))
            let upper = path.dropLast(suffix.count).last.map { $0.isUppercase } ?? false
            let candidates = [".hdr", ".hdr.gz", ".HDR", ".HDR.gz"].map { stem + $0 }
            let header = candidates.first(where: fileExists) ?? stem + (upper ? ".HDR" : ".hdr")
            return (header, path)
        }
        return nil
    }

    /// The `.img` (or `.img.gz`) beside a `.hdr`, matching its case.
    private static func imagePath(forHeader path: String) -> String? {
        let lower = path.lowercased()
        for suffix in [".hdr", ".hdr.gz"] where lower.hasSuffix(suffix) {
            let stem = String(path.dropLast(suffix.count))
            let isUpper = path.dropLast(suffix.count - 1).hasSuffix("HDR") || path.hasSuffix(".HDR")
            let names = isUpper ? [".IMG", ".IMG.gz", ".img", ".img.gz"] : [".img", ".img.gz", ".IMG", ".IMG.gz"]
            return names.map { stem + $0 }.first(where: fileExists)
        }
        return nil
    }

    private static func fileExists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }
}

#if canImport(Glibc)
    import Glibc
#endif

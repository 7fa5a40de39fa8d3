import Dispatch
import NiftiIO
import Synchronization

/// One slab of an image, as codes ready for counting.
struct CodedSlab {
    /// Voxels in the slab.
    let voxels: Int
    /// The codes: stored bytes (8-bit images) or runs of ``LabelCoder`` codes.
    let storage: Storage
    /// Codes handed out up to and including this slab (to size the histogram).
    let codeCount: Int

    enum Storage {
        /// One byte per voxel, each its own code.
        case bytes(UnsafePointer<UInt8>)
        /// Run k has code `codes[k]` and covers voxels up to `ends[k]` (exclusive) of the slab.
        case runs(RunList)
    }
}

/// Reads and encodes one image's slabs on its own thread, one slab ahead of the consumer.
///
/// Decoding (inflate, byte swapping, value → code lookup) is the expensive part of evaluating a pair, so each
/// image gets its own producer and the two run on both cores while the caller counts. The hand-off is two
/// semaphores over two slots: the producer may fill at most two slabs the consumer has not released, which is
/// exactly what ``VoxelReader``'s “valid until the call after next” chunks allow. Memory: two slabs per image.
///
/// Without `concurrent` the same slabs are produced on the caller's thread when it asks for them: the better
/// choice on one core, and in a cohort, whose parallelism comes from scoring several pairs at once.
final class SlabProducer: @unchecked Sendable {
    let file: NiftiFile
    let coder: LabelCoder
    private let reader: VoxelReader
    private let voxelsPerSlab: Int
    private var runBuffers: [RunBuffer] = []
    private var slots: [Result<CodedSlab?, NiftiError>] = [.success(nil), .success(nil)]
    private let free = DispatchSemaphore(value: 2)
    private let ready = DispatchSemaphore(value: 0)
    private let finished = DispatchGroup()
    private let cancelled = Atomic<Bool>(false)
    private var consumed = 0
    private let concurrent: Bool

    init(file: NiftiFile, format: VoxelFormat, voxelsPerSlab: Int, concurrent: Bool) throws(NiftiError) {
        self.file = file
        self.concurrent = concurrent
        self.coder = LabelCoder(format: format)
        self.reader = try file.makeVoxelReader()
        self.voxelsPerSlab = voxelsPerSlab
        if !coder.usesByteCodes {
            // Room for one run per 64 voxels to begin with; a slab with more runs grows its buffer.
            let initial = min(voxelsPerSlab, file.header.voxelCount) / 64
            runBuffers = [RunBuffer(capacity: initial), RunBuffer(capacity: initial)]
        }
    }

    /// Starts producing on a thread of its own.
    ///
    /// A serial queue targets Dispatch's overcommitting root queue, which always gets a thread; the global
    /// concurrent queue is only as wide as the machine, and producers that block waiting for their consumer
    /// could fill it while the producers those consumers wait for sit queued (several pairs in a cohort).
    func start() {
        guard concurrent else { return }
        finished.enter()
        DispatchQueue(label: "segscore.slab-producer").async { [self] in
            produce()
            finished.leave()
        }
    }

    /// The next slab (`nil` at the end); the caller must ``release()`` it before asking for the one after next.
    func next() throws(NiftiError) -> CodedSlab? {
        defer { consumed += 1 }
        guard concurrent else { return try produceSlab(into: consumed & 1) }
        ready.wait()
        return try slots[consumed & 1].get()
    }

    /// Hands the oldest slab's memory back to the producer.
    func release() {
        if concurrent { free.signal() }
    }

    /// Stops the producer (if still running) and waits until it no longer touches shared state.
    func stop() {
        guard concurrent else { return }
        cancelled.store(true, ordering: .relaxed)
        free.signal()
        free.signal()
        finished.wait()
    }

    private func produce() {
        var index = 0
        while true {
            free.wait()
            if cancelled.load(ordering: .relaxed) { return }
            let slot = index & 1
            do throws(NiftiError) {
                let slab = try produceSlab(into: slot)
                slots[slot] = .success(slab)
                ready.signal()
                if slab == nil { return }
            } catch {
                slots[slot] = .failure(error)
                ready.signal()
                return
            }
            index += 1
        }
    }

    /// Reads the next slab and encodes it into buffer `slot`; `nil` at the end of the image.
    private func produceSlab(into slot: Int) throws(NiftiError) -> CodedSlab? {
        let bytesPerVoxel = file.header.dataType.bytesPerVoxel
        guard let chunk = try reader.next(maxBytes: voxelsPerSlab * bytesPerVoxel) else { return nil }
        let storage: CodedSlab.Storage
        if coder.usesByteCodes {
            storage = .bytes(chunk.baseAddress!.assumingMemoryBound(to: UInt8.self))
        } else {
            let runs = runBuffers[slot]
            let count = try coder.encodeRuns(chunk, into: runs, path: file.path)
            storage = .runs(RunList(codes: runs.codes, ends: runs.ends, count: count))
        }
        return CodedSlab(voxels: chunk.count / bytesPerVoxel, storage: storage, codeCount: coder.codeCount)
    }
}

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
    /// The stored values of the codes first handed out in this slab (codes `codeCount - count ..< codeCount`),
    /// so a consumer on another thread can learn new labels without touching the producer's coder.
    let newRawValues: [UInt64]

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
/// exactly what ``SlabStream``'s “valid until the call after next” slabs allow. Memory: two slabs per image.
///
/// Without `concurrent` the same slabs are produced on the caller's thread when it asks for them: the better
/// choice on one core, and in a cohort, whose parallelism comes from scoring several pairs at once.
///
/// `@unchecked Sendable`: the producer thread and the consumer touch the stream, coder, run buffers and slots
/// only in turns ordered by the two semaphores (slot k is written before `ready` is signalled and read after it
/// is waited for; it is refilled only after `free` says the consumer released it).
final class SlabProducer: @unchecked Sendable {
    let file: NiftiFile
    let coder: LabelCoder
    private let stream: SlabStream
    private let runBuffers: [RunBuffer]
    /// Two slots in raw memory rather than an Array: each thread writes one element while the other reads the
    /// other, which an Array's shared buffer would make a data race.
    private let slots: UnsafeMutablePointer<Result<CodedSlab?, EvaluationError>>
    /// Starts at 0 and is signalled twice in `init`: libdispatch traps when a semaphore is freed below its
    /// initial value, which an error or `stop()` with slabs still out would otherwise cause.
    private let free = DispatchSemaphore(value: 0)
    private let ready = DispatchSemaphore(value: 0)
    private let finished = DispatchGroup()
    private let cancelled = Atomic<Bool>(false)
    private var consumed = 0
    /// Codes whose stored values earlier slabs already handed over (producer side).
    private var reportedCodes = 0
    private let concurrent: Bool

    init(file: NiftiFile, format: VoxelFormat, slab: SlabSize, concurrent: Bool) throws(NiftiError) {
        self.file = file
        self.concurrent = concurrent
        self.coder = LabelCoder(format: format)
        self.stream = try file.makeSlabStream(size: slab)
        if coder.usesByteCodes {
            runBuffers = []
        } else {
            // Room for one run per 64 voxels to begin with; a slab with more runs grows its buffer.
            let initial = min(stream.slicesPerSlab * stream.voxelsPerSlice, file.header.voxelCount) / 64
            runBuffers = [RunBuffer(capacity: initial), RunBuffer(capacity: initial)]
        }
        slots = .allocate(capacity: 2)
        slots.initialize(repeating: .success(nil), count: 2)
        free.signal()
        free.signal()
    }

    deinit {
        slots.deinitialize(count: 2)
        slots.deallocate()
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
    func next() throws(EvaluationError) -> CodedSlab? {
        defer { consumed += 1 }
        guard concurrent else { return try produceSlab(into: consumed & 1) }
        ready.wait()
        return try slots[consumed & 1].get()
    }

    /// The label value of every code, once the image has been read (see ``LabelCoder/labels(present:)``).
    ///
    /// Every code `present` accepts is decoded (or this throws); the others, which no count refers to, read 0.
    func labels(present: (Int) -> Bool) throws(EvaluationError) -> [Int64] {
        do {
            return try coder.labels(present: present).map { $0 ?? 0 }
        } catch {
            throw error.naming(file.path)
        }
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
            do throws(EvaluationError) {
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
    private func produceSlab(into slot: Int) throws(EvaluationError) -> CodedSlab? {
        let slab: Slab
        do {
            guard let next = try stream.next() else { return nil }
            slab = next
        } catch {
            throw .unreadable(error)
        }
        let storage: CodedSlab.Storage
        if coder.usesByteCodes {
            storage = .bytes(slab.bytes.bindMemory(to: UInt8.self).baseAddress.unsafelyUnwrapped)
        } else {
            let runs = runBuffers[slot]
            let count: Int
            do {
                count = try coder.encodeRuns(slab.bytes, into: runs)
            } catch {
                throw error.naming(file.path)
            }
            storage = .runs(RunList(codes: runs.codes, ends: runs.ends, count: count))
        }
        var newRawValues: [UInt64] = []
        if !coder.usesByteCodes && coder.codeCount > reportedCodes {
            newRawValues = Array(coder.rawValues[reportedCodes...])
            reportedCodes = coder.codeCount
        }
        return CodedSlab(
            voxels: slab.voxelCount, storage: storage, codeCount: coder.codeCount, newRawValues: newRawValues)
    }
}

extension SlabProducer {
    /// The next slab of each image of a pair, in lockstep; `nil` after the last. The caller checked that both
    /// hold as many voxels, so they end together.
    static func nextPair(
        _ prediction: SlabProducer, _ reference: SlabProducer
    ) throws(EvaluationError) -> (prediction: CodedSlab, reference: CodedSlab)? {
        let p = try prediction.next()
        let r = try reference.next()
        guard let p, let r else {
            precondition(p == nil && r == nil, "equal voxel counts end together")
            return nil
        }
        return (p, r)
    }
}

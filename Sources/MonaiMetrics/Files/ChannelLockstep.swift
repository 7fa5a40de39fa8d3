import NiftiIO

/// Reads one stream per channel in lockstep and accumulates each slab of all of them, on two threads that take
/// whichever job is ready: the next slab of a stream (inflate, decode into the accumulator's slab set), or
/// accumulating the next slab once every stream has delivered it.
///
/// Softmax mixes the channels of a voxel, so every channel's slab k must be in before slab k is summed. A fixed
/// split of the channels between the two threads left one waiting for the other at every slab and the sums
/// after both; here a stream goes to whichever worker is free, and slab k is summed from one slab set while the
/// streams fill the other with slab k + 1. Slabs are accumulated one after another, in order, so the sums are
/// added exactly as a single thread adds them: identical to the bit.
///
/// `@unchecked Sendable`: the board's fields are read and written only under `board`; a stream is used by one
/// worker at a time (the one that set its `busy` flag); a slab set is written by the streams' jobs only before
/// its slab is accumulated and after the slab two earlier was, both ordered by the board.
final class ChannelLockstep: @unchecked Sendable {
    private let streams: [SlabStream]
    /// Where stream i decodes a slab of set 0 or 1.
    private let destination: (_ stream: Int, _ set: Int) -> UnsafeMutablePointer<Float>
    private let decoders: [VoxelDecoder]
    private let accumulator: SlabAccumulator
    private let board = JobBoardLock()

    // The job board (under `board`).
    /// Slabs each stream has delivered.
    private var delivered: [Int]
    private var busy: [Bool]
    /// The stream's slab count, once it said it has no more.
    private var ends: [Int?]
    /// The slab each set holds, and its voxels.
    private var slabInSet = [-1, -1]
    private var voxels = [0, 0]
    private var accumulated = 0
    private var accumulating = false
    private var failure: (any Error)?

    /// - Parameters:
    ///   - prediction: one stream per prediction channel, decoded into ``SlabAccumulator/predictionSlab(_:set:)``.
    ///   - reference: one stream per reference channel, into ``SlabAccumulator/referenceSlab(_:set:)``.
    init(
        prediction: [SlabStream], predictionDecoder: VoxelDecoder, reference: [SlabStream],
        referenceDecoder: VoxelDecoder, accumulator: SlabAccumulator
    ) {
        streams = prediction + reference
        decoders =
            Array(repeating: predictionDecoder, count: prediction.count)
            + Array(repeating: referenceDecoder, count: reference.count)
        let predictionCount = prediction.count
        destination = { stream, set in
            stream < predictionCount
                ? accumulator.predictionSlab(stream, set: set)
                : accumulator.referenceSlab(stream - predictionCount, set: set)
        }
        self.accumulator = accumulator
        delivered = Array(repeating: 0, count: streams.count)
        busy = Array(repeating: false, count: streams.count)
        ends = Array(repeating: nil, count: streams.count)
    }

    /// Reads every stream to its end and accumulates every slab, on the calling thread and, with `concurrent`, a
    /// second one. Every stream is asked once more after its last slab, which checks that its file did not
    /// change meanwhile.
    ///
    /// - Throws: the first stream's `NiftiError` or the accumulator's ``MonaiError``.
    func run(concurrent: Bool) throws {
        let second =
            concurrent
            ? JobBoardLock.startSecondWorker(label: "segscore.channel-worker") { [self] in work(as: 1) } : nil
        work(as: 0)
        second?.wait()
        if let failure { throw failure }
    }

    private enum Job {
        case read(stream: Int)
        case accumulate(slab: Int)
        case finished
    }

    /// Takes jobs until every slab is accumulated or a job failed.
    private func work(as worker: Int) {
        board.lock()
        while true {
            switch nextJob(for: worker) {
            case .finished:
                board.broadcast()
                board.unlock()
                return
            case .read(let i):
                busy[i] = true
                let set = delivered[i] & 1
                board.unlock()
                let result: Result<Int?, NiftiError>
                do throws(NiftiError) {
                    if let slab = try streams[i].next() {
                        decoders[i].decode(slab.bytes, into: destination(i, set))
                        result = .success(slab.voxelCount)
                    } else {
                        result = .success(nil)
                    }
                } catch {
                    result = .failure(error)
                }
                board.lock()
                busy[i] = false
                switch result {
                case .success(let count?):
                    let k = delivered[i]
                    if slabInSet[set] != k {
                        slabInSet[set] = k
                        voxels[set] = count
                    }
                    // Streams over equal volumes deliver equal slabs; anything else would leave a worker waiting.
                    precondition(
                        voxels[set] == count && ends.allSatisfy { ($0 ?? k + 1) > k }, "channels end together")
                    delivered[i] += 1
                case .success(nil):
                    let end = delivered[i]
                    precondition(
                        delivered.allSatisfy { $0 <= end } && ends.allSatisfy { ($0 ?? end) == end },
                        "channels end together")
                    ends[i] = end
                case .failure(let error):
                    failure = failure ?? error
                }
                board.broadcast()
            case .accumulate(let k):
                accumulating = true
                let count = voxels[k & 1]
                board.unlock()
                var error: MonaiError?
                do throws(MonaiError) {
                    try accumulator.accumulate(count: count, set: k & 1)
                } catch let caught {
                    error = caught
                }
                board.lock()
                accumulating = false
                accumulated += 1
                if let error { failure = failure ?? error }
                board.broadcast()
            }
        }
    }

    /// The next job for `worker` (under `board`), waiting while none is ready: the next slab's sums first (the
    /// one chain that must run in order), then the stream furthest behind, a worker's own half of the streams
    /// before the other's (their decompressors stay in that core's cache).
    private func nextJob(for worker: Int) -> Job {
        while true {
            if failure != nil { return .finished }
            if !accumulating && delivered.allSatisfy({ $0 > accumulated }) {
                return .accumulate(slab: accumulated)
            }
            var pick: Int?
            for i in streams.indices where canRead(i) {
                guard let best = pick else {
                    pick = i
                    continue
                }
                let own = i % 2 == worker
                let bestOwn = best % 2 == worker
                if delivered[i] < delivered[best] || delivered[i] == delivered[best] && own && !bestOwn { pick = i }
            }
            if let pick { return .read(stream: pick) }
            if !accumulating, ends.allSatisfy({ $0 == accumulated }) { return .finished }
            board.wait()
        }
    }

    /// Whether stream `i` may read its next slab: nobody else is, it has more, and its slab set is free (the
    /// slab two before it has been summed).
    private func canRead(_ i: Int) -> Bool {
        !busy[i] && ends[i] == nil && delivered[i] <= accumulated + 1
    }
}

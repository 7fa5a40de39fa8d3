import NiftiIO

/// Counts a pair's slabs into a joint histogram on two threads that each take whichever job is ready: the next
/// slab of an image (inflate, decode), or counting a slab both images have produced.
///
/// The streams are the long serial chains (one decompressor per image), counting is the short part. Giving each
/// stream a thread and counting on a third (``SlabProducer``) left a core idle whenever the counting thread and
/// a producer woke each other on the same core, and beside a busy neighbour three threads took turns on one
/// core. Here two workers share the jobs, so either can inflate either image and count any slab: on two free
/// cores both stay busy, and with one core shared with another process the worker that gets more CPU simply
/// does more of the jobs. Each worker counts into its own histogram; the two are added at the end (plain sums:
/// the result never depends on who counted what).
///
/// A slab's memory is reused two slabs later (``SlabProducer`` in its serial mode), so slab `k + 2` of an image
/// is produced only after slab `k` has been counted.
///
/// `@unchecked Sendable`: the board's fields are read and written only under `board`; a producer is used by one
/// worker at a time (the one that set its `streaming` flag), and a slab's storage is read by the worker that
/// claimed it, after the producing worker published it under the mutex and before it may be overwritten.
final class PairPipeline: @unchecked Sendable {
    private let producers: [SlabProducer]
    private let board = JobBoardLock()

    // The job board (under `board`).
    /// The two most recent slabs of each image, in slot `k & 1`: `[image * 2 + slot]`.
    private var slabs: [CodedSlab?] = [nil, nil, nil, nil]
    /// Slabs produced per image.
    private var produced = [0, 0]
    /// Whether a worker is producing the image's next slab.
    private var streaming = [false, false]
    /// The image's slab count, once its producer said it has no more.
    private var ends: [Int?] = [nil, nil]
    /// The next slab to hand out for counting (slabs are claimed in order).
    private var claimed = 0
    /// The last slab counted in each slot (−2, −1 before any).
    private var lastCounted = [-2, -1]
    private var failure: EvaluationError?

    /// - Parameter producers: the prediction's and the reference's producers, in their serial mode.
    init(prediction: SlabProducer, reference: SlabProducer) {
        producers = [prediction, reference]
    }

    /// Counts every slab of the pair into `histogram`, on the calling thread and a second one.
    func run(into histogram: inout JointHistogram) throws(EvaluationError) {
        let helper = HistogramBox()
        let second = JobBoardLock.startSecondWorker(label: "segscore.pair-worker") { [self] in
            work(as: 1, into: &helper.histogram)
        }
        work(as: 0, into: &histogram)
        second.wait()
        if let failure { throw failure }
        histogram.add(helper.histogram)
    }

    private enum Job {
        case produce(image: Int)
        case count(slab: Int)
        case finished
    }

    /// Takes jobs until every slab is counted or a producer failed; `worker` is 0 or 1.
    private func work(as worker: Int, into histogram: inout JointHistogram) {
        board.lock()
        while true {
            switch nextJob(for: worker) {
            case .finished:
                board.broadcast()
                board.unlock()
                return
            case .produce(let image):
                streaming[image] = true
                board.unlock()
                let result: Result<CodedSlab?, EvaluationError>
                do throws(EvaluationError) {
                    result = .success(try producers[image].next())
                } catch {
                    result = .failure(error)
                }
                board.lock()
                streaming[image] = false
                switch result {
                // Equal voxel counts end together; anything else would leave a worker waiting for good.
                case .success(let slab?):
                    precondition(ends[1 - image].map { produced[image] < $0 } ?? true, "images end together")
                    slabs[image * 2 + (produced[image] & 1)] = slab
                    produced[image] += 1
                case .success(nil):
                    ends[image] = produced[image]
                    precondition(produced[1 - image] <= produced[image], "images end together")
                case .failure(let error):
                    failure = failure ?? error
                }
                board.broadcast()
            case .count(let k):
                let (p, r) = (slabs[k & 1].unsafelyUnwrapped, slabs[2 + (k & 1)].unsafelyUnwrapped)
                board.unlock()
                histogram.add(prediction: p, reference: r)
                board.lock()
                lastCounted[k & 1] = k
                board.broadcast()
            }
        }
    }

    /// The next job for `worker` (under `board`), waiting while none is ready: counting first, so slots come
    /// free, then the worker's own image (worker 0 the prediction, 1 the reference: its decompressor's state
    /// stays in that core's cache), then the other one.
    private func nextJob(for worker: Int) -> Job {
        while true {
            if failure != nil { return .finished }
            if claimed < min(produced[0], produced[1]) {
                claimed += 1
                return .count(slab: claimed - 1)
            }
            if canProduce(worker) { return .produce(image: worker) }
            if canProduce(1 - worker) { return .produce(image: 1 - worker) }
            if let end = ends[0], ends[1] != nil, claimed == end, lastCounted.allSatisfy({ $0 >= end - 2 }) {
                return .finished
            }
            board.wait()
        }
    }

    /// Whether a worker may produce the image's next slab: nobody else is, it has more, and its slot is free.
    private func canProduce(_ image: Int) -> Bool {
        let k = produced[image]
        return !streaming[image] && ends[image] == nil && (k < 2 || lastCounted[k & 1] == k - 2)
    }
}

/// The second worker's histogram, a class so the worker's closure can hold it (a `JointHistogram` is
/// `~Copyable`). Touched by that worker only, then read by the caller after joining it.
private final class HistogramBox: @unchecked Sendable {
    var histogram = JointHistogram()
}

extension JointHistogram {
    /// Counts one slab of both images, whatever their storage.
    mutating func add(prediction p: CodedSlab, reference r: CodedSlab) {
        reserve(predictionCodes: p.codeCount, referenceCodes: r.codeCount)
        switch (p.storage, r.storage) {
        case (.bytes(let pb), .bytes(let rb)):
            add(predictionBytes: pb, referenceBytes: rb, count: p.voxels)
        case (.runs(let pr), .runs(let rr)):
            add(predictionRuns: pr, referenceRuns: rr)
        case (.runs(let pr), .bytes(let rb)):
            add(runs: pr, bytes: rb, runsArePrediction: true)
        case (.bytes(let pb), .runs(let rr)):
            add(runs: rr, bytes: pb, runsArePrediction: false)
        }
    }
}

import Dispatch
import NiftiIO

/// A second thread that does one slab's share of reading at a time while the caller does the rest.
///
/// Inflating is nearly all the time of a `.nii.gz` of channel data, so ``SlabAccumulator``'s file path gives part
/// of it to this thread: the next slab of the one stream read in sequence, when the classes are summed one after
/// another. The caller starts a slab's job with ``request()``, does its own part, and takes
/// the job's result with ``collect()``.
///
/// `@unchecked Sendable`: the worker thread runs the job (touching whatever it captured) and writes `outcome` only
/// between a `requested` signal and the `delivered` signal that follows it, and the caller touches them only
/// outside that window, so the two semaphores order every access.
final class SlabWorker<Value>: @unchecked Sendable {
    private let job: () throws(NiftiError) -> Value
    private let requested = DispatchSemaphore(value: 0)
    private let delivered = DispatchSemaphore(value: 0)
    private let finished = DispatchGroup()
    private var outcome: Result<Value, NiftiError>?
    private var isStopping = false

    /// A worker running `job` once per request; its thread starts at once and waits.
    init(job: @escaping () throws(NiftiError) -> Value) {
        self.job = job
        finished.enter()
        // Its own serial queue: the work blocks on a semaphore, so it must not wait for a slot of the global
        // concurrent queue (the same reasoning as DiceEngine's slab producers).
        DispatchQueue(label: "segscore.slab-worker").async { [self] in
            serve()
            finished.leave()
        }
    }

    /// Runs the job once more on the worker thread.
    func request() {
        requested.signal()
    }

    /// Waits for the job asked for by the last ``request()`` and returns its result.
    func collect() throws(NiftiError) -> Value {
        delivered.wait()
        guard let outcome else { preconditionFailure("collect() without request()") }
        self.outcome = nil
        return try outcome.get()
    }

    /// Ends the worker thread (after the job in progress, if any); call once.
    func stop() {
        isStopping = true
        requested.signal()
        finished.wait()
    }

    private func serve() {
        while true {
            requested.wait()
            if isStopping { return }
            outcome = Result(catching: job)
            delivered.signal()
        }
    }
}

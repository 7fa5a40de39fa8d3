import Dispatch
import Synchronization

/// Runs a cohort's cases on a fixed number of worker threads.
///
/// Each worker takes the next unstarted case until none is left, so at most `jobs` cases are open at once and
/// peak memory is about `jobs` × one case's (every case is streamed). Workers are serial Dispatch queues rather
/// than global-queue blocks: a case blocks while its decoder threads work, and blocked global-queue workers
/// would starve those decoders, which run on the global queue.
package enum ParallelCases {
    /// Calls `body` once for each index in `0..<count` on `jobs` threads, and `tick` on the calling thread
    /// every quarter second until all are done.
    package static func run(count: Int, jobs: Int, tick: () -> Void, _ body: @escaping @Sendable (Int) -> Void) {
        let next = NextIndex()
        let group = DispatchGroup()
        for worker in 0..<min(jobs, count) {
            DispatchQueue(label: "segscore.cohort.worker\(worker)").async(group: group) {
                while case let index = next.take(), index < count {
                    body(index)
                }
            }
        }
        while group.wait(timeout: .now() + .milliseconds(250)) == .timedOut {
            tick()
        }
    }

    private final class NextIndex: Sendable {
        private let value = Atomic<Int>(0)

        func take() -> Int { value.add(1, ordering: .relaxed).oldValue }
    }
}

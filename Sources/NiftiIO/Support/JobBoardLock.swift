import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// A mutex with a condition, for the job boards of the two-thread pipelines (a pair's slabs in DiceEngine, the
/// channels of a probability map in MonaiMetrics): workers take jobs under the lock and wait on the condition
/// while none is ready.
///
/// A pthread mutex and condition rather than the standard library's `Mutex`, which has no condition and is not
/// seen by Thread Sanitizer (see ``Locked``).
///
/// `@unchecked Sendable`: the mutex and condition are made for use from several threads.
package final class JobBoardLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    package init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }

    package func lock() { pthread_mutex_lock(mutex) }

    package func unlock() { pthread_mutex_unlock(mutex) }

    /// Waits, the lock released meanwhile, until another thread calls ``broadcast()`` (or spuriously: callers
    /// check their condition again).
    package func wait() { pthread_cond_wait(changed, mutex) }

    /// Wakes every waiting thread; call with the lock held, after changing the board.
    package func broadcast() { pthread_cond_broadcast(changed) }

    /// Runs a pipeline's second worker on a thread of its own; wait on the group returned to join it.
    ///
    /// A serial queue targets Dispatch's overcommitting root queue, which always gets a thread: the worker blocks
    /// on the board, so it must not wait for a slot of the global concurrent queue.
    package static func startSecondWorker(label: String, _ work: @escaping @Sendable () -> Void) -> DispatchGroup {
        let done = DispatchGroup()
        done.enter()
        DispatchQueue(label: label).async {
            work()
            done.leave()
        }
        return done
    }
}

#if canImport(Glibc)
    import Glibc
#endif

/// A value behind a `pthread_mutex_t`, for the few places several threads share state: the page-buffer pool,
/// a file's header decompressor, a cohort's results and progress.
///
/// Not the standard library's `Mutex`: that one is compiled into the toolchain's Synchronization library
/// without Thread Sanitizer instrumentation, so every use of it showed up as a data race in TSan runs, hiding
/// any real one. A pthread mutex is seen by the sanitizer.
///
/// `@unchecked Sendable`: `value` is only read or written inside ``withLock(_:)``, under the mutex.
package final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    package init(_ value: Value) {
        self.value = value
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}

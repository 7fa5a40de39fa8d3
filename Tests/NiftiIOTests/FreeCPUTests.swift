import CPlatform
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `segscore_free_cpus` decides whether a pair gets a second thread: a thread that keeps a core busy must be
/// seen in every reading and taken off the count (when this process may use every online CPU), and the count
/// stays within 1…available whatever else runs.
@Suite struct FreeCPUTests {
    @Test func aBusyThreadTakesACore() {
        let available = Int(segscore_available_cpus())
        let online = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        #expect((1...available).contains(Int(segscore_free_cpus())))
        // With one CPU, or a subset of the machine's, there is no other core to take (the count is all of them).
        guard available > 1 && available == online else { return }
        let stop = Atomic<Bool>(false)
        let spinning = Atomic<Bool>(false)
        let spinner = Thread {
            spinning.store(true, ordering: .releasing)
            while !stop.load(ordering: .relaxed) {}
        }
        defer {
            stop.store(true, ordering: .relaxed)
            spinner.join()
        }
        while !spinning.load(ordering: .acquiring) { usleep(100) }
        usleep(5_000)
        #expect(Int(segscore_free_cpus()) <= available - 1)
    }
}

/// A joinable POSIX thread running `body`, for the test above.
private final class Thread: @unchecked Sendable {
    private var handle = pthread_t()
    private let body: @Sendable () -> Void

    init(_ body: @escaping @Sendable () -> Void) {
        self.body = body
        let context = Unmanaged.passRetained(self).toOpaque()
        pthread_create(
            &handle, nil,
            { context in
                guard let context else { return nil }
                let thread = Unmanaged<Thread>.fromOpaque(context).takeRetainedValue()
                thread.body()
                return nil
            }, context)
    }

    func join() { pthread_join(handle, nil) }
}

import Dispatch
import NiftiIO

/// Reads some channels' next slabs on a second thread while the caller reads the others.
///
/// Inflating is nearly all the time of a `.nii.gz` of channel data (each channel is its own gzip reader, see
/// ``SlabAccumulator/sums(prediction:reference:plan:slab:)``), and the channels of one slab are independent, so
/// splitting them between two threads halves the wait for every slab. The caller asks for a slab with
/// ``request()``, reads its own channels, and collects this thread's with ``collect()`` before computing.
///
/// `@unchecked Sendable`: the helper thread touches the streams, the destinations and `outcome` only between a
/// `requested` signal and the `delivered` signal that follows it, and the caller touches them only outside that
/// window, so the two semaphores order every access.
final class ChannelSlabHelper: @unchecked Sendable {
    private let streams: [SlabStream]
    private let destinations: [UnsafeMutablePointer<Float>]
    private let decoder: VoxelDecoder
    private let requested = DispatchSemaphore(value: 0)
    private let delivered = DispatchSemaphore(value: 0)
    private let finished = DispatchGroup()
    /// The voxel count of the slab read (`nil` once the streams ended), or the error that stopped them.
    private var outcome: Result<Int?, NiftiError> = .success(nil)
    private var isStopping = false

    /// A helper reading `streams[k]` into `destinations[k]` (each stream one channel of an image decoded by
    /// `decoder`); its thread starts at once and waits for requests.
    init(streams: [SlabStream], destinations: [UnsafeMutablePointer<Float>], decoder: VoxelDecoder) {
        precondition(!streams.isEmpty && streams.count == destinations.count)
        self.streams = streams
        self.destinations = destinations
        self.decoder = decoder
        finished.enter()
        // Its own serial queue: the work blocks on a semaphore, so it must not wait for a slot of the global
        // concurrent queue (the same reasoning as DiceEngine's slab producers).
        DispatchQueue(label: "segscore.channel-slabs").async { [self] in
            serve()
            finished.leave()
        }
    }

    /// Has the helper read the next slab of its channels.
    func request() {
        requested.signal()
    }

    /// Waits for the slab asked for by the last ``request()``: its voxel count, or `nil` at the end of the streams.
    func collect() throws(NiftiError) -> Int? {
        delivered.wait()
        return try outcome.get()
    }

    /// Ends the helper thread; call once, with no request outstanding.
    func stop() {
        isStopping = true
        requested.signal()
        finished.wait()
    }

    private func serve() {
        while true {
            requested.wait()
            if isStopping { return }
            outcome = Result { () throws(NiftiError) -> Int? in
                var count: Int? = nil
                for (stream, values) in zip(streams, destinations) {
                    guard let slab = try stream.next() else { return nil }
                    decoder.decode(slab.bytes, into: values)
                    count = slab.voxelCount
                }
                return count
            }
            delivered.signal()
        }
    }
}

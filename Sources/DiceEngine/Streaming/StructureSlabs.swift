/// The slabs the slice consumers (boundaries, lesions) see when the structures are not plain labels: the labels
/// with the ignored voxels cut out, and one binary slab per region.
///
/// The overlap counts leave out every voxel whose reference is the ignore label (``LabelConfusion/ignoringReference(_:)``);
/// surfaces and lesions must be measured on the same voxels, or a prediction would be charged for what it drew
/// where nobody annotated. So both images are set to background there: a structure is measured as its part
/// inside the annotated voxels, which is what its overlap counts describe. A region (nnU-Net's BraTS whole
/// tumour = labels 1, 2, 3) is a union of labels in both images; regions may nest, so each gets a slab of its
/// own, 1 inside and 0 outside, and consumers of its own.
///
/// The images' own slabs are never written: the joint histogram counts them after the consumers.
struct StructureSlabs: ~Copyable {
    private let regions: [Set<Int64>]
    private let ignoreLabel: Int64?
    /// Per region, code → 1 when the code's label is a member (codes learnt so far).
    private var membership: [[UInt8]]
    /// The shared code of the ignore label, once an image holds it.
    private var ignoreCode: UInt32?
    private var knownCodes = 0
    /// Labels with the ignored voxels cleared, 32 bits a voxel (byte slabs use the first quarter).
    private let maskedPrediction: UnsafeMutableRawPointer
    private let maskedReference: UnsafeMutableRawPointer
    /// Region `k`'s slabs: `regionSlabs[2k]` the prediction's, `regionSlabs[2k + 1]` the reference's.
    private let regionSlabs: [UnsafeMutableBufferPointer<UInt8>]

    /// - Parameters:
    ///   - regions: the label sets of the regions, in order.
    ///   - ignoreLabel: reference voxels with this label are background for every consumer.
    ///   - slabVoxels: the most voxels one slab holds.
    init(regions: [[Int64]], ignoreLabel: Int64?, slabVoxels: Int) {
        self.regions = regions.map(Set.init)
        self.ignoreLabel = ignoreLabel
        membership = regions.map { _ in [] }
        let maskedBytes = ignoreLabel == nil ? 0 : slabVoxels * MemoryLayout<UInt32>.size
        maskedPrediction = .allocate(byteCount: maskedBytes, alignment: 8)
        maskedReference = .allocate(byteCount: maskedBytes, alignment: 8)
        regionSlabs = (0..<(2 * regions.count)).map { _ in .allocate(capacity: slabVoxels) }
    }

    deinit {
        maskedPrediction.deallocate()
        maskedReference.deallocate()
        for slab in regionSlabs { slab.deallocate() }
    }

    var regionCount: Int { regions.count }

    /// Learns the labels of codes handed out since the last call (codes only ever grow).
    mutating func learn(from codes: borrowing SharedSlabCodes) {
        let codeCount = codes.codeCount
        guard codeCount > knownCodes else { return }
        for code in knownCodes..<codeCount {
            let label = codes.label(ofCode: code)
            for k in regions.indices { membership[k].append(label.map(regions[k].contains) == true ? 1 : 0) }
            if let label, label == ignoreLabel, ignoreCode == nil { ignoreCode = UInt32(code) }
        }
        knownCodes = codeCount
    }

    /// The labels of `slab` as the consumers must see them: `slab` itself while no image has shown the ignore
    /// label, else a copy with both images cleared wherever the reference holds it.
    func labels(_ slab: SharedSlice) -> SharedSlice {
        guard let ignored = ignoreCode else { return slab }
        switch slab {
        case .bytes(let p, let r):
            let code = UInt8(truncatingIfNeeded: ignored)
            return .bytes(
                prediction: maskedCopy(p, r, ignored: code, into: maskedPrediction),
                reference: maskedCopy(r, r, ignored: code, into: maskedReference))
        case .codes(let p, let r):
            return .codes(
                prediction: maskedCopy(p, r, ignored: ignored, into: maskedPrediction),
                reference: maskedCopy(r, r, ignored: ignored, into: maskedReference))
        }
    }

    /// Region `k` of `slab` (the same voxels): 1 where an image's label is a member and the reference's is not
    /// the ignore label, else 0.
    func region(_ k: Int, of slab: SharedSlice) -> (
        prediction: UnsafeBufferPointer<UInt8>, reference: UnsafeBufferPointer<UInt8>
    ) {
        switch slab {
        case .bytes(let p, let r): regionCopy(k, p, r)
        case .codes(let p, let r): regionCopy(k, p, r)
        }
    }

    /// `codes` with every voxel whose `reference` code is `ignored` set to 0.
    private func maskedCopy<T: FixedWidthInteger & UnsignedInteger>(
        _ codes: UnsafeBufferPointer<T>, _ reference: UnsafeBufferPointer<T>, ignored: T,
        into raw: UnsafeMutableRawPointer
    ) -> UnsafeBufferPointer<T> {
        let out = raw.bindMemory(to: T.self, capacity: codes.count)
        for i in 0..<codes.count { out[i] = reference[i] == ignored ? 0 : codes[i] }
        return UnsafeBufferPointer(start: out, count: codes.count)
    }

    private func regionCopy<T: FixedWidthInteger & UnsignedInteger>(
        _ k: Int, _ p: UnsafeBufferPointer<T>, _ r: UnsafeBufferPointer<T>
    ) -> (prediction: UnsafeBufferPointer<UInt8>, reference: UnsafeBufferPointer<UInt8>) {
        let (outP, outR) = (regionSlabs[2 * k], regionSlabs[2 * k + 1])
        let ignored = ignoreCode.flatMap(T.init(exactly:))
        membership[k].withUnsafeBufferPointer { member in
            if let ignored {
                for i in 0..<p.count {
                    let kept: UInt8 = r[i] == ignored ? 0 : 1
                    outP[i] = member[Int(p[i])] & kept
                    outR[i] = member[Int(r[i])] & kept
                }
            } else {
                for i in 0..<p.count {
                    outP[i] = member[Int(p[i])]
                    outR[i] = member[Int(r[i])]
                }
            }
        }
        return (UnsafeBufferPointer(rebasing: outP[..<p.count]), UnsafeBufferPointer(rebasing: outR[..<r.count]))
    }
}

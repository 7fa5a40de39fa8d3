import NiftiIO

extension Evaluator {
    /// For each of `structures` (a label as `[label]`, a region as its labels), the slice along `axis` where the
    /// two images disagree most about it (false positives plus false negatives), with every voxel of that slice
    /// classified: the content of its snapshot tile.
    ///
    /// Two streaming passes over the pair. The first counts, per structure and per slice index along `axis`, the
    /// voxels the images agree and disagree on (for a coronal or sagittal axis the index is a row or column of
    /// every slab's slices, so the counts still come from whole-slice slabs). The second keeps only the chosen
    /// slices, or for a coronal or sagittal axis the chosen row or column of each slab's slices. Memory: the
    /// counts (structures × extent) and one slice per structure, whatever the volume.
    ///
    /// Ties go to the slice with more of the structure, then to the lowest index; a structure absent from both
    /// images gets the middle slice. Voxels whose reference is `ignoreLabel` count for nothing, as in the scores.
    /// Structures that share a label (nested regions: BraTS whole tumour ⊃ tumour core) cannot share a code's slot,
    /// so they are drawn in separate walks over the pair: as many as the deepest nesting.
    /// The caller checks the grids first (``GridCheck``).
    /// - Throws: ``EvaluationError`` for unreadable data or a file that is not a label map.
    public static func disagreementPlanes(
        prediction: NiftiFile, reference: NiftiFile, structures: [[Int64]], axis: SliceAxis, ignoreLabel: Int64? = nil,
        slab: SlabSize = .standard, concurrent: Bool = hasSeveralCores
    ) throws(EvaluationError) -> [StructurePlane] {
        precondition(prediction.header.spatialShape == reference.header.spatialShape, "grids checked by the caller")
        // Each structure joins the first walk none of whose structures holds one of its labels.
        var walks: [(members: Set<Int64>, indices: [Int])] = []
        for (index, labels) in structures.enumerated() {
            if let w = walks.firstIndex(where: { $0.members.isDisjoint(with: labels) }) {
                walks[w].members.formUnion(labels)
                walks[w].indices.append(index)
            } else {
                walks.append((Set(labels), [index]))
            }
        }
        var planes = [StructurePlane?](repeating: nil, count: structures.count)
        for walk in walks {
            let drawn = try disagreementPlanes(
                PairSlabWalk(
                    prediction: prediction, reference: reference, structures: walk.indices.map { structures[$0] },
                    ignoreLabel: ignoreLabel, slab: slab, concurrent: concurrent),
                axis: axis)
            for (index, plane) in zip(walk.indices, drawn) { planes[index] = plane }
        }
        return planes.compactMap { $0 }
    }

    /// ``disagreementPlanes(prediction:reference:structures:axis:ignoreLabel:slab:concurrent:)`` of the
    /// structures of one walk, which share no label.
    private static func disagreementPlanes(
        _ walk: PairSlabWalk, axis: SliceAxis
    ) throws(EvaluationError) -> [StructurePlane] {
        let shape = walk.reference.header.spatialShape
        let structures = walk.structures

        var profile = DisagreementProfile(structures: structures.count, shape: shape, axis: axis)
        try walk.run { slab, firstSlice, slots in
            switch slab {
            case .bytes(let p, let r): profile.add(prediction: p, reference: r, firstSlice: firstSlice, slots: slots)
            case .codes(let p, let r): profile.add(prediction: p, reference: r, firstSlice: firstSlice, slots: slots)
            }
        }

        let chosen = structures.indices.map { profile.worstSlice(of: $0) }
        var collector = PlaneCollector(shape: shape, axis: axis, indices: chosen.map(\.index))
        try walk.run { slab, firstSlice, slots in
            switch slab {
            case .bytes(let p, let r): collector.add(prediction: p, reference: r, firstSlice: firstSlice, slots: slots)
            case .codes(let p, let r): collector.add(prediction: p, reference: r, firstSlice: firstSlice, slots: slots)
            }
        }
        return collector.planes(structures: structures, absent: chosen.map(\.isAbsent))
    }
}

/// Pass one: agreeing and disagreeing voxels per structure and slice index along the axis.
struct DisagreementProfile {
    private let shape: [Int]
    private let axis: SliceAxis
    private let extent: Int
    /// `[slot * extent + index]`: voxels both images give the structure.
    private var agree: [Int]
    /// `[slot * extent + index]`: voxels one image gives the structure and the other does not.
    private var disagree: [Int]

    init(structures: Int, shape: [Int], axis: SliceAxis) {
        self.shape = shape
        self.axis = axis
        extent = shape[axis.voxelAxis]
        agree = [Int](repeating: 0, count: structures * extent)
        disagree = agree
    }

    /// Counts one slab (whole slices, starting at slice `firstSlice`).
    mutating func add<Code: FixedWidthInteger & UnsignedInteger>(
        prediction p: UnsafeBufferPointer<Code>, reference r: UnsafeBufferPointer<Code>, firstSlice: Int,
        slots: PairSlabWalk.Slots
    ) {
        let (nx, ny) = (shape[0], shape[1])
        // The slice index of voxel (x, y, z) is x·sx + y·sy + z·sz, exactly one stride being 1.
        let sx = axis == .sagittal ? 1 : 0
        let sy = axis == .coronal ? 1 : 0
        let sz = axis == .axial ? 1 : 0
        let extent = extent
        agree.withUnsafeMutableBufferPointer { agree in
            disagree.withUnsafeMutableBufferPointer { disagree in
                let bytes = MemoryLayout<Code>.size == 1
                let (pRaw, rRaw) = (UnsafeRawPointer(p.baseAddress), UnsafeRawPointer(r.baseAddress))
                var i = 0
                for z in firstSlice..<(firstSlice + p.count / (nx * ny)) {
                    for y in 0..<ny {
                        let rowIndex = y &* sy &+ z &* sz
                        var x = 0
                        while x < nx {
                            // Byte codes: eight voxels of one structure nobody shows (background, mostly) at once.
                            if bytes, x &+ 8 <= nx, let pRaw, let rRaw {
                                let word = pRaw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                                if word == rRaw.loadUnaligned(fromByteOffset: i, as: UInt64.self),
                                    word == (word & 0xFF) &* 0x0101_0101_0101_0101,
                                    slots.reference[Int(word & 0xFF)] < 0
                                {
                                    i &+= 8
                                    x &+= 8
                                    continue
                                }
                            }
                            let a = slots.prediction[Int(p[i])]
                            let b = slots.reference[Int(r[i])]
                            let index = rowIndex &+ x &* sx
                            i &+= 1
                            x &+= 1
                            if (a < 0 && b < 0) || b == PairSlabWalk.ignored { continue }
                            if a == b {
                                agree[Int(a) &* extent &+ index] &+= 1
                            } else {
                                if a >= 0 { disagree[Int(a) &* extent &+ index] &+= 1 }
                                if b >= 0 { disagree[Int(b) &* extent &+ index] &+= 1 }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The slice to show for the structure in `slot`: most disagreement, then most of the structure, then lowest.
    func worstSlice(of slot: Int) -> (index: Int, isAbsent: Bool) {
        var best = (index: extent / 2, disagree: 0, present: 0)
        for index in 0..<extent {
            let d = disagree[slot * extent + index]
            let present = d + agree[slot * extent + index]
            if (d, present) > (best.disagree, best.present) { best = (index, d, present) }
        }
        return (best.index, best.present == 0)
    }
}

/// Pass two: the classified voxels of each structure's chosen slice.
struct PlaneCollector {
    private let shape: [Int]
    private let axis: SliceAxis
    private let indices: [Int]
    private let width: Int
    private let height: Int
    /// One plane per structure, `width × height` ``VoxelClass`` raw values.
    private var planes: [[UInt8]]
    /// Per structure: true positives, false positives, false negatives on its plane.
    private var counts: [(tp: Int, fp: Int, fn: Int)]

    init(shape: [Int], axis: SliceAxis, indices: [Int]) {
        self.shape = shape
        self.axis = axis
        self.indices = indices
        let (width, height) = (shape[axis.planeAxes.horizontal], shape[axis.planeAxes.vertical])
        self.width = width
        self.height = height
        planes = indices.map { _ in [UInt8](repeating: VoxelClass.none.rawValue, count: width * height) }
        counts = indices.map { _ in (0, 0, 0) }
    }

    /// Copies what `slab` holds of the chosen slices (whole slices for axial, one row or column of each slice
    /// otherwise).
    mutating func add<Code: FixedWidthInteger & UnsignedInteger>(
        prediction p: UnsafeBufferPointer<Code>, reference r: UnsafeBufferPointer<Code>, firstSlice: Int,
        slots: PairSlabWalk.Slots
    ) {
        let (nx, ny) = (shape[0], shape[1])
        let sliceVoxels = nx * ny
        for s in 0..<(p.count / sliceVoxels) {
            let z = firstSlice + s
            let base = s * sliceVoxels
            for (slot, index) in indices.enumerated() {
                // Source voxel of the first plane element, source step, count, and where it lands in the plane.
                let (start, step, count, target): (Int, Int, Int, Int)
                switch axis {
                case .axial:
                    guard z == index else { continue }
                    (start, step, count, target) = (base, 1, sliceVoxels, 0)
                case .coronal:
                    (start, step, count, target) = (base + index * nx, 1, nx, z * nx)
                case .sagittal:
                    (start, step, count, target) = (base + index, nx, ny, z * ny)
                }
                var tally = counts[slot]
                planes[slot].withUnsafeMutableBufferPointer { plane in
                    let shown = Int32(slot)
                    for k in 0..<count {
                        let i = start &+ k &* step
                        let a = slots.prediction[Int(p[i])]
                        let b = slots.reference[Int(r[i])]
                        var voxel = VoxelClass.none
                        if b == PairSlabWalk.ignored {
                            voxel = .none
                        } else if a == shown {
                            voxel = b == shown ? .truePositive : .falsePositive
                        } else if b == shown {
                            voxel = .falseNegative
                        }
                        switch voxel {
                        case .none: break
                        case .truePositive: tally.tp &+= 1
                        case .falsePositive: tally.fp &+= 1
                        case .falseNegative: tally.fn &+= 1
                        }
                        plane[target &+ k] = voxel.rawValue
                    }
                }
                counts[slot] = tally
            }
        }
    }

    func planes(structures: [[Int64]], absent: [Bool]) -> [StructurePlane] {
        structures.indices.map { slot in
            StructurePlane(
                labels: structures[slot], axis: axis, index: indices[slot], width: width, height: height,
                classes: planes[slot], truePositives: counts[slot].tp, falsePositives: counts[slot].fp,
                falseNegatives: counts[slot].fn, isAbsent: absent[slot])
        }
    }
}

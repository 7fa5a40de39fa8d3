/// The provisional components of one image and the union-find that joins them as slices arrive.
///
/// A run of voxels that touches no earlier run of its label starts a provisional component; a run that touches
/// several joins them. Ids only grow (id 0 is no component), and a root is always the smallest id of its set,
/// so ``resolved()`` meets every root before its members. Memory: three words per provisional component.
struct ComponentForest {
    private var parent: [UInt32] = [0]
    private var voxels: [Int] = [0]
    private var codes: [UInt32] = [0]

    /// A new component of `code`, holding no voxels yet.
    mutating func make(code: UInt32) -> UInt32 {
        let id = UInt32(parent.count)
        parent.append(id)
        voxels.append(0)
        codes.append(code)
        return id
    }

    /// The root of `id`'s set (path halving keeps later look-ups short).
    mutating func find(_ id: UInt32) -> UInt32 {
        var x = Int(id)
        while parent[x] != UInt32(x) {
            let grandparent = parent[Int(parent[x])]
            parent[x] = grandparent
            x = Int(grandparent)
        }
        return UInt32(x)
    }

    /// Joins the sets of `a` and `b`; returns the root of the union (the smaller root).
    mutating func union(_ a: UInt32, _ b: UInt32) -> UInt32 {
        let ra = find(a)
        let rb = find(b)
        if ra == rb { return ra }
        let (low, high) = ra < rb ? (ra, rb) : (rb, ra)
        parent[Int(high)] = low
        return low
    }

    mutating func add(voxels count: Int, to id: UInt32) {
        voxels[Int(id)] += count
    }

    /// The final components (code and voxels each) and, per provisional id, the index of its component.
    mutating func resolved() -> (components: [LesionTables.Component], indexOfId: [Int32]) {
        var components: [LesionTables.Component] = []
        var index = [Int32](repeating: -1, count: parent.count)
        for id in 1..<parent.count {
            let root = Int(find(UInt32(id)))
            if root == id {
                index[id] = Int32(components.count)
                components.append(LesionTables.Component(code: codes[id], voxels: 0))
            } else {
                index[id] = index[root]
            }
            components[Int(index[id])].voxels += voxels[id]
        }
        return (components, index)
    }
}

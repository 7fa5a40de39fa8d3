/// One maximal run of a non-zero code along x within a row, and its provisional component.
struct LesionRun {
    var start: Int32
    var end: Int32
    var code: UInt32
    var id: UInt32
}

/// Labels one image row by row: the runs of the slice in progress and of the slice before it, and the forest of
/// provisional components.
///
/// Only runs are kept, never voxels: memory is two slices' runs (none for background) plus the forest. A run
/// joins every run of its code that touches it in the row above (same slice) and in the previous slice's rows
/// y − 1, y, y + 1, with the reach in x the connectivity allows (``LesionConnectivity``).
struct ImageRuns {
    /// Mutable from outside only so that the owner can resolve it at the end.
    var forest = ComponentForest()
    /// Runs of the slice in progress, row after row; `currentRows[y] ..< currentRows[y + 1]` are row y's.
    private(set) var current: [LesionRun] = []
    private var currentRows: [Int] = [0]
    private var previous: [LesionRun] = []
    /// Before the first slice, every row of the "previous slice" is empty.
    private var previousRows: [Int]
    private let width: Int
    private let height: Int
    private let connectivity: LesionConnectivity

    init(width: Int, height: Int, connectivity: LesionConnectivity) {
        self.width = width
        self.height = height
        self.connectivity = connectivity
        previousRows = [Int](repeating: 0, count: height + 1)
    }

    /// Starts a new slice: the one in progress becomes the previous one.
    mutating func beginSlice(isFirst: Bool) {
        if !isFirst {
            swap(&previous, &current)
            swap(&previousRows, &currentRows)
        }
        current.removeAll(keepingCapacity: true)
        currentRows.removeAll(keepingCapacity: true)
        currentRows.append(0)
    }

    /// Labels row `y` of the slice in progress; returns the indices of its runs in ``current``.
    mutating func add<T: FixedWidthInteger & UnsignedInteger>(row: UnsafePointer<T>, y: Int) -> Range<Int> {
        let first = current.count
        Self.appendRuns(of: row, width: width, to: &current)
        let runs = first..<current.count
        if !runs.isEmpty {
            if y > 0 {
                let above = currentRows[y - 1]..<currentRows[y]
                connect(runs, to: above, inPrevious: false, reach: connectivity.inPlaneReach)
            }
            connect(runs, to: previousRows[y]..<previousRows[y + 1], inPrevious: true, reach: connectivity.belowReach)
            if let reach = connectivity.diagonalBelowReach {
                if y > 0 { connect(runs, to: previousRows[y - 1]..<previousRows[y], inPrevious: true, reach: reach) }
                if y + 1 < height {
                    connect(runs, to: previousRows[y + 1]..<previousRows[y + 2], inPrevious: true, reach: reach)
                }
            }
            for i in runs {
                if current[i].id == 0 { current[i].id = forest.make(code: current[i].code) }
                forest.add(voxels: Int(current[i].end - current[i].start), to: current[i].id)
            }
        }
        currentRows.append(current.count)
        return runs
    }

    /// Joins each run of `runs` to the runs of `neighbours` with its code that lie within `reach` in x.
    ///
    /// Both lists are sorted by x, so one sweep suffices: a neighbour that ends too far left of a run is too far
    /// left of every later run as well.
    private mutating func connect(_ runs: Range<Int>, to neighbours: Range<Int>, inPrevious: Bool, reach: Int32) {
        guard !neighbours.isEmpty else { return }
        var j = neighbours.lowerBound
        for i in runs {
            let run = current[i]
            while j < neighbours.upperBound && (inPrevious ? previous[j] : current[j]).end + reach <= run.start {
                j += 1
            }
            var id = run.id
            var k = j
            while k < neighbours.upperBound {
                let other = inPrevious ? previous[k] : current[k]
                guard other.start < run.end + reach else { break }
                if other.code == run.code { id = id == 0 ? forest.find(other.id) : forest.union(id, other.id) }
                k += 1
            }
            current[i].id = id
        }
    }

    /// Appends the runs of non-zero codes of one row, skipping background eight bytes at a time.
    private static func appendRuns<T: FixedWidthInteger & UnsignedInteger>(
        of row: UnsafePointer<T>, width: Int, to runs: inout [LesionRun]
    ) {
        let stride = MemoryLayout<T>.stride
        let perWord = 8 / stride
        let raw = UnsafeRawPointer(row)
        var x = 0
        while x < width {
            while x &+ perWord <= width && raw.loadUnaligned(fromByteOffset: x &* stride, as: UInt64.self) == 0 {
                x &+= perWord
            }
            guard x < width else { break }
            let code = row[x]
            if code == 0 {
                x &+= 1
                continue
            }
            let start = x
            x &+= 1
            while x < width && row[x] == code { x &+= 1 }
            runs.append(LesionRun(start: Int32(start), end: Int32(x), code: UInt32(code), id: 0))
        }
    }
}

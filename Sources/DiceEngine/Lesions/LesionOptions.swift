/// Which voxels touch: the neighbourhood that joins voxels of one label into a lesion.
public enum LesionConnectivity: Int, Sendable, CaseIterable {
    /// Faces only.
    case faces = 6
    /// Faces and edges.
    case edges = 18
    /// Faces, edges and corners (cc3d's and scipy's full 3D neighbourhood; the default).
    case corners = 26

    /// How far (in x) a run may lie beside a run of the row before it in the same slice and still touch it:
    /// 0 when only faces join (the runs must share an x), 1 when diagonals in the plane do.
    var inPlaneReach: Int32 { self == .faces ? 0 : 1 }
    /// The same for the row of the previous slice at the same y.
    var belowReach: Int32 { self == .faces ? 0 : 1 }
    /// The same for the rows of the previous slice at y ± 1; `nil` when they never touch (faces only).
    var diagonalBelowReach: Int32? {
        switch self {
        case .faces: nil
        case .edges: 0
        case .corners: 1
        }
    }
}

/// How a pair evaluation finds and scores lesions (connected components of each label).
public struct LesionOptions: Sendable, Equatable {
    public var connectivity: LesionConnectivity
    /// Components with fewer voxels are dropped on both sides before anything is counted (1: none dropped).
    public var minimumVoxels: Int

    public init(connectivity: LesionConnectivity = .corners, minimumVoxels: Int = 1) {
        precondition(minimumVoxels >= 1, "a lesion holds at least one voxel")
        self.connectivity = connectivity
        self.minimumVoxels = minimumVoxels
    }
}

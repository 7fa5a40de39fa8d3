/// The byte order of a file's multi-byte fields and voxels.
public enum ByteOrder: String, Sendable, Equatable {
    case little
    case big

    /// The byte order of the machine running this code.
    public static var host: ByteOrder {
        UInt16(littleEndian: 1) == 1 ? .little : .big
    }
}

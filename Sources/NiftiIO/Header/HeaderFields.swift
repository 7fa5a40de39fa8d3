/// Reads fixed-offset fields of a header in its byte order.
///
/// The buffer is always at least as long as the header being parsed (checked by the caller), so an
/// out-of-range offset is a programming error, not bad input.
struct HeaderFields {
    let bytes: UnsafeRawBufferPointer
    let byteOrder: ByteOrder

    private func load<T: FixedWidthInteger>(_ offset: Int, as _: T.Type) -> T {
        precondition(offset >= 0 && offset + MemoryLayout<T>.size <= bytes.count)
        let raw = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        return byteOrder == .little ? T(littleEndian: raw) : T(bigEndian: raw)
    }

    func int16(at offset: Int) -> Int { Int(load(offset, as: Int16.self)) }
    func int32(at offset: Int) -> Int { Int(load(offset, as: Int32.self)) }
    func int64(at offset: Int) -> Int64 { load(offset, as: Int64.self) }
    func uint8(at offset: Int) -> Int { Int(bytes[offset]) }
    func float32(at offset: Int) -> Double { Double(Float(bitPattern: load(offset, as: UInt32.self))) }
    func float64(at offset: Int) -> Double { Double(bitPattern: load(offset, as: UInt64.self)) }

    /// A NUL-terminated string field of at most `length` bytes; invalid UTF-8 is repaired.
    func string(at offset: Int, length: Int) -> String {
        let field = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)])
        let end = field.firstIndex(of: 0) ?? field.count
        return String(decoding: field[0..<end], as: UTF8.self)
    }
}

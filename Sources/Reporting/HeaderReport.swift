import Documents
import NiftiIO

/// `segscore header` output: the fields of a header, and optionally the voxel count of every label.
package enum HeaderReport {
    /// The `header --json` document; key set and order are a contract.
    package static func json(of file: NiftiFile, labels: [(label: Int64, voxels: Int)]?) -> JSONValue {
        let h = file.header
        var members: [(String, JSONValue)] = [
            ("path", .string(file.path)),
            ("format", .string(h.format.rawValue)),
            ("byteOrder", .string(h.byteOrder.rawValue)),
            ("compressed", .bool(file.isHeaderCompressed || file.isDataCompressed)),
            ("dim", .array(h.dim.map { .int($0) })),
            ("datatype", .string(h.dataType.name)),
            ("datatypeCode", .int(h.dataType.rawValue)),
            ("bitpix", .int(h.bitpix)),
            ("pixdim", .array(h.pixdim.map { .number($0) })),
            ("spacing", .array(h.spacing.map { .number($0) })),
            ("voxOffset", .int(h.voxOffset)),
            ("sclSlope", .number(h.sclSlope)),
            ("sclInter", .number(h.sclInter)),
            ("qformCode", .int(h.qformCode)),
            ("sformCode", .int(h.sformCode)),
            ("affine", .array(h.affine.map { .array($0.map { .number($0) }) })),
            ("intentCode", .int(h.intentCode)),
            ("description", .string(h.description)),
        ]
        if let labels {
            members.append(("labels", .object(labels.map { (String($0.label), .int($0.voxels)) })))
        }
        return .object(members)
    }

    /// A readable summary for a terminal.
    package static func text(of file: NiftiFile, labels: [(label: Int64, voxels: Int)]?) -> String {
        let h = file.header
        let version = h.format == .nifti1 ? "NIfTI-1" : "NIfTI-2"
        var compression = file.isDataCompressed ? "gzip" : "uncompressed"
        if h.isPair { compression += ", header/image pair (\(file.dataPath))" }
        var lines = [
            file.path,
            "  format       \(version), \(h.byteOrder.rawValue)-endian, \(compression)",
            "  shape        \(h.dim.map(String.init).joined(separator: " × "))  (\(h.voxelCount) voxels)",
            "  datatype     \(h.dataType.name) (code \(h.dataType.rawValue), \(h.bitpix) bits)",
            "  spacing      \(h.spacing.map { readable($0) }.joined(separator: " × ")) \(unitName(h))"
                + "  (voxel \(readable(h.voxelVolumeMl * 1000)) mm³)",
            "  scaling      "
                + (h.scaling.map { "value = \(readable($0.slope)) × stored + \(readable($0.intercept))" }
                    ?? "none (scl_slope \(readable(h.sclSlope)))"),
            "  vox_offset   \(h.voxOffset)",
            "  qform/sform  codes \(h.qformCode)/\(h.sformCode); affine from \(h.affineSource)",
        ]
        for row in h.affine.prefix(3) {
            lines.append("               [" + row.map { pad(readable($0), 10) }.joined(separator: " ") + " ]")
        }
        lines.append("  intent       \(h.intentCode)")
        if !h.description.isEmpty { lines.append("  description  \(h.description)") }
        if let labels {
            lines.append("")
            lines.append("  \(labels.count) label value\(labels.count == 1 ? "" : "s"):")
            lines.append("  " + pad("label", 8) + pad("voxels", 14) + pad("volume mL", 14))
            for (label, voxels) in labels {
                lines.append(
                    "  " + pad(String(label), 8) + pad(String(voxels), 14)
                        + pad(readable(Double(voxels) * h.voxelVolumeMl, digits: 3), 14))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func unitName(_ header: NiftiHeader) -> String {
        switch header.xyztUnits & 0x07 {
        case 1: "m"
        case 2: "mm"
        case 3: "µm"
        default: "mm (unit not set)"
        }
    }
}

/// Right-aligns `text` in `width` columns.
func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
}

/// A number for people: up to `digits` decimals, trailing zeros dropped; NaN as “nan”.
func readable(_ value: Double, digits: Int = 6) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = String(rounded)
    if text.contains("e") { return String(value) }
    if text.hasSuffix(".0") { text.removeLast(2) }
    return text == "-0" ? "0" : text
}

import NiftiIO

/// Compares an opened file with the `segscore header --json` fields it must give.
public enum HeaderComparison {
    /// One line per field that differs; empty when everything matches.
    ///
    /// Floats compare exactly (NIfTI-1 stores float32, which widens exactly to the `Double` in the JSON), NaN
    /// matching `null`. The affine is computed in float64 by both sides but along different paths (quaternion
    /// arithmetic), so it compares within `affineTolerance`: relative to the entry's magnitude, or absolute
    /// for entries below 1.
    public static func differences(
        _ file: NiftiFile, _ expected: ExpectedHeader, affineTolerance: Double
    ) -> [String] {
        let h = file.header
        var diffs: [String] = []
        func check<T: Equatable>(_ name: String, _ actual: T, _ wanted: T) {
            if actual != wanted { diffs.append("\(name): \(actual) ≠ expected \(wanted)") }
        }
        check("format", h.format.rawValue, expected.format)
        check("byteOrder", h.byteOrder.rawValue, expected.byteOrder)
        check("compressed", file.isDataCompressed, expected.compressed)
        check("dim", h.dim, expected.dim)
        check("datatype", h.dataType.name, expected.datatype)
        check("datatypeCode", h.dataType.rawValue, expected.datatypeCode)
        check("bitpix", h.bitpix, expected.bitpix)
        check("pixdim", h.pixdim, expected.pixdim)
        check("spacing", h.spacing, expected.spacing)
        check("voxOffset", h.voxOffset, expected.voxOffset)
        check("sclSlope", nullable(h.sclSlope), expected.sclSlope)
        check("sclInter", nullable(h.sclInter), expected.sclInter)
        check("qformCode", h.qformCode, expected.qformCode)
        check("sformCode", h.sformCode, expected.sformCode)
        check("intentCode", h.intentCode, expected.intentCode)
        if let description = expected.description { check("description", h.description, description) }
        let affine = h.affine
        let close =
            affine.count == 4 && expected.affine.count == 4
            && zip(affine, expected.affine).allSatisfy { row, wanted in
                row.count == 4 && wanted.count == 4
                    && zip(row, wanted).allSatisfy { abs($0 - $1) <= affineTolerance * max(1, abs($1)) }
            }
        if !close { diffs.append("affine (\(h.affineSource)): \(affine) ≠ expected \(expected.affine)") }
        return diffs
    }

    /// JSON has no NaN; `expected.json` writes it as `null`.
    private static func nullable(_ value: Double) -> Double? { value.isNaN ? nil : value }
}

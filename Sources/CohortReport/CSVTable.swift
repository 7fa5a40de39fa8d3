/// A CSV file as segscore writes it (RFC 4180: fields quoted when they hold a comma, quote, CR or LF, quotes
/// doubled), read back into a header and rows of fields.
struct CSVTable {
    let header: [String]
    /// Every row after the header, each with as many fields as the header.
    let rows: [[String]]

    /// - Throws: ``ReportError`` when a quote is not closed or a row has a different number of fields.
    init(parsing text: String, path: String) throws(ReportError) {
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var bytes = Array(text.utf8)
        if bytes.last != 0x0A { bytes.append(0x0A) }
        var index = 0
        func finishField() {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if quoted {
                if byte != 0x22 {
                    field.append(byte)
                } else if index < bytes.count && bytes[index] == 0x22 {
                    field.append(0x22)
                    index += 1
                } else {
                    quoted = false
                }
                continue
            }
            switch byte {
            case 0x22 where field.isEmpty: quoted = true
            case 0x2C: finishField()
            case 0x0D where index < bytes.count && bytes[index] == 0x0A: break
            case 0x0A:
                finishField()
                records.append(record)
                record.removeAll(keepingCapacity: true)
            default: field.append(byte)
            }
        }
        guard !quoted else { throw ReportError("malformed CSV (a quoted field is not closed)", path: path) }
        guard let header = records.first, header != [""] else { throw ReportError("empty CSV file", path: path) }
        for (number, row) in records.enumerated() where row.count != header.count {
            throw ReportError(
                "malformed CSV (record \(number + 1) has \(row.count) fields, the header \(header.count))", path: path)
        }
        self.header = header
        rows = Array(records.dropFirst())
    }

    /// The index of the column named `name`.
    func column(_ name: String, path: String) throws(ReportError) -> Int {
        guard let index = header.firstIndex(of: name) else {
            throw ReportError("malformed CSV (no column \"\(name)\")", path: path)
        }
        return index
    }
}

import Documents

#if canImport(Glibc)
    import Glibc
#endif

/// What `--resume` knows of an input file a case was scored from, to tell whether it is still that file.
///
/// A modification time alone is not enough: `cp -p`, `rsync -a` and `tar x` give a new file an old time. Size,
/// inode and the change time (which no tool can set back) are compared too, and any difference re-scores.
package struct InputStamp: Sendable, Equatable {
    package let size: Int
    package let inode: Int
    /// Nanoseconds since the epoch.
    package let modified: Int
    /// Nanoseconds since the epoch: the inode's last change, set by the kernel on every write or rename.
    package let changed: Int

    /// The file's stamp now, links followed; `nil` when it cannot be read.
    package init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        size = Int(info.st_size)
        inode = Int(truncatingIfNeeded: info.st_ino)
        modified = Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
        changed = Int(info.st_ctim.tv_sec) * 1_000_000_000 + Int(info.st_ctim.tv_nsec)
    }

    init?(json: JSONValue?) {
        guard let json, let size = json["size"]?.intValue, let inode = json["inode"]?.intValue,
            let modified = json["mtimeNs"]?.intValue, let changed = json["ctimeNs"]?.intValue
        else { return nil }
        (self.size, self.inode, self.modified, self.changed) = (size, inode, modified, changed)
    }

    var json: JSONValue {
        .object([
            ("size", .int(size)), ("inode", .int(inode)), ("mtimeNs", .int(modified)), ("ctimeNs", .int(changed)),
        ])
    }
}

/// The stamps of both inputs of a case, kept in its `cases/<case>.json` as `inputStamps`.
package struct CaseStamps: Sendable, Equatable {
    /// `nil` for a missing prediction.
    package let prediction: InputStamp?
    package let reference: InputStamp

    /// The stamps of the case's files now; `nil` when one cannot be read (the case is then never reused).
    package init?(prediction: String?, reference: String) {
        guard let referenceStamp = InputStamp(path: reference) else { return nil }
        var predictionStamp: InputStamp? = nil
        if let prediction {
            guard let stamp = InputStamp(path: prediction) else { return nil }
            predictionStamp = stamp
        }
        self.prediction = predictionStamp
        self.reference = referenceStamp
    }

    /// The stamps a case file holds; `nil` for a file written before stamps were kept.
    package init?(caseFile json: JSONValue) {
        guard let stamps = json["inputStamps"], let reference = InputStamp(json: stamps["reference"]) else {
            return nil
        }
        if stamps["prediction"]?.isNull == true {
            prediction = nil
        } else {
            guard let stamp = InputStamp(json: stamps["prediction"]) else { return nil }
            prediction = stamp
        }
        self.reference = reference
    }

    var json: JSONValue {
        .object([("prediction", prediction?.json ?? .null), ("reference", reference.json)])
    }
}

/// The cases of a cohort: prediction and reference files paired by name, as nnU-Net pairs them.
///
/// A case is a file name without its `.nii` or `.nii.gz` ending, so `case_01.nii.gz` in one folder pairs with
/// `case_01.nii.gz` or `case_01.nii` in the other. Cases are sorted by the UTF-8 bytes of their names, which
/// gives every machine and locale the same order (and so the same shards and output order).
package struct CohortInputs: Sendable, Equatable {
    /// One case name with the files found for it.
    package struct Case: Sendable, Equatable {
        package let name: String
        /// The prediction's path, or `nil` when only the reference exists.
        package let prediction: String?
        /// The reference's path, or `nil` when only the prediction exists.
        package let reference: String?

        package init(name: String, prediction: String?, reference: String?) {
            self.name = name
            self.prediction = prediction
            self.reference = reference
        }
    }

    package let predictionDirectory: String
    package let referenceDirectory: String
    /// Every name found in either folder, sorted.
    package let cases: [Case]

    /// Pairs the NIfTI files of two folder listings; other files are ignored, as are hidden ones.
    ///
    /// - Parameters:
    ///   - predictionFiles: file names (not paths) in `predictionDirectory`.
    ///   - referenceFiles: file names in `referenceDirectory`.
    /// - Throws: ``CohortError`` when one folder holds the same case twice (`a.nii` and `a.nii.gz`).
    package init(
        predictionDirectory: String, predictionFiles: [String], referenceDirectory: String, referenceFiles: [String]
    ) throws(CohortError) {
        let predictions = try Self.index(predictionFiles, in: predictionDirectory)
        let references = try Self.index(referenceFiles, in: referenceDirectory)
        let names = Set(predictions.keys).union(references.keys).sorted(by: Self.precedes)
        self.init(
            predictionDirectory: predictionDirectory, referenceDirectory: referenceDirectory,
            cases: names.map { Case(name: $0, prediction: predictions[$0], reference: references[$0]) })
    }

    /// Inputs as recorded in a result's manifest.
    package init(predictionDirectory: String, referenceDirectory: String, cases: [Case]) {
        self.predictionDirectory = predictionDirectory
        self.referenceDirectory = referenceDirectory
        self.cases = cases.sorted { Self.precedes($0.name, $1.name) }
    }

    /// Cases with a reference but no prediction.
    package var missingPredictions: [Case] { cases.filter { $0.prediction == nil } }

    /// Predictions with no reference: reported as a warning, never scored.
    package var unmatchedPredictions: [Case] { cases.filter { $0.reference == nil } }

    /// The cases a run scores, in order: every pair, plus the missing predictions under
    /// ``MissingPredictionPolicy/worst``.
    package func evaluated(missing: MissingPredictionPolicy) -> [Case] {
        cases.filter { $0.reference != nil && ($0.prediction != nil || missing == .worst) }
    }

    /// What looks like a mistake in the pairing, for stderr (the run goes on):
    /// - case names ending in `_0000`, nnU-Net's channel suffix: an `imagesTs` folder passed where predictions
    ///   or labels were meant;
    /// - pairs whose names are the same text in different Unicode normalisation (NFC on Linux, NFD from macOS):
    ///   Swift compares strings by canonical equivalence, so they pair, but other tools would not.
    package var warnings: [String] {
        var warnings: [String] = []
        for (role, directory, side) in [
            ("prediction", predictionDirectory, \Case.prediction), ("reference", referenceDirectory, \Case.reference),
        ] {
            let channels = cases.filter { $0[keyPath: side] != nil && $0.name.hasSuffix("_0000") }.count
            if channels > 0 {
                warnings.append(
                    "\(channels) \(role) file(s) end in nnU-Net's channel suffix _0000 (an imagesTs folder of "
                        + "input images?): \(directory)")
            }
        }
        let mixed = cases.filter { item in
            guard let prediction = item.prediction, let reference = item.reference else { return false }
            return !Path.fileName(of: prediction).utf8.starts(with: item.name.utf8)
                || !Path.fileName(of: reference).utf8.starts(with: item.name.utf8)
        }
        if !mixed.isEmpty {
            warnings.append(
                "\(mixed.count) case(s) pair files whose names differ only in Unicode normalisation (NFC vs NFD), "
                    + "e.g. \(mixed[0].name)")
        }
        return warnings
    }

    /// The case name of a NIfTI file name, or `nil` for other files.
    package static func caseName(ofFile file: String) -> String? {
        guard !file.hasPrefix(".") else { return nil }
        for ending in [".nii.gz", ".nii"] where file.hasSuffix(ending) && file.count > ending.count {
            return String(file.dropLast(ending.count))
        }
        return nil
    }

    /// The order of case names: by UTF-8 bytes, independent of locale.
    package static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    private static func index(_ files: [String], in directory: String) throws(CohortError) -> [String: String] {
        var byName: [String: String] = [:]
        for file in files.sorted(by: precedes) {
            guard let name = caseName(ofFile: file) else { continue }
            if let other = byName[name] {
                throw CohortError(
                    "case \(name) is stored twice (\(Path.fileName(of: other)) and \(file))", path: directory)
            }
            byName[name] = Path.join(directory, file)
        }
        return byName
    }
}

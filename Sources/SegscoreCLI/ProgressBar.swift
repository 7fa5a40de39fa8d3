import CohortReport
import Reporting

/// Report progress on standard error: a bar redrawn in place on a terminal, as `cohort` draws its own, and
/// the file written with its size and time at the end.
final class ProgressBar: ReportProgress {
    enum Style {
        /// `--quiet`.
        case silent
        /// Only the final line (logs, CI).
        case summary
        /// A bar redrawn in place, then the final line.
        case bar
    }

    private let style: Style
    private var total = 0
    private var done = 0

    init(style: Style) {
        self.style = style
    }

    func start(total: Int) {
        (self.total, done) = (total, 0)
        draw()
    }

    func advance() {
        done += 1
        draw()
    }

    /// Clears the bar and says what was written.
    func end(path: String, bytes: Int, after duration: Duration) {
        guard style != .silent else { return }
        if style == .bar { Terminal.writeProgress("\r\u{1B}[K") }
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        let size = FixedDecimal.string(Double(bytes) / 1_048_576, digits: 2)
        Terminal.writeError(
            "report: \(Segscore.oneLine(path)) (\(size) MiB) in \(ProgressReporter.duration(seconds))")
    }

    private func draw() {
        guard style == .bar else { return }
        let width = 24
        let filled = total == 0 ? width : width * done / total
        Terminal.writeProgress(
            "\r\u{1B}[Kreport \(done)/\(total) [" + String(repeating: "=", count: filled)
                + String(repeating: " ", count: width - filled) + "]")
    }
}

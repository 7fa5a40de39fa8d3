import Cohort
import NiftiIO
import Reporting

/// Cohort progress on standard error: a redrawn bar on a terminal, one line per case otherwise (logs, CI).
final class ProgressReporter: CohortProgress {
    enum Style {
        /// `--quiet`.
        case silent
        /// One line per finished case.
        case lines
        /// A bar redrawn in place: cases done / total, rate, ETA.
        case bar
    }

    private struct State {
        /// Cases to score in this run (reused ones not included).
        var total = 0
        var start = ContinuousClock.now
        var done = 0
        var failed = 0
    }

    private let style: Style
    /// What the closing line says was done to the cases: `scored`, `drew snapshots of`.
    private let verb: String
    private let state = Locked(State())

    init(style: Style, verb: String = "scored") {
        self.style = style
        self.verb = verb
    }

    /// Printed even with `--quiet`: a warning is not progress.
    func warn(_ message: String) {
        Terminal.writeError("segscore: warning: " + message)
    }

    func reusing(_ reused: Int, of total: Int) {
        guard style != .silent else { return }
        Terminal.writeError("reusing \(reused) of \(total) cases")
    }

    func start(total: Int) {
        state.withLock { $0 = State(total: total) }
    }

    /// Reports a finished case; called from worker threads.
    func finished(_ record: CaseRecord, after duration: Duration) {
        state.withLock { state in
            state.done += 1
            if record.status == .failed { state.failed += 1 }
            switch style {
            case .silent:
                break
            case .lines:
                let width = String(state.total).count
                let counter =
                    String(repeating: " ", count: width - String(state.done).count) + "\(state.done)/\(state.total)"
                let outcome =
                    record.failure.map { "failed (\($0.kind.rawValue))" } ?? Self.duration(Self.seconds(duration))
                Terminal.writeError("[\(counter)] \(record.name)  \(outcome)")
            case .bar:
                draw(state)
            }
        }
    }

    /// Redraws the bar so rate and ETA stay current between cases.
    func tick() {
        guard style == .bar else { return }
        state.withLock { draw($0) }
    }

    /// Ends the bar's line and states the totals.
    func end() {
        guard style != .silent else { return }
        let (done, failed, total, start) = state.withLock { ($0.done, $0.failed, $0.total, $0.start) }
        if style == .bar { Terminal.writeProgress("\r\u{1B}[K") }
        let elapsed = Self.seconds(ContinuousClock.now - start)
        var line = "\(verb) \(done - failed) of \(total) cases in \(Self.duration(elapsed))"
        if failed > 0 { line += ", \(failed) failed" }
        Terminal.writeError(line)
    }

    private func draw(_ state: State) {
        let width = 24
        let filled = state.total == 0 ? width : width * state.done / state.total
        var line = "\r\u{1B}[K\(state.done)/\(state.total) ["
        line += String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled) + "]"
        let elapsed = Self.seconds(ContinuousClock.now - state.start)
        if state.done > 0 && elapsed > 0 {
            let rate = Double(state.done) / elapsed
            let remaining = Self.duration(Double(state.total - state.done) / rate)
            line += " \(FixedDecimal.string(rate, digits: 1)) cases/s, ETA \(remaining)"
        }
        if state.failed > 0 { line += " (\(state.failed) failed)" }
        Terminal.writeProgress(line)
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// `0.42 s`, `12 s`, `3m05s`.
    static func duration(_ seconds: Double) -> String {
        if seconds < 10 { return FixedDecimal.string(seconds, digits: 2) + " s" }
        if seconds < 60 { return "\(Int(seconds.rounded())) s" }
        let whole = Int(seconds.rounded())
        let rest = whole % 60
        return "\(whole / 60)m" + (rest < 10 ? "0" : "") + "\(rest)s"
    }
}

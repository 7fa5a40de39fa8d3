/// What the report shows while it is built, so a terminal can draw a bar as `cohort` does.
///
/// The work is counted in steps: reading the folder, each plot, each table, each embedded snapshot.
package protocol ReportProgress {
    /// Rendering of `total` steps starts now.
    func start(total: Int)
    /// One more step is done.
    func advance()
}

import Documents

/// One of `count` slices of a cohort for running on several machines: `--shard K/N`.
///
/// Shard K takes the cases at positions K−1, K−1+N, K−1+2N, … of the sorted case list, so every case lands in
/// exactly one shard, shards get equal shares of any ordering bias, and the split depends only on the case
/// names, never on the machine.
package struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// 1-based.
    package let index: Int
    package let count: Int

    package init?(index: Int, count: Int) {
        guard count >= 1, (1...count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    /// Parses `K/N` with 1 ≤ K ≤ N.
    package init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { return nil }
        self.init(index: index, count: count)
    }

    /// This shard's share of `items` (which must already be in their stable order).
    package func select<Item>(_ items: [Item]) -> [Item] {
        stride(from: index - 1, to: items.count, by: count).map { items[$0] }
    }

    package var json: JSONValue { .object([("index", .int(index)), ("count", .int(count))]) }

    package var description: String { "\(index)/\(count)" }
}

/// Blocking keys for one rule, on both sides, and the right side's sorted index.
struct BlockingIndex: Sendable {
    let name: String
    /// Key of each left record, or `noKey` when a key field is missing.
    let leftKeys: [UInt64]
    /// Right records sorted by key.
    let sortedKeys: [UInt64]
    let sortedRecords: [Int32]
    /// The fields the rule uses (to leave their comparisons out of EM when training on it).
    let fields: Set<Int>

    static let noKey = UInt64.max

    /// Where each run of keys with the same top `directoryBits` bits starts in `sortedKeys` (the
    /// keys are hashes, so evenly spread): a lookup reads one or two entries there and searches a
    /// handful of keys, instead of some twenty steps of binary search over the whole index.
    let directory: [Int32]
    let directoryShift: UInt64

    /// The range of `sortedKeys` equal to `key`.
    @inline(__always)
    func block(_ key: UInt64) -> Range<Int> {
        let bucket = Int(key >> directoryShift)
        return Self.run(of: key, in: sortedKeys, from: Int(directory[bucket]), to: Int(directory[bucket + 1]))
    }

    /// The run of `key` in `keys` (sorted), searched for between `lo` and `hi`.
    @inline(__always)
    static func run(of key: UInt64, in keys: [UInt64], from lo: Int, to hi: Int) -> Range<Int> {
        var lo = lo, hi = hi
        while lo < hi { let mid = (lo + hi) >> 1; if keys[mid] < key { lo = mid + 1 } else { hi = mid } }
        var end = lo
        while end < keys.count && keys[end] == key { end += 1 }
        return lo..<end
    }

    /// Pairs the rule makes (left × right within each block; de-duplication: i < j).
    func pairCount(dedupe: Bool) -> Double {
        var total = 0.0
        var i = 0
        while i < sortedKeys.count {
            var j = i
            while j < sortedKeys.count && sortedKeys[j] == sortedKeys[i] { j += 1 }
            let n = Double(j - i)
            if dedupe { total += n * (n - 1) / 2 } else { total += n * Double(countLeft(sortedKeys[i])) }
            i = j
        }
        return total
    }

    private func countLeft(_ key: UInt64) -> Int {
        Self.run(of: key, in: sortedLeftKeys, from: 0, to: sortedLeftKeys.count).count
    }
    /// The left keys, sorted (to count a block's left records); empty in de-duplication.
    private let sortedLeftKeys: [UInt64]

    /// The indexes of `rules`, built side by side (each sorts both sources).
    static func build(_ rules: [BlockingRule], input: LinkageInput, dedupe: Bool) async -> [BlockingIndex] {
        await withTaskGroup(of: (Int, BlockingIndex).self) { group in
            for (k, rule) in rules.enumerated() {
                group.addTask { (k, BlockingIndex(rule: rule, input: input, dedupe: dedupe)) }
            }
            var out = [BlockingIndex?](repeating: nil, count: rules.count)
            for await (k, index) in group { out[k] = index }
            return out.map { $0! }
        }
    }

    init(rule: BlockingRule, input: LinkageInput, dedupe: Bool) {
        name = rule.name
        var parts: [(field: Int, transform: BlockingTransform)] = []
        var fields = Set<Int>()
        for k in rule.keys {
            guard let f = input.fieldIndex(k.field) else { continue }
            parts.append((f, k.transform.flatMap(BlockingTransform.init(rawValue:)) ?? .value))
            fields.insert(f)
        }
        self.fields = fields
        let unordered = (rule.unordered ?? []).compactMap { input.fieldIndex($0) }
        func keys(_ source: EncodedSource) -> [UInt64] {
            var out = [UInt64](repeating: Self.noKey, count: source.count)
            let columns = parts.map { source.columns[$0.field] }
            let vocabularies = parts.map { input.vocabularyOf[$0.field] >= 0 ? input.vocabularies[input.vocabularyOf[$0.field]] : Vocabulary() }
            var values = [Int64](repeating: 0, count: parts.count)
            for r in 0..<source.count {
                var ok = true
                for (p, part) in parts.enumerated() {
                    let code = columns[p][r]
                    if code < 0 { ok = false; break }
                    var v: Int64
                    switch part.transform {
                    case .value: v = Int64(code)
                    case .phonetic: v = Int64(vocabularies[p].phonetic.isEmpty ? code : vocabularies[p].phonetic[Int(code)])
                    case .initial: v = Int64(vocabularies[p].initial.isEmpty ? code : Int32(vocabularies[p].initial[Int(code)]))
                    case .year: v = Int64(code / 10000)
                    case .monthDay: v = Int64(code % 10000)
                    case .sector: v = Int64(vocabularies[p].sector.isEmpty ? -1 : vocabularies[p].sector[Int(code)])
                    case .district: v = Int64(vocabularies[p].district.isEmpty ? -1 : vocabularies[p].district[Int(code)])
                    }
                    if v < 0 { ok = false; break }
                    values[p] = v
                }
                if !ok { continue }
                if unordered.count == 2,
                   let p1 = parts.firstIndex(where: { $0.field == unordered[0] }),
                   let p2 = parts.firstIndex(where: { $0.field == unordered[1] }), values[p1] > values[p2] {
                    values.swapAt(p1, p2)
                }
                var h: UInt64 = 0xCBF2_9CE4_8422_2325
                for v in values {
                    h = (h ^ UInt64(bitPattern: v)) &* 0x9E37_79B9_7F4A_7C15
                    h ^= h >> 29
                }
                out[r] = h == Self.noKey ? 0 : h
            }
            return out
        }
        leftKeys = keys(input.left)
        let rightKeys = dedupe ? leftKeys : keys(input.right)
        // Sorted as (key, record) side by side: sorting record numbers by a looked-up key was
        // the slower part of building an index.
        struct Entry { var key: UInt64; var record: Int32 }
        var entries: [Entry] = []
        entries.reserveCapacity(rightKeys.count)
        for (r, k) in rightKeys.enumerated() where k != Self.noKey { entries.append(Entry(key: k, record: Int32(r))) }
        entries.sort { ($0.key, $0.record) < ($1.key, $1.record) }
        sortedRecords = entries.map(\.record)
        sortedKeys = entries.map(\.key)
        // About four keys a bucket.
        var bits = 1
        while bits < 24 && (1 << (bits + 2)) < entries.count { bits += 1 }
        directoryShift = UInt64(64 - bits)
        var directory = [Int32](repeating: 0, count: (1 << bits) + 1)
        var at = 0
        for b in 0...(1 << bits) {
            while at < entries.count && Int(entries[at].key >> directoryShift) < b { at += 1 }
            directory[b] = Int32(at)
        }
        self.directory = directory
        sortedLeftKeys = dedupe ? [] : leftKeys.filter { $0 != Self.noKey }.sorted()
    }
}

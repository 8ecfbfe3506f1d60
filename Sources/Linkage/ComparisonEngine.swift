/// A comparison level, compiled from the model for the inner loop.
enum CompiledLevel: Sendable {
    case exact, alias, jaroWinkler(Double), damerauLevenshtein(Int), phonetic, swapped
    case dayMonthSwapped, yearsApart(Int32), onePartDiffers, sector, district, otherwise
}

struct CompiledComparison: Sendable {
    let name: String
    let field: Int
    let otherField: Int      // -1 when none
    let kind: FieldKind
    let vocabulary: Int      // -1 for dates
    let levels: [CompiledLevel]
    let labels: [String]
    let termFrequency: Bool
    /// Index (1-based, as returned by `level`) of the `exact` level, 0 when none.
    let exactLevel: Int
}

/// Raw copies of the arrays the inner loop reads, so that comparing a pair touches no
/// reference counts. Freed with the engine.
final class FeatureStore: @unchecked Sendable {
    private var allocations: [UnsafeMutableRawPointer] = []

    func copy<T>(_ array: [T]) -> UnsafeBufferPointer<T> {
        let p = UnsafeMutableBufferPointer<T>.allocate(capacity: max(array.count, 1))
        _ = p.initialize(from: array)
        allocations.append(UnsafeMutableRawPointer(p.baseAddress!))
        return UnsafeBufferPointer(start: p.baseAddress, count: array.count)
    }

    deinit { for a in allocations { a.deallocate() } }
}

struct HotVocabulary {
    var bytes: UnsafeBufferPointer<UInt8>
    var offsets: UnsafeBufferPointer<Int32>
    var phonetic: UnsafeBufferPointer<Int32>
    var aliasGroups: UnsafeBufferPointer<Int32>
    var aliasOffsets: UnsafeBufferPointer<Int32>
    var sector: UnsafeBufferPointer<Int32>
    var district: UnsafeBufferPointer<Int32>
}

struct HotComparison {
    var a: UnsafeBufferPointer<Int32>
    var b: UnsafeBufferPointer<Int32>
    var a2: UnsafeBufferPointer<Int32>
    var b2: UnsafeBufferPointer<Int32>
    var v: HotVocabulary
    var levels: UnsafeBufferPointer<CompiledLevel>
}

/// Evaluates comparisons on encoded records. Level 0 means "a value is missing"; level k ≥ 1 is
/// the model's k-th level.
struct ComparisonEngine: @unchecked Sendable {
    let comparisons: [CompiledComparison]
    let store = FeatureStore()
    let hot: UnsafeBufferPointer<HotComparison>
    let leftCount: Int
    let rightCount: Int
    let dedupe: Bool

    init(model: LinkageModel, input: LinkageInput, dedupe: Bool) throws(LinkageModelError) {
        try model.validate()
        var out: [CompiledComparison] = []
        var missing: [String] = []
        for c in model.comparisons {
            guard let f = input.fieldIndex(c.field) else { missing.append(c.field); continue }
            var other = -1
            if let s = c.swapWith {
                guard let o = input.fieldIndex(s) else { missing.append(s); continue }
                other = o
            }
            var levels: [CompiledLevel] = []
            var exact = 0
            for (i, l) in c.levels.enumerated() {
                let t = ComparisonType(rawValue: l.type)!
                switch t {
                case .exact: levels.append(.exact); if exact == 0 { exact = i + 1 }
                case .alias: levels.append(.alias)
                case .jaroWinkler: levels.append(.jaroWinkler(l.threshold ?? 0.9))
                case .damerauLevenshtein: levels.append(.damerauLevenshtein(Int(l.threshold ?? 1)))
                case .phonetic: levels.append(.phonetic)
                case .swapped: levels.append(.swapped)
                case .dateDayMonthSwapped: levels.append(.dayMonthSwapped)
                case .dateYearsApart: levels.append(.yearsApart(Int32(l.threshold ?? 1)))
                case .dateOnePartDiffers: levels.append(.onePartDiffers)
                case .postcodeSector: levels.append(.sector)
                case .postcodeDistrict: levels.append(.district)
                case .else: levels.append(.otherwise)
                }
            }
            out.append(CompiledComparison(name: c.name, field: f, otherField: other, kind: input.kinds[f],
                                          vocabulary: input.vocabularyOf[f], levels: levels,
                                          labels: c.levels.map(\.label), termFrequency: c.termFrequency ?? false,
                                          exactLevel: exact))
        }
        if !missing.isEmpty { throw .invalid(["the input has no field \(missing.joined(separator: ", "))"]) }
        comparisons = out
        self.dedupe = dedupe
        leftCount = input.left.count
        rightCount = dedupe ? input.left.count : input.right.count
        let store = self.store
        let right = dedupe ? input.left : input.right
        var leftColumns: [Int: UnsafeBufferPointer<Int32>] = [:], rightColumns: [Int: UnsafeBufferPointer<Int32>] = [:]
        func column(_ f: Int) -> (UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Int32>) {
            if f < 0 { return (UnsafeBufferPointer(start: nil, count: 0), UnsafeBufferPointer(start: nil, count: 0)) }
            if leftColumns[f] == nil {
                leftColumns[f] = store.copy(input.left.columns[f])
                rightColumns[f] = dedupe ? leftColumns[f] : store.copy(right.columns[f])
            }
            return (leftColumns[f]!, rightColumns[f]!)
        }
        var hotVocabularies: [Int: HotVocabulary] = [:]
        var hot: [HotComparison] = []
        for c in out {
            let (a, b) = column(c.field)
            let (a2, b2) = column(c.otherField)
            var hv: HotVocabulary
            if let existing = hotVocabularies[c.vocabulary] {
                hv = existing
            } else {
                let v = c.vocabulary >= 0 ? input.vocabularies[c.vocabulary] : Vocabulary()
                hv = HotVocabulary(bytes: store.copy(v.bytes), offsets: store.copy(v.offsets), phonetic: store.copy(v.phonetic),
                                   aliasGroups: store.copy(v.aliasGroups), aliasOffsets: store.copy(v.aliasOffsets),
                                   sector: store.copy(v.sector), district: store.copy(v.district))
                hotVocabularies[c.vocabulary] = hv
            }
            hot.append(HotComparison(a: a, b: b, a2: a2, b2: b2, v: hv, levels: store.copy(c.levels)))
        }
        self.hot = store.copy(hot)
    }

    /// The level of comparison `c` for left record `l` against right record `r`.
    @inline(__always)
    func level(_ c: Int, _ l: Int, _ r: Int) -> Int {
        let h = hot[c]
        let a = h.a[l], b = h.b[r]
        if a < 0 || b < 0 { return 0 }
        var i = 0
        var jaroWinkler = -1.0  // computed once for the levels that share it
        for lv in h.levels {
            i += 1
            switch lv {
            case .exact: if a == b { return i }
            case .otherwise: return i
            case .alias:
                if Self.aliased(h.v, a, b) { return i }
            case .jaroWinkler(let t):
                if a != b {
                    if jaroWinkler < 0 { jaroWinkler = Self.jaroWinkler(h.v, a, b) }
                    if jaroWinkler >= t { return i }
                }
            case .damerauLevenshtein(let k):
                if a == b || Self.damerau(h.v, a, b, k) <= k { return i }
            case .phonetic:
                let pa = h.v.phonetic[Int(a)]
                if pa >= 0 && pa == h.v.phonetic[Int(b)] { return i }
            case .swapped:
                let a2 = h.a2[l], b2 = h.b2[r]
                // First and last names swapped, each allowing the small differences a keyed
                // name has anyway (a typo, a nickname, a spelling that sounds the same):
                // "Baker, Freya" against "Frefya Baker", "Murphy, Tommy" against "Thomas Murphy".
                if a2 >= 0 && b2 >= 0 && Self.close(h.v, a, b2) && Self.close(h.v, a2, b) { return i }
            case .dayMonthSwapped:
                let ya = a / 10000, ma = a / 100 % 100, da = a % 100
                let yb = b / 10000, mb = b / 100 % 100, db = b % 100
                if ya == yb && ma == db && da == mb && ma != da { return i }
            case .yearsApart(let n):
                if a % 10000 == b % 10000 && abs(a / 10000 - b / 10000) <= n { return i }
            case .onePartDiffers:
                let ya = a / 10000, ma = a / 100 % 100, da = a % 100
                let yb = b / 10000, mb = b / 100 % 100, db = b % 100
                let same = (ya == yb ? 1 : 0) + (ma == mb ? 1 : 0) + (da == db ? 1 : 0)
                if same >= 2 { return i }
            case .sector:
                let s = h.v.sector
                if s[Int(a)] >= 0 && s[Int(a)] == s[Int(b)] { return i }
            case .district:
                let s = h.v.district
                if s[Int(a)] >= 0 && s[Int(a)] == s[Int(b)] { return i }
            }
        }
        return i
    }

    /// The same name give or take one keying error, a spelling that sounds the same, or an alias.
    @inline(__always)
    static func close(_ v: HotVocabulary, _ a: Int32, _ b: Int32) -> Bool {
        if a == b { return true }
        let p = v.phonetic
        if p[Int(a)] >= 0 && p[Int(a)] == p[Int(b)] { return true }
        return aliased(v, a, b) || damerau(v, a, b, 1) <= 1
    }

    @inline(__always)
    static func aliased(_ v: HotVocabulary, _ a: Int32, _ b: Int32) -> Bool {
        let sa = Int(v.aliasOffsets[Int(a)]), ea = Int(v.aliasOffsets[Int(a) + 1])
        let sb = Int(v.aliasOffsets[Int(b)]), eb = Int(v.aliasOffsets[Int(b) + 1])
        var i = sa, j = sb
        while i < ea && j < eb {
            let x = v.aliasGroups[i], y = v.aliasGroups[j]
            if x == y { return true }
            if x < y { i += 1 } else { j += 1 }
        }
        return false
    }

    @inline(__always)
    static func slice(_ v: HotVocabulary, _ c: Int32) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: v.bytes[Int(v.offsets[Int(c)])..<Int(v.offsets[Int(c) + 1])])
    }

    @inline(__always)
    static func jaroWinkler(_ v: HotVocabulary, _ a: Int32, _ b: Int32) -> Double {
        StringSimilarity.jaroWinkler(slice(v, a), slice(v, b))
    }

    @inline(__always)
    static func damerau(_ v: HotVocabulary, _ a: Int32, _ b: Int32, _ k: Int) -> Int {
        StringSimilarity.damerauLevenshtein(slice(v, a), slice(v, b), limit: k)
    }

    /// All comparison levels of a pair, 4 bits each (comparison 0 in the lowest bits).
    @inline(__always)
    func pattern(_ l: Int, _ r: Int) -> UInt64 {
        var p: UInt64 = 0
        for c in 0..<comparisons.count { p |= UInt64(level(c, l, r)) << UInt64(4 * c) }
        return p
    }

    /// The code of comparison `c`'s field in left record `l` (for term frequencies).
    @inline(__always)
    func leftCode(_ c: Int, _ l: Int) -> Int32 { hot[c].a[l] }
}

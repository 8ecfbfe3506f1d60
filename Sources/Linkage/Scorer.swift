/// Scores pairs with trained parameters: weights per level, term-frequency adjustments, the
/// identifier pre-pass.
struct Scorer: @unchecked Sendable {
    let engine: ComparisonEngine
    let prior: Double
    /// weights[c * 16 + level]
    let weights: UnsafeBufferPointer<Double>
    /// Per comparison: term-frequency adjustment per value code (empty when none).
    let tf: [UnsafeBufferPointer<Float>]
    let exactLevel: [Int]
    let identifierColumns: [(UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Int32>)]
    let dateComparison: Int
    let dateElseLevel: Int
    let dedupe: Bool
    let labels: [[String]]
    /// Comparisons whose last level keeps a pair out of the matches (twins, siblings).
    let distinguishing: [Int]
    let names: [String]

    init(engine: ComparisonEngine, parameters: TrainedParameters, model: LinkageModel, input: LinkageInput, dedupe: Bool) {
        self.engine = engine
        self.dedupe = dedupe
        prior = parameters.priorWeight
        var w = [Double](repeating: 0, count: max(1, engine.comparisons.count) * 16)
        for (c, p) in parameters.comparisons.enumerated() where c < engine.comparisons.count {
            for (l, x) in p.weights.enumerated() where l < 15 { w[c * 16 + l + 1] = x }
        }
        weights = engine.store.copy(w)
        var tf: [UnsafeBufferPointer<Float>] = []
        let counts = TermCounts(engine: engine)
        for (c, cmp) in engine.comparisons.enumerated() {
            guard cmp.termFrequency, cmp.vocabulary >= 0, cmp.exactLevel > 0, c < parameters.comparisons.count else {
                tf.append(engine.store.copy([Float]())); continue
            }
            let uExact = parameters.comparisons[c].u[cmp.exactLevel - 1]
            let (l, r, nl, nr) = counts.counts(c)
            let total = Double(nl + nr)
            var adj = [Float](repeating: 0, count: l.count)
            if total > 0 {
                for v in 0..<l.count {
                    let p = max(Double(l[v] + r[v]) / total, 1 / total)
                    adj[v] = Float(log2Safe(uExact / p))
                }
            }
            tf.append(engine.store.copy(adj))
        }
        self.tf = tf
        exactLevel = engine.comparisons.map(\.exactLevel)
        identifierColumns = model.deterministicFields.compactMap { f in
            guard let k = input.fieldIndex(f) else { return nil }
            let l = engine.store.copy(input.left.columns[k])
            return (l, dedupe ? l : engine.store.copy(input.right.columns[k]))
        }
        if let d = engine.comparisons.firstIndex(where: { $0.kind == .date }) {
            dateComparison = d; dateElseLevel = engine.comparisons[d].levels.count
        } else {
            dateComparison = -1; dateElseLevel = -1
        }
        labels = engine.comparisons.map(\.labels)
        let fields = Set((model.distinguishingFields ?? []).compactMap { input.fieldIndex($0) })
        distinguishing = engine.comparisons.indices.filter { fields.contains(engine.comparisons[$0].field) }
        names = engine.comparisons.map(\.name)
    }

    @inline(__always)
    func weight(_ i: Int, _ j: Int) -> Double {
        var w = prior
        for c in 0..<engine.comparisons.count {
            let l = engine.level(c, i, j)
            w += weights[c &* 16 &+ l]
            if l == exactLevel[c] && tf[c].count > 0 { w += Double(tf[c][Int(engine.leftCode(c, i))]) }
        }
        return w
    }

    /// nil: no shared identifier; true: same identifier, dates agree; false: dates conflict.
    @inline(__always)
    func identifierVerdict(_ i: Int, _ j: Int) -> Bool? {
        for (l, r) in identifierColumns {
            let a = l[i]
            if a >= 0 && a == r[j] {
                if dateComparison >= 0 && engine.level(dateComparison, i, j) == dateElseLevel { return false }
                return true
            }
        }
        return nil
    }

    func scoreChunk(_ range: Range<Int>, rules: [BlockingIndex], maxBlock: Int, reviewWeight: Double,
                    acceptWeight: Double) -> ([ScoredPair], Int, Int) {
        var out: [ScoredPair] = []
        var candidates: [Int32] = []
        candidates.reserveCapacity(256)
        var total = 0, skipped = 0
        for i in range {
            candidates.removeAll(keepingCapacity: true)
            for rule in rules {
                let key = rule.leftKeys[i]
                if key == BlockingIndex.noKey { continue }
                let block = rule.block(key)
                if block.count > maxBlock { skipped += 1; continue }
                for t in block {
                    let j = rule.sortedRecords[t]
                    if dedupe && Int(j) <= i { continue }
                    candidates.append(j)
                }
            }
            if candidates.isEmpty { continue }
            if candidates.count > 1 {
                candidates.sort()
                var w = 1
                for k in 1..<candidates.count where candidates[k] != candidates[w - 1] {
                    candidates[w] = candidates[k]; w += 1
                }
                candidates.removeLast(candidates.count - w)
            }
            total += candidates.count
            for j32 in candidates {
                let j = Int(j32)
                let w = weight(i, j)
                let verdict = identifierVerdict(i, j)
                if let verdict {
                    out.append(ScoredPair(left: Int32(i), right: j32, weight: Float(w),
                                          decision: verdict ? .match : .review,
                                          reason: verdict ? .identifier : .identifierConflict))
                } else if w >= reviewWeight {
                    var held = false
                    for c in distinguishing where engine.level(c, i, j) == engine.comparisons[c].levels.count { held = true }
                    out.append(ScoredPair(left: Int32(i), right: j32, weight: Float(w),
                                          decision: w >= acceptWeight && !held ? .match : .review, reason: .model, held: held))
                }
            }
        }
        return (out, total, skipped)
    }

    func explain(_ i: Int, _ j: Int) -> [Contribution] {
        var out = [Contribution(comparison: "prior", level: "λ", weight: prior)]
        for c in 0..<engine.comparisons.count {
            let l = engine.level(c, i, j)
            var w = weights[c * 16 + l]
            var label = l == 0 ? "null" : labels[c][l - 1]
            if l == exactLevel[c] && tf[c].count > 0 {
                w += Double(tf[c][Int(engine.leftCode(c, i))]); label += " (term frequency)"
            }
            out.append(Contribution(comparison: names[c], level: label, weight: w))
        }
        return out
    }
}

/// How often each value of a comparison's field occurs on each side.
struct TermCounts {
    let engine: ComparisonEngine

    /// Per code: counts on the left and right, and the non-missing totals. Dates (no
    /// vocabulary) are not counted here.
    func counts(_ c: Int) -> ([Int32], [Int32], Int, Int) {
        let h = engine.hot[c]
        let size = max(0, h.v.offsets.count - 1)
        var l = [Int32](repeating: 0, count: size), r = [Int32](repeating: 0, count: size)
        var nl = 0, nr = 0
        for i in 0..<engine.leftCount { let v = h.a[i]; if v >= 0 { l[Int(v)] += 1; nl += 1 } }
        if engine.dedupe { return (l, l, nl, nl) }
        for j in 0..<engine.rightCount { let v = h.b[j]; if v >= 0 { r[Int(v)] += 1; nr += 1 } }
        return (l, r, nl, nr)
    }

    /// u of the exact level: the chance that two random non-missing values agree.
    func exactAgreement(_ c: Int) -> Double {
        let h = engine.hot[c]
        if h.v.offsets.count > 1 {
            let (l, r, nl, nr) = counts(c)
            guard nl > 0 && nr > 0 else { return 0 }
            var s = 0.0
            for v in 0..<l.count where l[v] > 0 && r[v] > 0 { s += Double(l[v]) * Double(r[v]) }
            if engine.dedupe { s -= Double(nl) }  // a record does not pair with itself
            let pairs = engine.dedupe ? Double(nl) * Double(nl - 1) : Double(nl) * Double(nr)
            return max(0, s / max(pairs, 1))
        }
        var l: [Int32: Int] = [:], r: [Int32: Int] = [:]
        var nl = 0, nr = 0
        for i in 0..<engine.leftCount { let v = h.a[i]; if v >= 0 { l[v, default: 0] += 1; nl += 1 } }
        if engine.dedupe { r = l; nr = nl } else {
            for j in 0..<engine.rightCount { let v = h.b[j]; if v >= 0 { r[v, default: 0] += 1; nr += 1 } }
        }
        guard nl > 0 && nr > 0 else { return 0 }
        var s = 0.0
        for (v, x) in l { if let y = r[v] { s += Double(x) * Double(y) } }
        if engine.dedupe { s -= Double(nl) }
        let pairs = engine.dedupe ? Double(nl) * Double(nl - 1) : Double(nl) * Double(nr)
        return max(0, s / max(pairs, 1))
    }

    /// Share of non-missing values on each side.
    func presence(_ c: Int) -> Double {
        let h = engine.hot[c]
        var nl = 0, nr = 0
        for i in 0..<engine.leftCount where h.a[i] >= 0 { nl += 1 }
        if engine.dedupe { nr = nl } else { for j in 0..<engine.rightCount where h.b[j] >= 0 { nr += 1 } }
        let pl = Double(nl) / Double(max(1, engine.leftCount)), pr = Double(nr) / Double(max(1, engine.rightCount))
        return pl * pr
    }
}

/// Unsupervised estimation: u by random sampling (exact levels from the value frequencies),
/// m by EM on blocked pairs with u held fixed (one session per training rule, each leaving out
/// the comparisons on the rule's own fields), and the prior λ from the first session.
struct Trainer: Sendable {
    let engine: ComparisonEngine
    let model: LinkageModel
    let options: LinkageOptions
    let input: LinkageInput
    let dedupe: Bool

    var comparisonCount: Int { engine.comparisons.count }
    func levelCount(_ c: Int) -> Int { engine.comparisons[c].levels.count }

    func train(rules: [BlockingIndex]) async -> TrainedParameters {
        let u = await estimateU()
        var m = (0..<comparisonCount).map { c -> [Double] in
            let spec = model.comparisons[c].levels
            let n = spec.count
            var v = (0..<n).map { l in spec[l].m ?? (l == n - 1 ? 0.02 : 0.5 * pow(0.4, l)) }
            let s = v.reduce(0, +); v = v.map { $0 / s }
            return v
        }
        // Training sessions.
        let trainingRules: [BlockingIndex]
        if let specified = model.trainingRules, !specified.isEmpty {
            trainingRules = await BlockingIndex.build(specified, input: input, dedupe: dedupe)
        } else {
            let identifierFields = Set(model.deterministicFields.compactMap { input.fieldIndex($0) })
            var chosen: [BlockingIndex] = []
            for r in rules where !r.fields.isSubset(of: identifierFields) {
                if chosen.isEmpty || chosen[0].fields.isDisjoint(with: r.fields) { chosen.append(r) }
                if chosen.count == 2 { break }
            }
            trainingRules = chosen
        }
        var estimates = [[[Double]]](repeating: [], count: comparisonCount)
        var firstSession: (pi: Double, pairs: Double, excluded: [Int])? = nil
        for rule in trainingRules {
            let excluded = (0..<comparisonCount).filter { rule.fields.contains(engine.comparisons[$0].field) }
            let patterns = await blockedPatterns(rule)
            if patterns.isEmpty { continue }
            let (pi, mSession) = em(patterns: patterns, u: u, m: m, excluded: Set(excluded))
            for c in 0..<comparisonCount where !excluded.contains(c) { estimates[c].append(mSession[c]) }
            if firstSession == nil { firstSession = (pi, rule.pairCount(dedupe: dedupe), excluded) }
        }
        for c in 0..<comparisonCount where !estimates[c].isEmpty {
            let n = levelCount(c)
            m[c] = (0..<n).map { l in estimates[c].map { $0[l] }.reduce(0, +) / Double(estimates[c].count) }
        }
        // λ
        let totalPairs = dedupe ? Double(engine.leftCount) * Double(engine.leftCount - 1) / 2
                                : Double(engine.leftCount) * Double(engine.rightCount)
        var lambda: Double
        if let given = model.probabilityTwoRandomRecordsMatch {
            lambda = given
        } else if let s = firstSession, totalPairs > 0 {
            let counts = TermCounts(engine: engine)
            var caught = 1.0
            for c in s.excluded {
                let e = engine.comparisons[c].exactLevel
                caught *= (e > 0 ? m[c][e - 1] : 1) * counts.presence(c)
            }
            let matches = s.pi * s.pairs / max(caught, 1e-6)
            lambda = matches / totalPairs
        } else {
            lambda = 1 / max(1, Double(max(engine.leftCount, engine.rightCount)))
        }
        let smaller = Double(min(engine.leftCount, dedupe ? engine.leftCount : engine.rightCount))
        lambda = min(max(lambda, 1 / max(totalPairs, 1)), max(smaller, 1) / max(totalPairs, 1), 0.5)
        return TrainedParameters(lambda: lambda, comparisons: (0..<comparisonCount).map { c in
            TrainedParameters.ComparisonParameters(name: engine.comparisons[c].name, levels: engine.comparisons[c].labels,
                                                   m: m[c].map { max($0, 1e-9) }, u: u[c])
        })
    }

    /// u per comparison and level, among pairs where both values are present.
    func estimateU() async -> [[Double]] {
        let nl = engine.leftCount, nr = engine.rightCount
        let C = comparisonCount
        var counts = [[Double]](repeating: [], count: C)
        var present = [Double](repeating: 0, count: C)
        for c in 0..<C { counts[c] = [Double](repeating: 0, count: levelCount(c) + 1) }
        if nl > 0 && nr > 0 && !(dedupe && nl < 2) {
            let possible = dedupe ? Double(nl) * Double(nl - 1) / 2 : Double(nl) * Double(nr)
            let samples = Int(min(Double(options.uSamplePairs), possible * 4))
            let chunks = 8
            let seed = options.seed
            let engine = self.engine
            let dedupe = self.dedupe
            let partial = await withTaskGroup(of: ([[Double]], [Double]).self) { group in
                for k in 0..<chunks {
                    group.addTask {
                        var rng = SplitMix64(seed: seed &+ UInt64(k) &* 7919)
                        var cnt = [[Double]](repeating: [], count: C)
                        for c in 0..<C { cnt[c] = [Double](repeating: 0, count: engine.comparisons[c].levels.count + 1) }
                        var pres = [Double](repeating: 0, count: C)
                        for _ in 0..<(samples / chunks) {
                            let i = Int(rng.next() % UInt64(nl))
                            var j = Int(rng.next() % UInt64(nr))
                            if dedupe && i == j { j = (j + 1) % nr }
                            for c in 0..<C {
                                let l = engine.level(c, i, j)
                                if l > 0 { cnt[c][l] += 1; pres[c] += 1 }
                            }
                        }
                        return (cnt, pres)
                    }
                }
                var all = [([[Double]], [Double])]()
                for await p in group { all.append(p) }
                return all
            }
            for (cnt, pres) in partial {
                for c in 0..<C {
                    present[c] += pres[c]
                    for l in 0..<cnt[c].count { counts[c][l] += cnt[c][l] }
                }
            }
        }
        let termCounts = TermCounts(engine: engine)
        var u = [[Double]]()
        for c in 0..<C {
            let n = levelCount(c)
            let total = max(present[c], 1)
            var v = (1...n).map { counts[c][$0] / total }
            let e = engine.comparisons[c].exactLevel
            if e > 0 {
                let exact = termCounts.exactAgreement(c)
                let sampledExact = v[e - 1]
                let rest = 1 - sampledExact
                let scale = rest > 0 ? (1 - exact) / rest : 1
                for l in 0..<n { v[l] = (l == e - 1) ? exact : v[l] * scale }
            }
            let floor = 0.5 / total
            v = v.map { max($0, floor) }
            let s = v.reduce(0, +)
            u.append(v.map { $0 / s })
        }
        return u
    }

    /// Level patterns of the pairs of one rule (sampled down to `emMaxPairs`), with counts.
    func blockedPatterns(_ rule: BlockingIndex) async -> [(UInt64, Double)] {
        let total = rule.pairCount(dedupe: dedupe)
        if total == 0 { return [] }
        let keep = min(1, Double(options.emMaxPairs) / total)
        let n = engine.leftCount
        let chunks = 8
        let engine = self.engine, dedupe = self.dedupe, seed = options.seed
        let maxBlock = model.maxBlockSize ?? Int.max
        let parts = await withTaskGroup(of: [UInt64: Double].self) { group in
            for k in 0..<chunks {
                group.addTask {
                    var rng = SplitMix64(seed: seed ^ (UInt64(k) &+ 1) &* 0x1234_5678_9ABC_DEF1)
                    var counts: [UInt64: Double] = [:]
                    for i in (n * k / chunks)..<(n * (k + 1) / chunks) {
                        let key = rule.leftKeys[i]
                        if key == BlockingIndex.noKey { continue }
                        if keep < 1 && Double(rng.next() >> 11) / Double(1 << 53) >= keep { continue }
                        let block = rule.block(key)
                        if block.count > maxBlock { continue }
                        for t in block {
                            let j = Int(rule.sortedRecords[t])
                            if dedupe && j <= i { continue }
                            counts[engine.pattern(i, j), default: 0] += 1
                        }
                    }
                    return counts
                }
            }
            var merged: [UInt64: Double] = [:]
            for await part in group { merged.merge(part, uniquingKeysWith: +) }
            return merged
        }
        return parts.map { ($0.key, $0.value) }
    }

    /// EM for m and the match share π with u fixed; comparisons in `excluded` are left out.
    func em(patterns: [(UInt64, Double)], u: [[Double]], m start: [[Double]], excluded: Set<Int>) -> (Double, [[Double]]) {
        var m = start
        var pi = 0.1
        let C = comparisonCount
        let logU = u.map { $0.map { log2Safe($0) } }
        for _ in 0..<options.emIterations {
            let logM = m.map { $0.map { log2Safe(max($0, 1e-12)) } }
            var sums = (0..<C).map { [Double](repeating: 0, count: levelCount($0)) }
            var matchTotal = 0.0, total = 0.0
            let priorWeight = log2Safe(pi / (1 - pi))
            for (p, count) in patterns {
                var w = priorWeight
                for c in 0..<C where !excluded.contains(c) {
                    let l = Int((p >> UInt64(4 * c)) & 0xF)
                    if l > 0 { w += logM[c][l - 1] - logU[c][l - 1] }
                }
                let q = matchProbability(weight: w)
                matchTotal += q * count; total += count
                for c in 0..<C where !excluded.contains(c) {
                    let l = Int((p >> UInt64(4 * c)) & 0xF)
                    if l > 0 { sums[c][l - 1] += q * count }
                }
            }
            var change = abs(matchTotal / total - pi)
            pi = min(max(matchTotal / total, 1e-9), 1 - 1e-9)
            for c in 0..<C where !excluded.contains(c) {
                // A weak Dirichlet prior (ten pseudo-matches spread as the starting m) keeps a
                // level that the sample happens not to show from getting an absurd weight.
                let s = sums[c].reduce(0, +)
                if s > 0 {
                    let alpha = 10.0
                    let next = sums[c].indices.map { max((sums[c][$0] + alpha * start[c][$0]) / (s + alpha), 1e-9) }
                    for l in 0..<next.count { change = max(change, abs(next[l] - m[c][l])) }
                    m[c] = next
                }
            }
            if change < 1e-6 { break }
        }
        return (pi, m)
    }
}

@inline(__always) func pow(_ x: Double, _ n: Int) -> Double {
    var r = 1.0
    for _ in 0..<n { r *= x }
    return r
}

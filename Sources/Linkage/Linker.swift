/// How a linkage run behaves beyond the model.
public struct LinkageOptions: Sendable {
    /// Link mode: each source holds at most one record per person (e.g. a school roll). A pair's
    /// probability is then weighed against every other candidate either record has (see
    /// ``Clustering/oneToOne(_:leftCount:rightCount:counterpartShare:accept:review:)``), and
    /// each record keeps only its best counterpart among the matches. Losers go to review.
    public var oneToOne = false
    /// Random pairs sampled to estimate u.
    public var uSamplePairs = 2_000_000
    /// Blocked pairs (at most) per EM training session.
    public var emMaxPairs = 2_000_000
    public var emIterations = 60
    public var seed: UInt64 = 0x5EED
    /// Chunks of left records scored in parallel (the pool runs them on every core).
    public var chunks = 64
    public init() {}
}

public enum Decision: String, Sendable, Codable { case match, review }

/// Why a pair was kept.
public enum PairReason: String, Sendable, Codable {
    /// The model's weight.
    case model
    /// The same valid person identifier (NHS number, UPN).
    case identifier
    /// The same identifier but conflicting dates of birth: review.
    case identifierConflict = "identifier_conflict"
}

/// A kept pair: indices into the left and right sources (both left in de-duplication).
public struct ScoredPair: Sendable, Equatable {
    public var left: Int32
    public var right: Int32
    public var weight: Float
    public var decision: Decision
    public var reason: PairReason
    /// A distinguishing field (the first name) differs at its last level: twins and siblings.
    /// Such a pair is never a match on the model's weight alone.
    public var held = false
    /// One-to-one linking only: the chance that the two records are each other's counterpart,
    /// given every candidate either of them has; below 0 when not computed.
    public var oneToOneProbability: Float = -1
    /// The pair's match probability: the one-to-one probability when it was computed, else the
    /// model's probability from the weight.
    public var probability: Double {
        oneToOneProbability >= 0 ? Double(oneToOneProbability) : matchProbability(weight: Double(weight))
    }
}

/// One comparison's part of a pair's weight.
public struct Contribution: Sendable, Equatable, Codable {
    public var comparison: String
    public var level: String
    public var weight: Double
}

public struct LinkageReport: Sendable {
    public var leftRecords = 0
    public var rightRecords = 0
    public var candidatePairs = 0
    public var pairsPerRule: [(rule: String, pairs: Double)] = []
    public var skippedBlocks = 0
    public var matches = 0
    public var reviews = 0
    /// People with more than one record.
    public var linkedPeople = 0
    /// One-to-one linking: the share of left and of right records expected to have a
    /// counterpart on the other side (λ × the other side's size, at most 0.99).
    public var counterpartShare: (left: Double, right: Double)?
    public var issues = InputIssues()
    /// Seconds per stage: encode (done by the caller), train, score, cluster.
    public var timings: [(stage: String, seconds: Double)] = []
}

public struct LinkageResult: Sendable {
    public var pairs: [ScoredPair]
    /// Person number of each left and right record (de-duplication: `rightPerson` is empty).
    public var leftPerson: [Int32]
    public var rightPerson: [Int32]
    public var parameters: TrainedParameters
    public var report: LinkageReport
    let scorer: Scorer

    /// Each comparison's contribution to the weight of left record `l` against right record `r`,
    /// after the prior (first entry, "prior").
    public func explain(left l: Int, right r: Int) -> [Contribution] { scorer.explain(l, r) }
}

public enum LinkageError: Error, CustomStringConvertible, Equatable {
    case model(LinkageModelError)
    public var description: String {
        switch self { case .model(let e): return e.description }
    }
}

/// The Fellegi–Sunter linker. Estimates u by random sampling and m and λ by EM on blocked pairs
/// (no labelled data), scores every blocked pair, applies the identifier pre-pass, decides,
/// and clusters.
public struct Linker: Sendable {
    public let model: LinkageModel
    public let options: LinkageOptions

    public init(model: LinkageModel = .children, options: LinkageOptions = .init()) {
        self.model = model; self.options = options
    }

    /// Links `input.left` with `input.right`.
    public func link(_ input: LinkageInput) async throws(LinkageError) -> LinkageResult {
        try await run(input, dedupe: false, parameters: nil)
    }

    /// Finds the records of `input.left` that are the same person.
    public func dedupe(_ input: LinkageInput) async throws(LinkageError) -> LinkageResult {
        try await run(input, dedupe: true, parameters: nil)
    }

    /// Links with parameters trained before (no training).
    public func link(_ input: LinkageInput, parameters: TrainedParameters, dedupe: Bool = false) async throws(LinkageError) -> LinkageResult {
        try await run(input, dedupe: dedupe, parameters: parameters)
    }

    /// Trains the parameters on `input` (u by sampling, m and λ by EM) without scoring: for a
    /// caller that keeps them and links small increments later with ``link(_:parameters:dedupe:)``.
    public func train(_ input: LinkageInput) async throws(LinkageError) -> TrainedParameters {
        let engine: ComparisonEngine
        do { engine = try ComparisonEngine(model: model, input: input, dedupe: false) } catch { throw .model(error) }
        let rules = await BlockingIndex.build(model.blockingRules, input: input, dedupe: false)
        return await Trainer(engine: engine, model: model, options: options, input: input, dedupe: false).train(rules: rules)
    }

    func run(_ input: LinkageInput, dedupe: Bool, parameters given: TrainedParameters?) async throws(LinkageError) -> LinkageResult {
        let clock = ContinuousClock()
        var report = LinkageReport()
        report.leftRecords = input.left.count
        report.rightRecords = dedupe ? 0 : input.right.count
        report.issues = input.issues
        let engine: ComparisonEngine
        do { engine = try ComparisonEngine(model: model, input: input, dedupe: dedupe) } catch { throw .model(error) }
        var t0 = clock.now
        let rules = await BlockingIndex.build(model.blockingRules, input: input, dedupe: dedupe)
        let trainer = Trainer(engine: engine, model: model, options: options, input: input, dedupe: dedupe)
        let parameters: TrainedParameters
        if let given {
            parameters = given
        } else {
            parameters = await trainer.train(rules: rules)
        }
        let scorer = Scorer(engine: engine, parameters: parameters, model: model, input: input, dedupe: dedupe)
        report.timings.append(("train", (clock.now - t0) / .seconds(1)))
        t0 = clock.now
        let maxBlock = model.maxBlockSize ?? Int.max
        let n = engine.leftCount
        let chunkCount = max(1, min(options.chunks, n / 256 + 1))
        let nRight = dedupe ? 0 : engine.rightCount
        let oneToOne = options.oneToOne && !dedupe
        let reviewWeight: Double
        let acceptWeight = matchWeight(probability: model.acceptProbability)
        let share = (left: min(parameters.lambda * Double(nRight), Clustering.maxCounterpartShare),
                     right: min(parameters.lambda * Double(n), Clustering.maxCounterpartShare))
        if oneToOne {
            // A pair reaches the review threshold on its one-to-one probability with weaker
            // evidence than on its own weight: keep every pair that could.
            reviewWeight = matchWeight(probability: model.reviewProbability) + log2Safe(1 - max(share.left, share.right))
            report.counterpartShare = share
        } else {
            reviewWeight = matchWeight(probability: model.reviewProbability)
        }
        let results = await withTaskGroup(of: (Int, [ScoredPair], Int, Int).self) { group in
            for k in 0..<chunkCount {
                let range = (n * k / chunkCount)..<(n * (k + 1) / chunkCount)
                group.addTask {
                    let (pairs, candidates, skipped) = scorer.scoreChunk(range, rules: rules, maxBlock: maxBlock,
                                                                         reviewWeight: reviewWeight, acceptWeight: acceptWeight)
                    return (k, pairs, candidates, skipped)
                }
            }
            var all = [[ScoredPair]](repeating: [], count: chunkCount)
            var candidates = 0, skipped = 0
            for await (k, pairs, c, s) in group { all[k] = pairs; candidates += c; skipped += s }
            return (all, candidates, skipped)
        }
        var pairs = results.0.flatMap { $0 }
        report.candidatePairs = results.1
        report.skippedBlocks = results.2
        report.pairsPerRule = rules.map { ($0.name, $0.pairCount(dedupe: dedupe)) }
        report.timings.append(("score", (clock.now - t0) / .seconds(1)))
        t0 = clock.now
        if oneToOne {
            Clustering.oneToOne(&pairs, leftCount: n, rightCount: nRight, counterpartShare: share,
                                accept: model.acceptProbability, review: model.reviewProbability)
        }
        let (leftPerson, rightPerson, linked) = Clustering.components(pairs: pairs, leftCount: n, rightCount: nRight, dedupe: dedupe)
        report.linkedPeople = linked
        report.matches = pairs.reduce(0) { $0 + ($1.decision == .match ? 1 : 0) }
        report.reviews = pairs.count - report.matches
        report.timings.append(("cluster", (clock.now - t0) / .seconds(1)))
        return LinkageResult(pairs: pairs, leftPerson: leftPerson, rightPerson: rightPerson, parameters: parameters,
                             report: report, scorer: scorer)
    }
}

/// A small, fast, seedable generator (SplitMix64) for sampling.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

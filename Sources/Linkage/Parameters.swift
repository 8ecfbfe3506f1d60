/// The trained Fellegi–Sunter parameters: the prior λ and, per comparison and level, m and u.
public struct TrainedParameters: Codable, Sendable, Equatable {
    public struct ComparisonParameters: Codable, Sendable, Equatable {
        public var name: String
        /// Level labels, m and u, in the model's level order (level 0, "null", is not listed).
        public var levels: [String]
        public var m: [Double]
        public var u: [Double]
        /// log2(m / u) per level.
        public var weights: [Double] {
            zip(m, u).map { log2Safe($0 / $1) }
        }
    }

    /// Probability that two random records (one from each side) are the same person.
    public var lambda: Double
    public var comparisons: [ComparisonParameters]
    /// Match weight of the prior, log2(λ / (1 − λ)).
    public var priorWeight: Double { log2Safe(lambda / (1 - lambda)) }
}

@inline(__always) func log2Safe(_ x: Double) -> Double {
    // log2 without Foundation: frexp-free via the standard library's exponent and significand.
    if !(x > 0) { return -1000 }
    return Double(x.exponent) + log2Significand(x.significand)
}

/// log2 of a significand in [1, 2), by the series of ln((1+y)/(1−y)).
@inline(__always) func log2Significand(_ s: Double) -> Double {
    let y = (s - 1) / (s + 1)
    let y2 = y * y
    var term = y, sum = 0.0, k = 1.0
    while k < 60 {
        sum += term / k
        term *= y2
        k += 2
        if abs(term) < 1e-17 { break }
    }
    return 2 * sum / 0.693_147_180_559_945_3
}

/// 2^x for the probability of a match weight.
@inline(__always) func exp2Safe(_ x: Double) -> Double {
    if x > 1000 { return .infinity }
    if x < -1000 { return 0 }
    let n = x.rounded(.down)
    let f = x - n  // in [0, 1)
    // e^(f ln 2) by its series
    let z = f * 0.693_147_180_559_945_3
    var term = 1.0, sum = 1.0, k = 1.0
    while k < 30 { term *= z / k; sum += term; if term < 1e-17 { break }; k += 1 }
    return Double(sign: .plus, exponent: Int(n), significand: sum)
}

/// The probability of a match weight: 2^w / (1 + 2^w).
public func matchProbability(weight: Double) -> Double {
    if weight > 60 { return 1 }
    if weight < -60 { return exp2Safe(weight) }
    let p = exp2Safe(weight)
    return p / (1 + p)
}

/// The match weight of a probability: log2(p / (1 − p)).
public func matchWeight(probability p: Double) -> Double {
    if p >= 1 { return .infinity }
    if p <= 0 { return -.infinity }
    return log2Safe(p / (1 - p))
}

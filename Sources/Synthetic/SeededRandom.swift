/// The generator's own pseudo-random numbers: xoshiro256** seeded through SplitMix64.
///
/// Never `SystemRandomNumberGenerator`, and never the standard library's `random(in:)` or
/// `shuffled()` either: their algorithms may change between Swift releases, and the synthetic
/// area must be byte-identical for the same seed and as-of date. Every draw below is written
/// out here, so the output depends only on this file.
///
/// Each part of the generator takes its own *stream* (``SeededRandom/init(seed:stream:index:)``):
/// the households, each person's social-care history, each school's attendance… so changing
/// how many numbers one part draws does not shift every other part.
struct SeededRandom {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A generator for one stream: the area seed, a stream name and an index within it
    /// (e.g. stream `.socialCare`, index = the person id).
    init(seed: UInt64, stream: Stream, index: UInt64 = 0) {
        var mix = SplitMix64(state: seed ^ (stream.rawValue &* 0xA076_1D64_78BD_642F) ^ SplitMix64.hash(index &+ 0x1234_5678))
        s0 = mix.next()
        s1 = mix.next()
        s2 = mix.next()
        s3 = mix.next()
        if (s0 | s1 | s2 | s3) == 0 { s0 = 1 }
    }

    /// The next 64 random bits (xoshiro256**).
    @inline(__always)
    mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inline(__always)
    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

    /// A uniform integer in `0..<n` (Lemire's multiply-and-reject; unbiased). `n` must be > 0.
    @inline(__always)
    mutating func below(_ n: Int) -> Int {
        precondition(n > 0, "below(\(n))")
        let bound = UInt64(n)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return Int(product.high)
    }

    /// A uniform integer in `range`.
    @inline(__always)
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// A uniform double in [0, 1) with 53 random bits.
    @inline(__always)
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// True with probability `p`.
    @inline(__always)
    mutating func chance(_ p: Double) -> Bool {
        unit() < p
    }

    /// One element of a non-empty array, uniformly.
    @inline(__always)
    mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    /// An index drawn with the given integer weights (cumulative table from ``Weighted``).
    @inline(__always)
    mutating func pick<T>(_ table: Weighted<T>) -> T {
        table.value(at: below(table.total))
    }

    /// A roughly bell-shaped integer in `range` (mean of three uniforms), for ages, durations.
    mutating func hump(in range: ClosedRange<Int>) -> Int {
        let span = range.upperBound - range.lowerBound
        let sum = below(span + 1) + below(span + 1) + below(span + 1)
        return range.lowerBound + sum / 3
    }

    /// An integer in `range` skewed towards its lower end (the minimum of two uniforms).
    mutating func skewedLow(in range: ClosedRange<Int>) -> Int {
        min(int(in: range), int(in: range))
    }

    /// Named streams, so each part of the generator has its own independent sequence.
    enum Stream: UInt64 {
        case area = 1, household, names, schools, enrolment, identifiers, socialCare, careLeaver
        case domesticAbuse, marac, police, health, attendance, attendanceSchool, noise, hostile
        case pupilCharacteristics
    }
}

/// SplitMix64: seeds xoshiro and hashes keys into well-mixed 64-bit values.
struct SplitMix64 {
    var state: UInt64

    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mixBits(state)
    }

    @inline(__always)
    static func mixBits(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A well-mixed hash of one value.
    @inline(__always)
    static func hash(_ value: UInt64) -> UInt64 { mixBits(value &+ 0x9E37_79B9_7F4A_7C15) }

    /// A well-mixed hash of several values, order-sensitive.
    static func hash(_ values: UInt64...) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3
        for v in values { h = mixBits(h ^ hash(v)) }
        return h
    }
}

/// Items with integer weights, for weighted picks without floating point.
struct Weighted<T> {
    private let items: [T]
    private let cumulative: [Int]
    let total: Int

    init(_ pairs: [(T, Int)]) {
        var items: [T] = []
        var cumulative: [Int] = []
        var running = 0
        for (item, weight) in pairs where weight > 0 {
            running += weight
            items.append(item)
            cumulative.append(running)
        }
        precondition(running > 0, "Weighted needs a positive total weight")
        self.items = items
        self.cumulative = cumulative
        self.total = running
    }

    /// The item whose cumulative band contains `x` (0 ≤ x < total).
    func value(at x: Int) -> T {
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > x { hi = mid } else { lo = mid + 1 }
        }
        return items[lo]
    }
}

extension Weighted: Sendable where T: Sendable {}

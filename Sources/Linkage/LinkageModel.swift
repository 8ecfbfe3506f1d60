/// A Fellegi–Sunter linkage model described as data: the comparisons and their levels, the
/// blocking rules, and the thresholds. Decode it from JSON (outside this module) and call
/// ``validate()``; or start from ``children``.
///
/// ```json
/// {"comparisons": [{"name": "first_name", "field": "first_name", "swapWith": "surname",
///                   "termFrequency": true,
///                   "levels": [{"type": "exact"}, {"type": "alias"}, {"type": "jaro_winkler", "threshold": 0.92},
///                              {"type": "else"}]}],
///  "blockingRules": [{"name": "dob", "keys": [{"field": "dob"}]}],
///  "acceptProbability": 0.95, "reviewProbability": 0.5}
/// ```
public struct LinkageModel: Codable, Sendable, Equatable {
    public var comparisons: [Comparison]
    public var blockingRules: [BlockingRule]
    /// Pairs at or above this probability are matches.
    public var acceptProbability: Double
    /// Pairs at or above this probability (and below accept) go to review; nothing below is kept.
    public var reviewProbability: Double
    /// The prior λ: the probability that two random records, one from each side, are the same
    /// person. Estimated from the data when absent.
    public var probabilityTwoRandomRecordsMatch: Double?
    /// Fields holding a person identifier: the same valid value is the same person, unless the
    /// dates of birth conflict (then the pair goes to review).
    public var deterministicFields: [String]
    /// Blocks larger than this (records on either side) are skipped, and counted in the report.
    public var maxBlockSize: Int?
    /// The rules whose pairs EM trains on, one session each; each session leaves out the
    /// comparisons of the rule's own fields. The first also estimates λ. Default: the first two
    /// blocking rules on different fields that are not identifiers.
    public var trainingRules: [BlockingRule]?
    /// Fields that tell people apart who share everything else (twins and siblings share a
    /// birth date, a surname and an address, never a first name): a pair whose comparison on
    /// such a field falls in its last level ("else", clearly different) is never matched by
    /// weight alone; it goes to review at most. A shared identifier still matches.
    public var distinguishingFields: [String]?

    public init(comparisons: [Comparison], blockingRules: [BlockingRule], acceptProbability: Double = 0.95,
                reviewProbability: Double = 0.5, probabilityTwoRandomRecordsMatch: Double? = nil,
                deterministicFields: [String] = [], maxBlockSize: Int? = nil, trainingRules: [BlockingRule]? = nil,
                distinguishingFields: [String]? = nil) {
        self.trainingRules = trainingRules
        self.distinguishingFields = distinguishingFields
        self.comparisons = comparisons
        self.blockingRules = blockingRules
        self.acceptProbability = acceptProbability
        self.reviewProbability = reviewProbability
        self.probabilityTwoRandomRecordsMatch = probabilityTwoRandomRecordsMatch
        self.deterministicFields = deterministicFields
        self.maxBlockSize = maxBlockSize
    }

    enum CodingKeys: String, CodingKey {
        case comparisons, blockingRules, acceptProbability, reviewProbability, probabilityTwoRandomRecordsMatch
        case deterministicFields, maxBlockSize, trainingRules, distinguishingFields
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        comparisons = try c.decode([Comparison].self, forKey: .comparisons)
        blockingRules = try c.decodeIfPresent([BlockingRule].self, forKey: .blockingRules) ?? []
        acceptProbability = try c.decodeIfPresent(Double.self, forKey: .acceptProbability) ?? 0.95
        reviewProbability = try c.decodeIfPresent(Double.self, forKey: .reviewProbability) ?? 0.5
        probabilityTwoRandomRecordsMatch = try c.decodeIfPresent(Double.self, forKey: .probabilityTwoRandomRecordsMatch)
        deterministicFields = try c.decodeIfPresent([String].self, forKey: .deterministicFields) ?? []
        maxBlockSize = try c.decodeIfPresent(Int.self, forKey: .maxBlockSize)
        trainingRules = try c.decodeIfPresent([BlockingRule].self, forKey: .trainingRules)
        distinguishingFields = try c.decodeIfPresent([String].self, forKey: .distinguishingFields)
    }

    /// The fields the model reads.
    public var fields: [String] {
        var seen: [String] = []
        func add(_ f: String) { if !seen.contains(f) { seen.append(f) } }
        for c in comparisons { add(c.field); if let s = c.swapWith { add(s) } }
        for r in blockingRules + (trainingRules ?? []) { for k in r.keys { add(k.field) } }
        for f in deterministicFields { add(f) }
        return seen
    }

    /// Throws ``LinkageModelError`` naming every unknown comparison type, transform or misuse.
    public func validate() throws(LinkageModelError) {
        var unknown: [String] = []
        var problems: [String] = []
        for c in comparisons {
            if c.levels.isEmpty { problems.append("comparison '\(c.name)' has no levels") }
            for level in c.levels {
                guard let type = ComparisonType(rawValue: level.type) else {
                    if !unknown.contains(level.type) { unknown.append(level.type) }
                    continue
                }
                let kind = c.fieldKind
                if !type.applies(to: kind) {
                    problems.append("comparison '\(c.name)': level '\(level.type)' does not apply to a \(kind.rawValue) field")
                }
                if type.needsThreshold && level.threshold == nil {
                    problems.append("comparison '\(c.name)': level '\(level.type)' needs a threshold")
                }
                if type == .swapped && c.swapWith == nil {
                    problems.append("comparison '\(c.name)': level 'swapped' needs \"swapWith\"")
                }
            }
            if let last = c.levels.last?.type, last != ComparisonType.else.rawValue, ComparisonType(rawValue: last) != nil {
                problems.append("comparison '\(c.name)' must end with an 'else' level")
            }
            if let k = c.kind, FieldKind(rawValue: k) == nil {
                problems.append("comparison '\(c.name)': unknown field kind '\(k)'")
            }
        }
        for r in blockingRules + (trainingRules ?? []) {
            for k in r.keys where k.transform != nil && BlockingTransform(rawValue: k.transform!) == nil {
                problems.append("blocking rule '\(r.name)': unknown transform '\(k.transform!)'")
            }
            if r.keys.isEmpty { problems.append("blocking rule '\(r.name)' has no keys") }
        }
        if comparisons.count > 16 { problems.append("at most 16 comparisons") }
        for c in comparisons where c.levels.count > 15 { problems.append("comparison '\(c.name)' has more than 15 levels") }
        if !(0...1).contains(acceptProbability) || !(0...1).contains(reviewProbability) || reviewProbability > acceptProbability {
            problems.append("thresholds must satisfy 0 ≤ reviewProbability ≤ acceptProbability ≤ 1")
        }
        if !unknown.isEmpty { throw .unknownComparisonTypes(unknown) }
        if !problems.isEmpty { throw .invalid(problems) }
    }
}

public enum LinkageModelError: Error, Equatable, CustomStringConvertible {
    case unknownComparisonTypes([String])
    case invalid([String])

    public var description: String {
        switch self {
        case .unknownComparisonTypes(let names):
            return "unknown comparison type\(names.count == 1 ? "" : "s"): \(names.joined(separator: ", ")) (known: \(ComparisonType.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .invalid(let problems):
            return "invalid model: " + problems.joined(separator: "; ")
        }
    }
}

/// What a field holds; decides how its values are normalised and which levels apply.
public enum FieldKind: String, Codable, Sendable, CaseIterable {
    case name, date, postcode, nhsNumber = "nhs_number", upn, sex, string

    /// The kind of a well-known field name; anything else is a generic string.
    public static func of(field: String) -> FieldKind {
        switch field {
        case "first_name", "forename", "given_name", "surname", "last_name", "family_name", "middle_name", "name": return .name
        case "dob", "date_of_birth", "birth_date": return .date
        case "postcode", "post_code": return .postcode
        case "nhs_number", "nhs": return .nhsNumber
        case "upn": return .upn
        case "sex", "gender": return .sex
        default: return .string
        }
    }
}

/// One comparison: a field (or two, for swapped names) and its levels, best first.
public struct Comparison: Codable, Sendable, Equatable {
    public var name: String
    public var field: String
    /// The field kind; by default from the field's name (``FieldKind/of(field:)``).
    public var kind: String?
    /// For the `swapped` level: the other name field (first name ↔ surname).
    public var swapWith: String?
    /// Weigh an exact agreement by how common the value is.
    public var termFrequency: Bool?
    public var levels: [Level]

    public init(name: String, field: String, kind: FieldKind? = nil, swapWith: String? = nil,
                termFrequency: Bool = false, levels: [Level]) {
        self.name = name; self.field = field; self.kind = kind?.rawValue; self.swapWith = swapWith
        self.termFrequency = termFrequency; self.levels = levels
    }

    public var fieldKind: FieldKind { kind.flatMap(FieldKind.init(rawValue:)) ?? FieldKind.of(field: field) }

    public struct Level: Codable, Sendable, Equatable {
        /// A ``ComparisonType`` raw value.
        public var type: String
        public var threshold: Double?
        /// Starting (or fixed) m and u probabilities.
        public var m: Double?
        public var u: Double?

        public init(_ type: ComparisonType, threshold: Double? = nil, m: Double? = nil, u: Double? = nil) {
            self.type = type.rawValue; self.threshold = threshold; self.m = m; self.u = u
        }
        public init(type: String, threshold: Double? = nil) { self.type = type; self.threshold = threshold }

        public var label: String {
            if let t = threshold { return "\(type) \(t)" }
            return type
        }
    }
}

/// The kinds of comparison level. A pair falls in the first level (in the model's order) that
/// it satisfies; a level `null` (either value missing) comes before all of them implicitly.
public enum ComparisonType: String, Codable, Sendable, CaseIterable {
    case exact
    /// Names in the same alias group (William / Bill).
    case alias
    /// Jaro–Winkler similarity ≥ threshold.
    case jaroWinkler = "jaro_winkler"
    /// Damerau–Levenshtein distance ≤ threshold.
    case damerauLevenshtein = "damerau_levenshtein"
    /// The same NYSIIS phonetic key.
    case phonetic
    /// This field equals the other record's `swapWith` field and the other way round.
    case swapped
    /// Day and month swapped.
    case dateDayMonthSwapped = "date_day_month_swapped"
    /// Same day and month, years `threshold` (default 1) apart.
    case dateYearsApart = "date_years_apart"
    /// Exactly one of day, month and year differs.
    case dateOnePartDiffers = "date_one_part_differs"
    case postcodeSector = "postcode_sector"
    case postcodeDistrict = "postcode_district"
    case `else`

    var needsThreshold: Bool { self == .jaroWinkler || self == .damerauLevenshtein }

    func applies(to kind: FieldKind) -> Bool {
        switch self {
        case .exact, .else: return true
        case .alias, .swapped, .phonetic: return kind == .name
        case .jaroWinkler, .damerauLevenshtein: return kind == .name || kind == .string || kind == .postcode
        case .dateDayMonthSwapped, .dateYearsApart, .dateOnePartDiffers: return kind == .date
        case .postcodeSector, .postcodeDistrict: return kind == .postcode
        }
    }
}

/// Candidate pairs are those that agree on every key of at least one rule.
public struct BlockingRule: Codable, Sendable, Equatable {
    public var name: String
    public var keys: [Key]
    /// Two name fields whose order does not matter in this rule (catches swapped names).
    public var unordered: [String]?

    public init(name: String, keys: [Key], unordered: [String]? = nil) {
        self.name = name; self.keys = keys; self.unordered = unordered
    }

    public struct Key: Codable, Sendable, Equatable {
        public var field: String
        /// A ``BlockingTransform`` raw value; the whole value when absent.
        public var transform: String?
        public init(_ field: String, _ transform: BlockingTransform? = nil) { self.field = field; self.transform = transform?.rawValue }
    }
}

public enum BlockingTransform: String, Codable, Sendable, CaseIterable {
    /// `monthDay`: a date without its year (a birth year keyed one out).
    case value, phonetic, initial, year, monthDay, sector, district
}

/// Which file a record came from. In de-duplication only `left` is used.
public enum Side: Sendable { case left, right }

/// The distinct normalised values of one field (or of all name fields together, so that a
/// first name can be compared with a surname), and what is precomputed from each once.
struct Vocabulary: Sendable {
    var index: [[UInt8]: Int32] = [:]
    /// The normalised bytes of every value, flattened: value `c` is `bytes[offsets[c]..<offsets[c+1]]`.
    var bytes: [UInt8] = []
    var offsets: [Int32] = [0]
    /// Names: the NYSIIS key code, the first letter, and the alias groups
    /// (`aliasGroups[aliasOffsets[c]..<aliasOffsets[c+1]]`).
    var phonetic: [Int32] = []
    var initial: [UInt8] = []
    var aliasGroups: [Int32] = []
    var aliasOffsets: [Int32] = [0]
    var phoneticIndex: [[UInt8]: Int32] = [:]
    /// Postcodes: the sector ("EB1 4") and district ("EB1") codes, -1 when not a postcode shape.
    var sector: [Int32] = []
    var district: [Int32] = []
    var sectorIndex: [[UInt8]: Int32] = [:]
    var districtIndex: [[UInt8]: Int32] = [:]

    var count: Int { offsets.count - 1 }

    mutating func code(for value: [UInt8], kind: FieldKind) -> Int32 {
        if let c = index[value] { return c }
        let c = Int32(count)
        index[value] = c
        bytes.append(contentsOf: value)
        offsets.append(Int32(bytes.count))
        switch kind {
        case .name:
            let key = Phonetic.nysiis(value)
            if key.isEmpty {
                phonetic.append(-1)
            } else if let p = phoneticIndex[key] {
                phonetic.append(p)
            } else {
                let p = Int32(phoneticIndex.count); phoneticIndex[key] = p; phonetic.append(p)
            }
            initial.append(value.first ?? 0)
            aliasGroups.append(contentsOf: NameAliases.english.groups(of: value))
            aliasOffsets.append(Int32(aliasGroups.count))
        case .postcode:
            if value.count >= 5, value.count <= 7 {
                let outward = Array(value.prefix(value.count - 3))
                let sec = outward + [0x20, value[value.count - 3]]
                sector.append(Self.intern(sec, in: &sectorIndex))
                district.append(Self.intern(outward, in: &districtIndex))
            } else {
                sector.append(-1); district.append(-1)
            }
        default: break
        }
        return c
    }

    static func intern(_ v: [UInt8], in dict: inout [[UInt8]: Int32]) -> Int32 {
        if let c = dict[v] { return c }
        let c = Int32(dict.count); dict[v] = c; return c
    }

    func value(_ c: Int32) -> [UInt8] { Array(bytes[Int(offsets[Int(c)])..<Int(offsets[Int(c) + 1])]) }
}

/// One side's records, column by column, every value reduced to an integer: a vocabulary code
/// (or -1 when missing), or for dates `year * 10000 + month * 100 + day`.
public struct EncodedSource: Sendable {
    public internal(set) var ids: [String] = []
    var columns: [[Int32]]
    public var count: Int { ids.count }
    init(fieldCount: Int) { columns = Array(repeating: [], count: fieldCount) }
}

/// What the input held that the linker could not use, for the report.
public struct InputIssues: Sendable, Equatable {
    /// Per field: values present but not a valid date / NHS number / UPN / postcode shape, treated as missing.
    public var unparseable: [String: Int] = [:]
    /// Ids that occur more than once within a side (first few), and how many repeats.
    public var duplicateIds: [String] = []
    public var duplicateIdCount = 0
    public init() {}
}

/// The records of both sides, encoded once for fast comparison. Build it row by row with
/// ``append(_:id:values:)``, values in the order of ``fields``; then hand it to ``Linker``.
public struct LinkageInput: Sendable {
    public let fields: [String]
    let kinds: [FieldKind]
    /// Vocabulary number of each field (-1: dates, which need none). All name fields share one.
    let vocabularyOf: [Int]
    var vocabularies: [Vocabulary]
    public internal(set) var left: EncodedSource
    public internal(set) var right: EncodedSource
    public internal(set) var issues = InputIssues()
    private var seenIds: [Side: Set<String>] = [.left: [], .right: []]
    private var rawCache: [[String: Int32]]

    /// `fields`: the fields you will supply (normally `model.fields`); their kinds come from the
    /// model's comparisons, or from the field name.
    public init(model: LinkageModel, fields: [String]? = nil) {
        let fields = fields ?? model.fields
        self.fields = fields
        var kinds: [FieldKind] = []
        for f in fields {
            kinds.append(model.comparisons.first(where: { $0.field == f })?.fieldKind ?? FieldKind.of(field: f))
        }
        self.kinds = kinds
        var vocabularyOf: [Int] = []
        var count = 0
        var nameVocabulary = -1
        for k in kinds {
            switch k {
            case .date: vocabularyOf.append(-1)
            case .name:
                if nameVocabulary < 0 { nameVocabulary = count; count += 1 }
                vocabularyOf.append(nameVocabulary)
            default: vocabularyOf.append(count); count += 1
            }
        }
        self.vocabularyOf = vocabularyOf
        vocabularies = Array(repeating: Vocabulary(), count: count)
        left = EncodedSource(fieldCount: fields.count)
        right = EncodedSource(fieldCount: fields.count)
        rawCache = Array(repeating: [:], count: fields.count)
    }

    public func fieldIndex(_ name: String) -> Int? { fields.firstIndex(of: name) }

    /// Adds one record. `values[k]` is the raw text of `fields[k]`; nil or empty is missing.
    public mutating func append(_ side: Side, id: String, values: [String?]) {
        precondition(values.count == fields.count, "one value per field")
        if !seenIds[side, default: []].insert(id).inserted {
            issues.duplicateIdCount += 1
            if issues.duplicateIds.count < 10 { issues.duplicateIds.append(id) }
        }
        var codes = [Int32](repeating: -1, count: fields.count)
        for k in 0..<fields.count {
            guard let raw = values[k], !raw.isEmpty else { continue }
            codes[k] = encode(raw, field: k)
        }
        switch side {
        case .left:
            left.ids.append(id)
            for k in 0..<fields.count { left.columns[k].append(codes[k]) }
        case .right:
            right.ids.append(id)
            for k in 0..<fields.count { right.columns[k].append(codes[k]) }
        }
    }

    private mutating func encode(_ raw: String, field k: Int) -> Int32 {
        let kind = kinds[k]
        switch kind {
        case .date:
            if let d = FieldParsers.packedDate(raw) { return d }
            if !raw.allSatisfy({ $0 == " " }) { issues.unparseable[fields[k], default: 0] += 1 }
            return -1
        case .nhsNumber:
            guard let n = FieldParsers.nhsNumber(raw) else {
                issues.unparseable[fields[k], default: 0] += 1; return -1
            }
            var digits: [UInt8] = []
            var x = n
            for _ in 0..<10 { digits.append(UInt8(x % 10) + 0x30); x /= 10 }
            return vocabularies[vocabularyOf[k]].code(for: digits, kind: kind)
        case .upn:
            guard let u = FieldParsers.upn(raw) else { issues.unparseable[fields[k], default: 0] += 1; return -1 }
            return vocabularies[vocabularyOf[k]].code(for: u, kind: kind)
        default:
            if let c = rawCache[k][raw] { return c }
            let normalised: [UInt8]
            switch kind {
            case .sex:
                guard let s = FieldParsers.sex(raw) else { rawCache[k][raw] = -1; return -1 }
                normalised = [s]
            case .postcode:
                normalised = TextNormaliser.letters(raw)
            case .name: normalised = TextNormaliser.letters(raw, keepDigits: false)
            default: normalised = TextNormaliser.words(raw)
            }
            let c = normalised.isEmpty ? -1 : vocabularies[vocabularyOf[k]].code(for: normalised, kind: kind)
            if rawCache[k].count < 1_000_000 { rawCache[k][raw] = c }
            return c
        }
    }

    /// Frees the caches used while appending (call before linking large inputs).
    public mutating func finishAppending() {
        rawCache = Array(repeating: [:], count: fields.count)
        seenIds = [.left: [], .right: []]
    }
}

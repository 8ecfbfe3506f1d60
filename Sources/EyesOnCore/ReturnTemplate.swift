/// A figure EyesOn works out from the feeds' and the hand-recorded data, as of a date and over the
/// period (the weeks) before it. A return is a template of these, so a partnership's own return is
/// a new template (a setting), not new code. Every measure counts children (or referrals), so each
/// can be opened to the list behind it.
public enum ReturnMeasure: String, CaseIterable, Codable, Sendable {
    // Children's social care on the as-of date (CIN census, SSDA903).
    case lookedAfter = "looked-after"
    case protectionPlan = "protection-plan"
    case otherInNeed = "other-in-need"
    // Of each, those a social worker saw in the period (contacts and visits recorded in EyesOn).
    case lookedAfterSeen = "looked-after-seen"
    case protectionPlanSeen = "protection-plan-seen"
    case otherInNeedSeen = "other-in-need-seen"
    // Activity in the period.
    case referrals = "referrals"
    case referralsLastYear = "referrals-last-year"
    case startedLookedAfter = "started-looked-after"
    case placedOutOfArea = "placed-out-of-area"
    case missingEpisodes = "missing-episodes"
    // The partnership's own list and notices.
    case onTheList = "on-the-list"
    case listedNotSeen = "listed-not-seen"
    case encompassNotices = "encompass-notices"

    /// What the figure counts, in words (the return page's and the export's description).
    public var title: String {
        switch self {
        case .lookedAfter: "children looked after on the date (SSDA903)"
        case .protectionPlan: "children on a child protection plan on the date (CIN census)"
        case .otherInNeed: "other children in need on the date: an open episode of need, not looked after and not on a plan (CIN census)"
        case .lookedAfterSeen: "children looked after whom a social worker saw in the period"
        case .protectionPlanSeen: "children on a child protection plan whom a social worker saw in the period"
        case .otherInNeedSeen: "other children in need whom a social worker saw in the period"
        case .referrals: "referrals to children's social care received in the period (front-door referrals feed)"
        case .referralsLastYear: "referrals received in the same period a year earlier (front-door referrals feed)"
        case .startedLookedAfter: "children who started to be looked after in the period (SSDA903, a new period of care)"
        case .placedOutOfArea: "children looked after placed outside the area on the date (SSDA903)"
        case .missingEpisodes: "children looked after who went missing or were away from placement in the period (SSDA903)"
        case .onTheList: "children on the partnership's agreed list on the date"
        case .listedNotSeen: "children on the agreed list whom nobody saw in the period (contacts recorded in EyesOn)"
        case .encompassNotices: "children an Operation Encompass notice was sent about in the period"
        }
    }

    /// For a "seen" measure, the group it is a share of.
    public var shareOf: ReturnMeasure? {
        switch self {
        case .lookedAfterSeen: .lookedAfter
        case .protectionPlanSeen: .protectionPlan
        case .otherInNeedSeen: .otherInNeed
        case .listedNotSeen: .onTheList
        default: nil
        }
    }
}

/// A return: the measures EyesOn works out and the fields someone fills in by hand, reviewed,
/// signed off by a named person and exported. The partnership may add its own (setting
/// `return-templates`); a template with a built-in key replaces the built-in one.
public struct ReturnTemplate: Codable, Sendable, Equatable {
    public var key: String
    public var title: String
    /// Who the return is for and how often it is due, in words.
    public var about: String
    /// The activity window: the days up to and including the as-of date (the VCYP used 4 weeks).
    public var periodDays: Int
    public var lines: [Line]

    public init(key: String, title: String, about: String, periodDays: Int, lines: [Line]) {
        self.key = key
        self.title = title
        self.about = about
        self.periodDays = periodDays
        self.lines = lines
    }

    /// One line of the return: a measure, or a field filled in by hand.
    public struct Line: Codable, Sendable, Equatable {
        public var key: String
        public var label: String
        /// The figure EyesOn works out; nil for a field filled in by hand.
        public var measure: ReturnMeasure?
        /// A field filled in by hand: what it holds.
        public var manual: ManualKind?
        /// A hand-filled percentage above this is flagged (the VCYP's "more than 10% unavailable").
        public var flagAbove: Double?

        public init(key: String, label: String, measure: ReturnMeasure? = nil, manual: ManualKind? = nil, flagAbove: Double? = nil) {
            self.key = key
            self.label = label
            self.measure = measure
            self.manual = manual
            self.flagAbove = flagAbove
        }
    }

    public enum ManualKind: String, Codable, Sendable, CaseIterable {
        case count, percent, text

        /// Checks a value typed into the field; nil when it is acceptable (an empty value is: not known).
        public func problem(with value: String) -> String? {
            let v = value.trimmingCharacters(in: .whitespaces)
            guard !v.isEmpty else { return nil }
            switch self {
            case .count:
                guard let n = Int(v), n >= 0, n <= 10_000_000 else { return "must be a whole number, 0 or more" }
            case .percent:
                guard let p = Double(v), p.isFinite, p >= 0, p <= 100 else { return "must be a percentage from 0 to 100" }
            case .text:
                guard v.count <= 2_000 else { return "must be at most 2,000 characters" }
            }
            return nil
        }
    }

    /// The Vulnerable Children and Young People Survey (STANDARDS §6): the DfE's fortnightly or
    /// monthly snapshot of children's social care, with the last 4 weeks' activity.
    public static let vcyp = ReturnTemplate(
        key: "vcyp", title: "Vulnerable Children and Young People Survey",
        about: "The DfE's survey of children's social care: the children supported on the date, whether a social worker saw them in the last 4 weeks, the workforce, referrals and children starting to be looked after.",
        periodDays: 28,
        lines: [
            Line(key: "cla", label: "Children looked after", measure: .lookedAfter),
            Line(key: "cpp", label: "Children on a child protection plan", measure: .protectionPlan),
            Line(key: "cin", label: "Other children in need", measure: .otherInNeed),
            Line(key: "cla-seen", label: "Children looked after seen by a social worker in the last 4 weeks", measure: .lookedAfterSeen),
            Line(key: "cpp-seen", label: "Children on a child protection plan seen by a social worker in the last 4 weeks", measure: .protectionPlanSeen),
            Line(key: "cin-seen", label: "Other children in need seen by a social worker in the last 4 weeks", measure: .otherInNeedSeen),
            Line(key: "sw-unavailable", label: "Social workers unavailable (%)", manual: .percent, flagAbove: 10),
            Line(key: "residential-unavailable", label: "Residential care staff unavailable (%)", manual: .percent, flagAbove: 10),
            Line(key: "referrals", label: "Referrals in the last 4 weeks", measure: .referrals),
            Line(key: "referrals-last-year", label: "Referrals in the same 4 weeks last year", measure: .referralsLastYear),
            Line(key: "started-cla", label: "Children who started to be looked after in the last 4 weeks", measure: .startedLookedAfter),
            Line(key: "comments", label: "Comments for the DfE", manual: .text),
        ])

    /// The partnership's monthly picture for its executive: an example of a return a partnership
    /// defines for itself from the same measures.
    public static let partnershipMonthly = ReturnTemplate(
        key: "partnership-monthly", title: "Partnership monthly safeguarding picture",
        about: "The safeguarding partnership's own monthly figures for its executive: the agreed list, who has not been seen, and what the police and placements told us.",
        periodDays: 30,
        lines: [
            Line(key: "listed", label: "Children on the agreed list", measure: .onTheList),
            Line(key: "listed-not-seen", label: "Listed children nobody saw this month", measure: .listedNotSeen),
            Line(key: "encompass", label: "Children with an Operation Encompass notice this month", measure: .encompassNotices),
            Line(key: "missing", label: "Children looked after missing or away from placement this month", measure: .missingEpisodes),
            Line(key: "out-of-area", label: "Children looked after placed outside the area", measure: .placedOutOfArea),
            Line(key: "narrative", label: "What the executive should know", manual: .text),
        ])

    public static let builtIn: [ReturnTemplate] = [vcyp, partnershipMonthly]

    /// The built-in templates with the partnership's own: each replaces the built-in one with its key, or is added.
    public static func merged(_ own: [ReturnTemplate]) -> [ReturnTemplate] {
        var templates = builtIn
        for template in own {
            if let i = templates.firstIndex(where: { $0.key == template.key }) { templates[i] = template } else { templates.append(template) }
        }
        return templates
    }

    /// Checks a partnership's templates; the error names the template, the line and what is wrong.
    public static func validate(_ templates: [ReturnTemplate]) throws(ReturnTemplateError) {
        func isKey(_ s: String) -> Bool { !s.isEmpty && s.count <= 60 && s.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" } }
        var keys: Set<String> = []
        for template in templates {
            let name = template.key.isEmpty ? "a template" : "template '\(template.key)'"
            guard isKey(template.key) else { throw ReturnTemplateError(message: "\(name): key must be 1 to 60 letters, digits and hyphens") }
            guard keys.insert(template.key).inserted else { throw ReturnTemplateError(message: "\(name) is given twice") }
            guard !template.title.trimmingCharacters(in: .whitespaces).isEmpty else { throw ReturnTemplateError(message: "\(name): title is empty") }
            guard (1...366).contains(template.periodDays) else { throw ReturnTemplateError(message: "\(name): periodDays must be 1 to 366") }
            guard !template.lines.isEmpty, template.lines.count <= 100 else { throw ReturnTemplateError(message: "\(name): lines must hold 1 to 100 lines") }
            var lineKeys: Set<String> = []
            for (i, line) in template.lines.enumerated() {
                let where_ = "\(name), line \(i + 1)" + (line.key.isEmpty ? "" : " '\(line.key)'")
                guard isKey(line.key) else { throw ReturnTemplateError(message: "\(where_): key must be 1 to 60 letters, digits and hyphens") }
                guard lineKeys.insert(line.key).inserted else { throw ReturnTemplateError(message: "\(where_): key is given twice") }
                guard !line.label.trimmingCharacters(in: .whitespaces).isEmpty else { throw ReturnTemplateError(message: "\(where_): label is empty") }
                guard (line.measure == nil) != (line.manual == nil) else {
                    throw ReturnTemplateError(message: "\(where_): give either a measure (\(ReturnMeasure.allCases.map(\.rawValue).joined(separator: ", "))) or manual (count, percent, text), not both or neither")
                }
                if line.flagAbove != nil, line.manual != .percent {
                    throw ReturnTemplateError(message: "\(where_): flagAbove applies only to a manual percent field")
                }
            }
        }
    }
}

/// A partnership's return templates could not be accepted.
public struct ReturnTemplateError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

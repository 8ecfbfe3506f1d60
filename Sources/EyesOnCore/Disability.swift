/// CIN census disability codes (STANDARDS §1.4). `none` cannot be combined with others
/// (rule 8790) and codes must not repeat (rule 8794): see ``validate(_:)``.
public enum Disability: String, CaseIterable, Codable, Sendable, CodeList {
    case none = "NONE", mobility = "MOB", handFunction = "HAND", personalCare = "PC", incontinence = "INC"
    case communication = "COMM", learning = "LD", hearing = "HEAR", vision = "VIS", behaviour = "BEH"
    case consciousness = "CON", autism = "AUT", other = "DDA"

    public static let listName = "disability code"

    public var label: String {
        switch self {
        case .none: "No disability"
        case .mobility: "Mobility"
        case .handFunction: "Hand function"
        case .personalCare: "Personal care"
        case .incontinence: "Incontinence"
        case .communication: "Communication"
        case .learning: "Learning"
        case .hearing: "Hearing"
        case .vision: "Vision"
        case .behaviour: "Behaviour"
        case .consciousness: "Consciousness"
        case .autism: "Autism"
        case .other: "Other disability"
        }
    }

    /// Checks a child's list of disability codes: no repeats, and NONE only on its own.
    public static func validate(_ codes: [Disability]) throws(CodeError) {
        var seen = Set<Disability>()
        for code in codes where !seen.insert(code).inserted {
            throw CodeError(list: listName, code: code.rawValue, reason: "is repeated; each disability is recorded once")
        }
        if codes.contains(.none) && codes.count > 1 {
            throw CodeError(list: listName, code: "NONE", reason: "cannot be combined with other disability codes")
        }
    }
}

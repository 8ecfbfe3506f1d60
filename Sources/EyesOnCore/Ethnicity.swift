/// Ethnicity codes used in the CIN census and SSDA903 (STANDARDS §1.4).
public enum Ethnicity: String, CaseIterable, Codable, Sendable, CodeList {
    case whiteBritish = "WBRI", whiteIrish = "WIRI", travellerOfIrishHeritage = "WIRT", anyOtherWhite = "WOTH"
    case gypsyRoma = "WROM"
    case whiteAndBlackCaribbean = "MWBC", whiteAndBlackAfrican = "MWBA", whiteAndAsian = "MWAS", anyOtherMixed = "MOTH"
    case indian = "AIND", pakistani = "APKN", bangladeshi = "ABAN", anyOtherAsian = "AOTH"
    case caribbean = "BCRB", african = "BAFR", anyOtherBlack = "BOTH"
    case chinese = "CHNE", anyOtherEthnicGroup = "OOTH", refused = "REFU", notYetObtained = "NOBT"

    public static let listName = "ethnicity code"

    public var label: String {
        switch self {
        case .whiteBritish: "White British"
        case .whiteIrish: "White Irish"
        case .travellerOfIrishHeritage: "Traveller of Irish heritage"
        case .anyOtherWhite: "Any other White background"
        case .gypsyRoma: "Gypsy/Roma"
        case .whiteAndBlackCaribbean: "White and Black Caribbean"
        case .whiteAndBlackAfrican: "White and Black African"
        case .whiteAndAsian: "White and Asian"
        case .anyOtherMixed: "Any other mixed background"
        case .indian: "Indian"
        case .pakistani: "Pakistani"
        case .bangladeshi: "Bangladeshi"
        case .anyOtherAsian: "Any other Asian background"
        case .caribbean: "Caribbean"
        case .african: "African"
        case .anyOtherBlack: "Any other Black background"
        case .chinese: "Chinese"
        case .anyOtherEthnicGroup: "Any other ethnic group"
        case .refused: "Refused"
        case .notYetObtained: "Information not yet obtained"
        }
    }
}

/// The hidden-children finder's windows, thresholds and points (the partnership setting
/// `hidden-children`): which children not on the agreed list it names, and how it ranks them.
/// The score is the sum of the points of the factors found, each shown with its evidence.
public struct HiddenChildrenPolicy: Codable, Sendable, Equatable {
    /// Referrals to children's social care counted over this many months…
    public var referralMonths: Int
    /// …at least this many make the "repeated referrals" factor.
    public var referralsAtLeast: Int
    /// Closed to children's social care (no referral open) within this many months.
    public var closedWithinMonths: Int
    /// Points per factor.
    public var repeatedReferralsPoints: Int
    public var recentlyClosedPoints: Int
    /// An unborn child or a child under one in the household of a child the finder names.
    public var infantInHouseholdPoints: Int
    /// Operation Encompass notices counted over this many months, at least this many, and
    /// their points. (Settings stored before these existed read with the defaults.)
    public var noticeMonths: Int
    public var noticesAtLeast: Int
    public var noticesPoints: Int
    /// A child in the household of a MARAC case discussed within this many months, and its points.
    public var maracMonths: Int
    public var maracPoints: Int
    /// A looked-after child missing or away from placement within this many months (SSDA903), and its points.
    public var missingMonths: Int
    public var missingPoints: Int

    enum CodingKeys: String, CodingKey {
        case referralMonths, referralsAtLeast, closedWithinMonths, repeatedReferralsPoints, recentlyClosedPoints, infantInHouseholdPoints
        case noticeMonths, noticesAtLeast, noticesPoints, maracMonths, maracPoints, missingMonths, missingPoints
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.defaults
        referralMonths = try c.decode(Int.self, forKey: .referralMonths)
        referralsAtLeast = try c.decode(Int.self, forKey: .referralsAtLeast)
        closedWithinMonths = try c.decode(Int.self, forKey: .closedWithinMonths)
        repeatedReferralsPoints = try c.decode(Int.self, forKey: .repeatedReferralsPoints)
        recentlyClosedPoints = try c.decode(Int.self, forKey: .recentlyClosedPoints)
        infantInHouseholdPoints = try c.decode(Int.self, forKey: .infantInHouseholdPoints)
        noticeMonths = try c.decodeIfPresent(Int.self, forKey: .noticeMonths) ?? d.noticeMonths
        noticesAtLeast = try c.decodeIfPresent(Int.self, forKey: .noticesAtLeast) ?? d.noticesAtLeast
        noticesPoints = try c.decodeIfPresent(Int.self, forKey: .noticesPoints) ?? d.noticesPoints
        maracMonths = try c.decodeIfPresent(Int.self, forKey: .maracMonths) ?? d.maracMonths
        maracPoints = try c.decodeIfPresent(Int.self, forKey: .maracPoints) ?? d.maracPoints
        missingMonths = try c.decodeIfPresent(Int.self, forKey: .missingMonths) ?? d.missingMonths
        missingPoints = try c.decodeIfPresent(Int.self, forKey: .missingPoints) ?? d.missingPoints
    }

    public init(referralMonths: Int, referralsAtLeast: Int, closedWithinMonths: Int,
                repeatedReferralsPoints: Int, recentlyClosedPoints: Int, infantInHouseholdPoints: Int,
                noticeMonths: Int = 12, noticesAtLeast: Int = 2, noticesPoints: Int = 3, maracMonths: Int = 6, maracPoints: Int = 4,
                missingMonths: Int = 6, missingPoints: Int = 4) {
        self.missingMonths = missingMonths
        self.missingPoints = missingPoints
        self.maracMonths = maracMonths
        self.maracPoints = maracPoints
        self.noticeMonths = noticeMonths
        self.noticesAtLeast = noticesAtLeast
        self.noticesPoints = noticesPoints
        self.referralMonths = referralMonths
        self.referralsAtLeast = referralsAtLeast
        self.closedWithinMonths = closedWithinMonths
        self.repeatedReferralsPoints = repeatedReferralsPoints
        self.recentlyClosedPoints = recentlyClosedPoints
        self.infantInHouseholdPoints = infantInHouseholdPoints
    }

    /// Two or more referrals in 12 months; closed within 6 months; two or more Operation
    /// Encompass notices in 12 months; a MARAC household in the last 6 months; missing from care
    /// in the last 6 months; an infant in such a household weighs most (under-ones are
    /// the national concern in serious incidents).
    public static let defaults = HiddenChildrenPolicy(referralMonths: 12, referralsAtLeast: 2, closedWithinMonths: 6,
                                                      repeatedReferralsPoints: 3, recentlyClosedPoints: 2, infantInHouseholdPoints: 4)

    /// Throws when a window or threshold is out of range.
    public func validate() throws(CodeError) {
        for (name, value, range) in [("referralMonths", referralMonths, 1...60), ("referralsAtLeast", referralsAtLeast, 2...20),
                                     ("closedWithinMonths", closedWithinMonths, 1...60), ("repeatedReferralsPoints", repeatedReferralsPoints, 0...100),
                                     ("recentlyClosedPoints", recentlyClosedPoints, 0...100), ("infantInHouseholdPoints", infantInHouseholdPoints, 0...100),
                                     ("noticeMonths", noticeMonths, 1...60), ("noticesAtLeast", noticesAtLeast, 1...20), ("noticesPoints", noticesPoints, 0...100),
                                     ("maracMonths", maracMonths, 1...60), ("maracPoints", maracPoints, 0...100),
                                     ("missingMonths", missingMonths, 1...60), ("missingPoints", missingPoints, 0...100)]
            where !range.contains(value) {
            throw CodeError(list: "hidden-children policy", code: "\(name) \(value)", reason: "must be \(range.lowerBound) to \(range.upperBound)")
        }
    }
}

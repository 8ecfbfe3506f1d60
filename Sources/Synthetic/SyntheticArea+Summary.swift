import EyesOnCore

/// Headline counts of a synthetic area, e.g. for `eyeson synth` to print.
public struct SyntheticAreaSummary: Sendable, Hashable, CustomStringConvertible {
    public let children: Int
    public let unbornChildren: Int
    public let adults: Int
    public let households: Int
    public let schools: Int
    public let nurseries: Int
    public let colleges: Int
    public let healthOrganisations: Int
    /// Children with an open episode of need at `asOf` (including those on a plan and looked after).
    public let childrenInNeed: Int
    public let childProtectionPlans: Int
    public let lookedAfter: Int
    public let careLeavers: Int
    /// Referrals (CIN episodes starting) in the 12 months to `asOf`.
    public let referralsLast12Months: Int
    /// School-age children (reception to Y11) with no enrolment open at `asOf`.
    public let compulsoryAgeChildrenNotOnARoll: Int
    public let maracCases: Int
    public let policeIncidents: Int

    /// Per 10,000 children.
    public func per10k(_ n: Int) -> Double { children == 0 ? 0 : Double(n) * 10_000 / Double(children) }

    public var description: String {
        func r(_ n: Int) -> String { String(Int(per10k(n).rounded())) }
        return """
        \(children) children, \(unbornChildren) unborn, \(adults) adults in \(households) households
        \(schools) schools, \(nurseries) nurseries, \(colleges) colleges, \(healthOrganisations) health organisations
        children in need \(childrenInNeed) (\(r(childrenInNeed))/10k), CP plans \(childProtectionPlans) (\(r(childProtectionPlans))/10k), \
        looked after \(lookedAfter) (\(r(lookedAfter))/10k), care leavers \(careLeavers)
        referrals in 12 months \(referralsLast12Months) (\(r(referralsLast12Months))/10k), \
        school-age children on no roll \(compulsoryAgeChildrenNotOnARoll)
        MARAC cases \(maracCases), police domestic-abuse incidents \(policeIncidents)
        """
    }
}

extension SyntheticArea {
    public var summary: SyntheticAreaSummary {
        let asOf = configuration.asOf
        let yearAgo = asOf.adding(days: -365)
        var children = 0, unborn = 0, adults = 0
        for p in people {
            switch p.kind {
            case .child: children += 1
            case .unbornChild: unborn += 1
            case .adult: adults += 1
            }
        }
        var cin = 0, cp = 0, lac = 0, leavers = 0, referrals = 0
        for r in socialCare {
            switch r.status {
            case .lookedAfter: lac += 1; cin += 1
            case .childProtectionPlan: cp += 1; cin += 1
            case .childInNeed: cin += 1
            case .careLeaver: leavers += 1
            case .closed: break
            }
            referrals += r.episodes.filter { $0.referralDate > yearAgo && $0.referralDate <= asOf }.count
        }
        var onRoll = Set<Int>()
        for e in enrolments where e.from <= asOf && (e.to.map { $0 >= asOf } ?? true) { onRoll.insert(e.personID) }
        var notOnRoll = 0
        let year = internals.academicYear
        for p in people where p.kind == .child {
            guard let dob = p.dateOfBirth else { continue }
            let nc = year - (dob.month >= 9 ? dob.year : dob.year - 1) - 5
            if (1...11).contains(nc) && !onRoll.contains(p.id) { notOnRoll += 1 }
        }
        return SyntheticAreaSummary(
            children: children, unbornChildren: unborn, adults: adults, households: households.count,
            schools: agencies.filter { $0.kind == .school }.count,
            nurseries: agencies.filter { $0.kind == .nursery }.count,
            colleges: agencies.filter { $0.kind == .college }.count,
            healthOrganisations: agencies.filter { $0.kind == .healthOrganisation }.count,
            childrenInNeed: cin, childProtectionPlans: cp, lookedAfter: lac, careLeavers: leavers,
            referralsLast12Months: referrals, compulsoryAgeChildrenNotOnARoll: notOnRoll,
            maracCases: maracCases.count, policeIncidents: policeIncidents.count)
    }
}

import EyesOnCore
import Synthetic

/// An agency's own record of a person in the synthetic area: which agency, and its id for them.
struct SyntheticAgencyLink: Sendable {
    let agencyKey: String
    let localID: String
}

extension SyntheticArea {
    /// The records each agency holds of each person (by truth id), beyond national identifiers and
    /// school enrolments: the health services' caseload numbers, GP registrations, the police
    /// force's nominal records of children in MARAC cases and incidents, and the youth justice
    /// service's caseload (children 10–17 whose assessments found gangs, exploitation or offending
    /// behaviour). These are the links the access policy follows.
    func agencyLinks() -> [Int: [SyntheticAgencyLink]] {
        var links: [Int: [SyntheticAgencyLink]] = [:]
        var seen = Set<String>()
        func add(_ personID: Int, _ agencyKey: String, _ localID: String) {
            guard seen.insert("\(agencyKey)|\(personID)").inserted else { return }
            links[personID, default: []].append(SyntheticAgencyLink(agencyKey: agencyKey, localID: localID))
        }
        var keyByODS: [String: String] = [:]
        for agency in agencies { if let ods = agency.odsCode { keyByODS[ods] = agency.key } }

        for entry in caseloads {
            if let key = keyByODS[entry.odsCode] { add(entry.personID, key, entry.localID) }
        }
        for household in households {
            guard let key = keyByODS[household.gpPracticeODS] else { continue }
            for member in household.memberIDs { add(member, key, "GP\(household.gpPracticeODS)-\(member)") }
        }
        if let police = agencies.first(where: { $0.kind == .policeForce })?.key {
            for marac in maracCases {
                for child in marac.childIDs { add(child, police, "N\(child)") }
            }
            for incident in policeIncidents {
                for child in incident.children { add(child.personID, police, "N\(child.personID)") }
            }
        }
        if let youthJustice = agencies.first(where: { $0.kind == .youthJustice })?.key {
            let offendingFactors: Set<String> = ["13A", "11A", "24A", "14A"]
            for record in socialCare {
                guard let born = person(record.personID).dateOfBirth else { continue }
                let age = born.days(until: configuration.asOf) / 365
                guard (10...17).contains(age) else { continue }
                let factors = record.episodes.flatMap { $0.assessments.flatMap(\.factors) }
                if factors.contains(where: offendingFactors.contains) {
                    add(record.personID, youthJustice, "YJ\(record.laChildID)")
                }
            }
        }
        return links
    }
}

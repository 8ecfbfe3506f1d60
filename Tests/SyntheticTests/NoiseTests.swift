import EyesOnCore
import Foundation
import Testing
@testable import Synthetic

@Suite("Identity noise")
struct NoiseTests {
    let area = Fixture.area

    /// Rows of a file paired with their truth person.
    func withTruth(_ file: String, key: ([String: String], Int) -> String) -> [([String: String], SyntheticPerson)] {
        let truth = Fixture.truth[file] ?? [:]
        return Fixture.records(file).enumerated().compactMap { n, r in
            guard let id = truth[key(r, n)] else {
                Issue.record("\(file): no truth row for \(key(r, n))")
                return nil
            }
            return (r, area.person(id))
        }
    }

    @Test("school records differ from the truth sometimes, but mostly agree")
    func schoolNoise() {
        let rows = withTruth("school-roll.csv") { _, n in String(n + 1) }
        let differentGiven = rows.filter { $0.0["forename"] != $0.1.givenName }.count
        let differentFamily = rows.filter { $0.0["surname"] != $0.1.familyName }.count
        let differentDOB = rows.filter { $0.0["date_of_birth"] != $0.1.dateOfBirth?.description }.count
        let differentPostcode = rows.filter { $0.0["postcode"] != $0.1.postcode }.count
        let n = rows.count
        #expect(differentGiven > n / 100 && differentGiven < n / 5, "\(differentGiven) of \(n) forenames differ")
        #expect(differentFamily > n / 200 && differentFamily < n / 8, "\(differentFamily) of \(n) surnames differ")
        #expect(differentDOB > 5 && differentDOB < n / 30, "\(differentDOB) of \(n) dates of birth differ")
        #expect(differentPostcode > 10 && differentPostcode < n / 8, "\(differentPostcode) of \(n) postcodes differ")
        // Nicknames and dropped accents among the differences.
        #expect(rows.contains { r, p in NameLists.nicknames[p.givenName]?.contains(r["forename"]!) == true })
        #expect(rows.contains { r, p in p.givenName != r["forename"]! && NameText.withoutAccents(p.givenName) == r["forename"]! })
        #expect(rows.contains { r, p in r["forename"] == p.familyName && r["surname"] == p.givenName } || n < 5_000,
                "some swapped names")
    }

    @Test("attendance rows carry the name as the school holds it: the same as on the roll, not always the truth")
    func attendanceNames() {
        let truth = Fixture.truth["attendance.csv"] ?? [:]
        var differ = 0, pupils = Set<String>()
        var rollNames: [String: String] = [:]
        for r in Fixture.records("school-roll.csv") { rollNames[r["school_urn"]! + "|" + r["upn"]!] = r["forename"]! + " " + r["surname"]! }
        for row in Fixture.csv("attendance.csv").rows {
            let key = row[0] + "|" + row[1]
            guard pupils.insert(key).inserted else { continue }
            guard let id = truth[key] else { Issue.record("no truth for \(key)"); continue }
            let p = area.person(id)
            if row[2] != p.givenName || row[3] != p.familyName { differ += 1 }
            #expect(rollNames[key] == row[2] + " " + row[3], "attendance and roll disagree for \(key)")
        }
        #expect(differ > pupils.count / 100, "\(differ) of \(pupils.count) pupils' names differ from the truth")
        #expect(differ < pupils.count / 4)
    }

    @Test("day and month swapped in some dates of birth; the police are the noisiest source")
    func birthDatesAndSources() {
        let police = withTruth("police-incidents.csv") { r, _ in r["reference"]! + "|" + r["party_number"]! }
        let roll = withTruth("school-roll.csv") { _, n in String(n + 1) }
        func nameNoise(_ rows: [([String: String], SyntheticPerson)], _ g: String, _ f: String) -> Double {
            Double(rows.filter { $0.0[g] != $0.1.givenName || $0.0[f]?.hasPrefix($0.1.familyName) != true }.count) / Double(rows.count)
        }
        #expect(nameNoise(police, "forename", "surname") > nameNoise(roll, "forename", "surname"))
        #expect(police.contains { $0.0["date_of_birth"]!.isEmpty }, "some police records lack a date of birth")
        let swapped = roll.contains { r, p in
            guard let dob = p.dateOfBirth, let held = CivilDate(r["date_of_birth"]!) else { return false }
            return held != dob && held.day == dob.month && held.month == dob.day && held.year == dob.year
        }
        #expect(swapped)
    }

    @Test("missing NHS numbers in health; UPN unknown for some children who have one in social care")
    func missingIdentifiers() {
        let health = withTruth("health-caseload.csv") { r, _ in r["ods_code"]! + "|" + r["local_id"]! }
        let missing = health.filter { $0.0["nhs_number"]!.isEmpty && $0.1.nhsNumber != nil }.count
        #expect(missing > 0 && missing < health.count / 10)
        let truth = Fixture.truth["cin-census.xml"] ?? [:]
        let unknownWithUPN = Fixture.cinXML.child("Children")!.all("Child").filter { child in
            let ids = child.child("ChildIdentifiers")!
            guard ids.child("UPNunknown") != nil, let id = truth[ids.child("LAchildID")!.text] else { return false }
            return area.person(id).upn != nil
        }
        #expect(!unknownWithUPN.isEmpty)
    }

    @Test("noise rates are documented per source and stay small")
    func rates() {
        for source in [NoiseSource.school, .socialCare, .police, .marac, .health] {
            let p = IdentityNoise.profile(source)
            for rate in [p.typoGiven, p.typoFamily, p.nickname, p.swappedNames, p.dayMonthSwap, p.otherBirthDateError, p.alternativeSurname] {
                #expect(rate > 0 && rate <= 0.1)
            }
        }
    }
}

import EyesOnCore
import Foundation
import Testing
@testable import Synthetic

@Suite("Ground truth")
struct TruthTests {
    /// The record keys of each extract, derived from the extract itself as `truth.csv` documents.
    static func recordKeys(_ file: String) -> [String] {
        switch file {
        case "cin-census.xml":
            return Fixture.cinXML.child("Children")!.all("Child").map { $0.child("ChildIdentifiers")!.child("LAchildID")!.text }
        case "ssda903/header.csv", "ssda903/oc3.csv":
            return Fixture.records(file).map { $0["CHILD"]! }
        case "ssda903/episodes.csv":
            return Fixture.records(file).map { $0["CHILD"]! + "|" + $0["DECOM"]! }
        case "ssda903/reviews.csv":
            return Fixture.records(file).map { $0["CHILD"]! + "|" + $0["REVIEW"]! }
        case "ssda903/missing.csv":
            return Fixture.records(file).map { $0["CHILD"]! + "|" + $0["MIS_START"]! }
        case "attendance.csv":
            var seen = Set<String>(), out: [String] = []
            for row in Fixture.csv(file).rows {
                let key = row[0] + "|" + row[1]
                if seen.insert(key).inserted { out.append(key) }
            }
            return out
        case "school-roll.csv":
            return Fixture.csv(file).rows.indices.map { String($0 + 1) }
        case "marac.csv":
            var out: [String] = [], cases = Set<String>()
            for r in Fixture.records(file) {
                let id = r["case_id"]!
                if cases.insert(id).inserted { out += [id + "|victim", id + "|perpetrator"] }
                if !r["child_number"]!.isEmpty { out.append(id + "|child|" + r["child_number"]!) }
            }
            return out
        case "police-incidents.csv":
            return Fixture.records(file).map { $0["reference"]! + "|" + $0["party_number"]! }
        case "health-caseload.csv":
            return Fixture.records(file).map { $0["ods_code"]! + "|" + $0["local_id"]! }
        case "referrals.csv":
            return Fixture.records(file).map { $0["referral_id"]! }
        default:
            return []
        }
    }

    static let files = ["cin-census.xml", "ssda903/header.csv", "ssda903/episodes.csv", "ssda903/reviews.csv",
                        "ssda903/missing.csv", "ssda903/oc3.csv", "attendance.csv", "school-roll.csv", "marac.csv",
                        "police-incidents.csv", "health-caseload.csv", "referrals.csv"]

    @Test("truth covers every record of every extract, once, and nothing else", arguments: files)
    func coverage(file: String) {
        let keys = Self.recordKeys(file)
        let truth = Fixture.truth[file] ?? [:]
        #expect(!keys.isEmpty, "\(file) has no records")
        #expect(Set(keys).count == keys.count, "\(file): record keys are not unique")
        #expect(Set(keys) == Set(truth.keys), "\(file): truth and extract disagree on the records")
        #expect(Fixture.truthRowCounts[file] == keys.count, "\(file): duplicate truth rows")
        let count = Fixture.area.people.count
        #expect(truth.values.allSatisfy { (1...count).contains($0) })
    }

    @Test("truth.csv names only the extract files")
    func truthFiles() {
        #expect(Set(Fixture.truth.keys) == Set(Self.files))
        #expect(Fixture.written.files.map(\.name).sorted() == (Self.files + ["truth.csv"]).sorted())
    }

    @Test("the truth points at the right person: identifiers in the records match the truth person's")
    func truthIsRight() {
        let area = Fixture.area
        func person(_ file: String, _ key: String) -> SyntheticPerson? {
            guard let id = Fixture.truth[file]?[key] else {
                Issue.record("\(file): no truth row for record \(key)")
                return nil
            }
            return area.person(id)
        }
        for child in Fixture.cinXML.child("Children")!.all("Child") {
            let id = child.child("ChildIdentifiers")!.child("LAchildID")!.text
            if let p = person("cin-census.xml", id) { #expect(p.laChildID == id) }
        }
        for (n, row) in Fixture.csv("school-roll.csv").rows.enumerated() where !row[1].isEmpty {
            if let p = person("school-roll.csv", String(n + 1)) { #expect(p.upn == row[1]) }
        }
        for r in Fixture.records("health-caseload.csv") where !r["nhs_number"]!.isEmpty {
            if let p = person("health-caseload.csv", r["ods_code"]! + "|" + r["local_id"]!) { #expect(p.nhsNumber == r["nhs_number"]) }
        }
        for r in Fixture.records("police-incidents.csv") {
            guard let p = person("police-incidents.csv", r["reference"]! + "|" + r["party_number"]!) else { continue }
            #expect(p.sex.rawValue == r["sex"])
            #expect((r["role"] == "child") == (p.kind == .child))
        }
        for r in Fixture.records("ssda903/header.csv") {
            if let p = person("ssda903/header.csv", r["CHILD"]!) { #expect(p.laChildID == r["CHILD"]) }
        }
    }

    @Test("relationships: every born child has a parent or carer; siblings once per pair; no self-links")
    func relationships() {
        let area = Fixture.area
        var hasCarer = Set<Int>()
        var siblingPairs = Set<[Int]>()
        for r in area.relationships {
            #expect(r.from != r.to)
            switch r.kind {
            case .parentOrCarer:
                #expect(area.person(r.from).kind == .adult)
                #expect(area.person(r.to).kind != .adult)
                hasCarer.insert(r.to)
            case .sibling:
                #expect(r.from < r.to)
                #expect(siblingPairs.insert([r.from, r.to]).inserted, "sibling pair \(r.from)–\(r.to) twice")
            case .householdMember:
                #expect(area.person(r.from).kind == .adult)
            }
        }
        for p in area.people where p.kind != .adult { #expect(hasCarer.contains(p.id), "child \(p.id) has no carer") }
    }

    @Test("households have 1–2 carers and up to 4 children; some single-carer, some blended (two surnames)")
    func households() {
        let area = Fixture.area
        var single = 0, blended = 0
        for h in area.households {
            let adults = h.adultIDs.filter { area.person($0).kind == .adult }
            #expect(adults.count == h.adultCount)
            #expect((1...3).contains(adults.count))
            let born = h.childIDs.filter { area.person($0).kind == .child }
            #expect(born.count <= 4)
            if adults.count == 1 && !born.isEmpty { single += 1 }
            if Set(born.map { area.person($0).familyName }).count > 1 { blended += 1 }
            for id in h.memberIDs { #expect(area.person(id).householdID == h.id) }
        }
        #expect(single > area.households.count / 10)
        #expect(blended > area.households.count / 50)
    }
}

import Foundation
import Testing
import EyesOnCore
@testable import Feeds
@testable import Synthetic

/// The front door's referrals CSV: small files written by hand (made-up children), and the
/// synthetic area's own.
@Suite("Referrals feed reader")
struct ReferralsFeedTests {
    static let today = CivilDate("2026-11-30")!
    static let header = "referral_id,la_child_id,upn,nhs_number,forename,surname,date_of_birth,referral_date,source,outcome,decision_date"

    static func read(_ lines: [String]) throws -> [ReferralReader.Item] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("eyeson-referrals-\(UUID().uuidString).csv")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let reader = try ReferralReader(path: url.path, latestDate: today)
        var items: [ReferralReader.Item] = []
        while let item = try reader.next() { items.append(item) }
        return items
    }

    @Test("a referral is read with its source, outcome and decision day")
    func reads() throws {
        let items = try Self.read([Self.header, "R1,EB0000123,,,Tomas,Reyes,2014-05-04,2026-11-02,2a,assessment,2026-11-03",
                                   "R2,EB0000124,,,Mia,Okafor,,2026-11-20,6,pending,"])
        #expect(items == [
            .referral(FrontDoorReferral(line: 2, referralID: "R1", laChildID: "EB0000123", upn: nil, nhsNumber: nil, forename: "Tomas", surname: "Reyes",
                                        dateOfBirth: CivilDate("2014-05-04"), referralDate: CivilDate("2026-11-02")!, source: "2A",
                                        outcome: .assessment, decisionDate: CivilDate("2026-11-03"))),
            .referral(FrontDoorReferral(line: 3, referralID: "R2", laChildID: "EB0000124", upn: nil, nhsNumber: nil, forename: "Mia", surname: "Okafor",
                                        dateOfBirth: nil, referralDate: CivilDate("2026-11-20")!, source: "6", outcome: .pending, decisionDate: nil)),
        ])
    }

    @Test("the optional team column is read where a case system sends it, and is absent otherwise")
    func team() throws {
        let items = try Self.read(["Team," + Self.header, "Child Protection Team,R1,EB0000123,,,Tomas,Reyes,2014-05-04,2026-11-02,2a,assessment,2026-11-03",
                                   ",R2,EB0000124,,,Mia,Okafor,,2026-11-20,6,pending,"])
        let teams = items.map { item -> String? in if case .referral(let r) = item { r.team } else { "problem" } }
        #expect(teams == ["Child Protection Team", nil])
        let without = try Self.read([Self.header, "R1,EB0000123,,,Tomas,Reyes,2014-05-04,2026-11-02,2a,assessment,2026-11-03"])
        if case .referral(let r) = without.first { #expect(r.team == nil) } else { Issue.record("not read: \(without)") }
    }

    @Test("bad rows name their line and column: an unknown source or outcome, a decision before the referral, a pending referral with a decision, a future referral, a UPN with a wrong check letter")
    func badRows() throws {
        let items = try Self.read([Self.header,
                                   "R1,EB1,,,A,B,2014-05-04,2026-11-02,2Z,assessment,2026-11-03",
                                   "R2,EB2,,,A,B,2014-05-04,2026-11-02,2A,sent-home,2026-11-03",
                                   "R3,EB3,,,A,B,2014-05-04,2026-11-02,2A,assessment,2026-11-01",
                                   "R4,EB4,,,A,B,2014-05-04,2026-11-02,2A,pending,2026-11-03",
                                   "R5,EB5,,,A,B,2014-05-04,2026-12-25,2A,pending,",
                                   "R6,EB6,C801200005001,,A,B,2014-05-04,2026-11-02,2A,pending,",
                                   "R7,EB7,,,A,B,2014-05-04,2026-11-02,2A,assessment,",
                                   "R1,EB8,,,A,B,2014-05-04,2026-11-02,2A,pending,"])
        let problems = items.compactMap { if case .problem(let p) = $0 { p } else { nil } }
        #expect(problems.map(\.field) == ["source", "outcome", "decision_date", "decision_date", "referral_date", "upn", "decision_date", "referral_id"])
        #expect(problems.map(\.line) == Array(2...9))
        #expect(problems[0].reason.contains("is not one of") && problems[7].reason == "appears twice (first at line 2)")
    }

    @Test("a date of birth or referral in year 1 is a problem on its line, not a crash (found by fuzzing)")
    func ancientDates() throws {
        let items = try Self.read([Self.header,
                                   "R1,EB1,,,A,B,0001-04-03,2026-11-02,2A,pending,",
                                   "R2,EB2,,,A,B,2014-05-04,0001-01-12,2A,pending,",
                                   "R3,EB3,,,A,B,2014-05-04,2026-11-02,2A,pending,"])
        let problems = items.compactMap { if case .problem(let p) = $0 { p } else { nil } }
        #expect(problems.map(\.field) == ["date_of_birth", "referral_date"] && problems.map(\.line) == [2, 3])
        #expect(problems.allSatisfy { $0.reason.contains("before 1900") }, "\(problems)")
        #expect(items.count == 3)
    }

    @Test("a file without a required column, or cut short, is refused")
    func refusals() throws {
        do { _ = try Self.read(["referral_id,la_child_id,forename,surname", "R1,EB1,A,B"]); Issue.record("read without its columns") } catch let error as FeedFileError {
            #expect(error.message.hasPrefix("this is not a referrals file: no columns upn, nhs_number, date_of_birth, referral_date, source, outcome"))
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("eyeson-referrals-cut-\(UUID().uuidString).csv")
        try (Self.header + "\nR1,EB1,,,A,B,2014-05-04,2026-11-02").write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let reader = try ReferralReader(path: url.path, latestDate: Self.today)
        #expect(throws: FeedFileError.self) { while try reader.next() != nil {} }
    }

    @Test("the synthetic area's referrals read with no problems")
    func synthetic() throws {
        let area = SyntheticArea.generate(AreaConfiguration(children: 2_000, seed: 5, asOf: Self.today, attendanceSchoolDays: 0))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eyeson-referrals-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try area.writeReferralsExtract(to: folder)
        let reader = try ReferralReader(path: folder.appendingPathComponent(file.name).path, latestDate: Self.today)
        var referrals = 0
        while let item = try reader.next() {
            if case .problem(let p) = item { Issue.record("\(p)") } else { referrals += 1 }
        }
        #expect(referrals == file.rows && referrals > 10)
    }
}

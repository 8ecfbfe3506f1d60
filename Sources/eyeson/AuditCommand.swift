import ArgumentParser
import Foundation
import Store

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Check the audit trail.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Walk the audit trail's hash chain and say where an entry was altered, inserted or deleted; exit status 1 if so.")
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            let store = try await db.openStore()
            let report: AuditChain.Report
            do { report = try await AuditChain.verify(on: store.db) } catch { await store.shutdown(); throw Failure.describing(error) }
            await store.shutdown()
            if report.isIntact {
                print("audit trail intact: \(report.entries) entries; head entry \(report.headSeq), hash \(report.headHash)")
                print("(keep the head somewhere outside the database: a later head must still follow from it)")
                return
            }
            for problem in report.problems { print("audit trail: \(problem.message)") }
            throw Failure("the audit trail does not verify: \(report.problems.count == 20 ? "at least 20" : String(report.problems.count)) problem(s), the first at \(report.problems[0].seq.map { "entry \($0)" } ?? "an entry with no place")")
        }
    }
}

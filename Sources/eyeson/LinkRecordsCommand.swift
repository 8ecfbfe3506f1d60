import ArgumentParser
import Foundation
import Store

/// `eyeson link-records`: the feeds' unmatched records against the person index, with the
/// probabilistic model; for the daily timer after the feeds have come in.
struct LinkRecordsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link-records",
        abstract: "Link the feeds' unmatched records to the children in the person index (the sure ones), and leave the rest for review in Records to match; audited.",
        discussion: """
            Only the records no child was found for are scored, against every child in the index, with the parameters kept \
            from the last training (trained on every named feed record when none are kept, or with --train). A record is \
            linked when exactly one child is at or above the accept probability (0.95); pairs between 0.5 and 0.95 are \
            kept for review with each comparison's part of the weight. A pair someone said is not the same child is never \
            offered or linked again.
            """)
    @OptionGroup var db: DatabaseOptions
    @Flag(help: "Train the model's parameters afresh on every named feed record before linking.") var train = false

    func run() async throws {
        let store = try await db.openStore()
        let summary: PersonLinkingSummary
        do { summary = try await PersonLinking.run(on: store.db, actor: "eyeson link-records (command line)", train: train) } catch {
            await store.shutdown()
            throw Failure.describing(error)
        }
        await store.shutdown()
        if summary.trained { print("Trained on \(summary.trainingRecords) named feed records and \(summary.people) children") }
        print("Unmatched records scored: \(summary.records) against \(summary.people) children")
        print("Linked by the model: \(summary.linked)")
        print("Left for review: \(summary.suggestions) pairs for \(summary.recordsForReview) records")
        if summary.rejectedPairs > 0 { print("Pairs left out because someone said they are not the same child: \(summary.rejectedPairs)") }
        print("Timings: " + summary.seconds.map { String(format: "%@ %.2f s", $0.stage, $0.seconds) }.joined(separator: ", "))
    }
}

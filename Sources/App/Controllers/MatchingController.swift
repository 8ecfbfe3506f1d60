import Vapor
import Fluent
import EyesOnCore
import Store

/// Records to match: the feeds' records no person in the index was found for, each with the
/// people it may be, for children's social care to link by hand.
struct MatchingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("matching", use: index)
        routes.post("matching", ":feed", ":id", use: link)
        routes.post("matching", ":feed", ":id", "not-same", use: reject)
        routes.post("matching", ":feed", ":id", "skip", use: skip)
        routes.post("matching", "run", use: run)
        routes.post("children", ":id", "records", ":feed", ":record", "unlink", use: unlink)
    }

    static func matching(_ req: Request) throws -> RecordMatching {
        let viewer = try req.requireViewer()
        guard AccessPolicy.worksAcrossTheArea(viewer) else { throw Abort(.forbidden) }
        return RecordMatching(directory: try req.childDirectory())
    }

    @Sendable
    func index(req: Request) async throws -> HTML {
        let matching = try Self.matching(req)
        let (counts, records) = try await matching.unmatched()
        return MatchingViews.index(context: req.formPageContext, counts: counts, records: records,
                                   message: req.query[String.self, at: "done"], error: req.query[String.self, at: "error"])
    }

    struct LinkForm: Content {
        var person: String
    }

    /// The record named by the path.
    static func record(_ req: Request) throws -> (UnmatchedRecord.Feed, UUID) {
        guard let feed = req.parameters.get("feed").flatMap(UnmatchedRecord.Feed.init(rawValue:)),
              let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw Abort(.notFound) }
        return (feed, id)
    }

    static func person(_ req: Request) throws -> UUID {
        guard let person = (try? req.content.decode(LinkForm.self)).flatMap({ UUID(uuidString: $0.person) }) else { throw Abort(.badRequest) }
        return person
    }

    /// Back to the queue, saying what happened (or what went wrong).
    static func back(_ req: Request, done: String? = nil, error: String? = nil) -> Response {
        func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
        let query = done.map { "done=" + encoded($0) } ?? error.map { "error=" + encoded($0) } ?? ""
        return req.redirect(to: "/matching" + (query.isEmpty ? "" : "?" + query), redirectType: .normal)
    }

    /// "Same child": the record is linked to the person.
    @Sendable
    func link(req: Request) async throws -> Response {
        let matching = try Self.matching(req)
        let (feed, id) = try Self.record(req)
        let person = try Self.person(req)
        do {
            try await matching.link(feed, recordID: id, to: person)
        } catch let error as MatchingError {
            return Self.back(req, error: error.message)
        }
        return Self.back(req, done: "Matched: the \(feed.title) record now belongs to the child's record")
    }

    /// "Not the same child": remembered, so the pair is never offered or linked again.
    @Sendable
    func reject(req: Request) async throws -> Response {
        let matching = try Self.matching(req)
        let (feed, id) = try Self.record(req)
        let person = try Self.person(req)
        do {
            try await matching.reject(feed, recordID: id, person: person)
        } catch let error as MatchingError {
            return Self.back(req, error: error.message)
        }
        return Self.back(req, done: "Kept: the \(feed.title) record is not that child, and will not be offered as them again")
    }

    /// "Skip": the record goes to the end of the queue.
    @Sendable
    func skip(req: Request) async throws -> Response {
        let matching = try Self.matching(req)
        let (feed, id) = try Self.record(req)
        do {
            try await matching.skip(feed, recordID: id)
        } catch let error as MatchingError {
            return Self.back(req, error: error.message)
        }
        return Self.back(req, done: "Skipped: the \(feed.title) record is now at the end of the queue")
    }

    /// Runs the linking model over every unmatched record now (it also runs on the daily timer).
    @Sendable
    func run(req: Request) async throws -> Response {
        let viewer = try req.requireViewer()
        guard AccessPolicy.worksAcrossTheArea(viewer) else { throw Abort(.forbidden) }
        do {
            let summary = try await PersonLinking.run(on: req.db, actor: viewer.email)
            return Self.back(req, done: "Looked for matches: \(summary.records) unmatched records weighed against \(summary.people) children; "
                             + "\(summary.linked) matched by the model, \(summary.recordsForReview) left for you to review")
        } catch let error as MatchingError {
            return Self.back(req, error: error.message)
        }
    }

    /// "Not this child: unlink", from the child's page: the record goes back to the queue.
    @Sendable
    func unlink(req: Request) async throws -> Response {
        let matching = try Self.matching(req)
        guard let child = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let feed = req.parameters.get("feed").flatMap(UnmatchedRecord.Feed.init(rawValue:)),
              let record = req.parameters.get("record").flatMap(UUID.init(uuidString:)) else { throw Abort(.notFound) }
        let message: String
        do {
            try await matching.unlink(feed, recordID: record, from: child)
            message = "Unlinked: the \(feed.title) record no longer counts for this child, and waits in Records to match"
        } catch let error as MatchingError {
            message = "Not unlinked: \(error.message)"
        }
        return req.redirect(to: "/children/\(child.uuidString)?done=" + (message.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
                            redirectType: .normal)
    }
}

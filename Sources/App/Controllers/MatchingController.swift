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

    @Sendable
    func link(req: Request) async throws -> Response {
        let matching = try Self.matching(req)
        guard let feed = req.parameters.get("feed").flatMap(UnmatchedRecord.Feed.init(rawValue:)),
              let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw Abort(.notFound) }
        guard let person = (try? req.content.decode(LinkForm.self)).flatMap({ UUID(uuidString: $0.person) }) else { throw Abort(.badRequest) }
        do {
            try await matching.link(feed, recordID: id, to: person)
        } catch let error as MatchingError {
            return req.redirect(to: "/matching?error=" + (error.message.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""), redirectType: .normal)
        }
        return req.redirect(to: "/matching?done=" + ("Matched: the \(feed.title) record now belongs to the child's record".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
                            redirectType: .normal)
    }
}

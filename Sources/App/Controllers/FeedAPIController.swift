import Vapor
import Fluent
import EyesOnCore
import Store
import Feeds

/// The system-to-system door into the import pipeline: `POST /api/v1/feeds/{feed}` with the file
/// as the body (the SSDA903 return: its XML file, or its CSV tables as multipart/form-data parts
/// named `file[]`; the people feed's column mapping as `?map=id=YOT ref,…`, else the agency's
/// saved one) and `Authorization: Bearer TOKEN`, one token per agency and feed (made with
/// `eyeson token add`). Answers JSON: 200 with the import's counts and first problems, 422 when
/// the file is refused (with the line and field), 401 for a missing, unknown or revoked token,
/// 403 for a token of another feed.
struct FeedAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.POST, "api", "v1", "feeds", ":feed", body: .collect(maxSize: ByteCount(value: Feed.maximumUpload)), use: push)
    }

    @Sendable
    func push(req: Request) async throws -> Response {
        guard let bearer = req.headers.bearerAuthorization?.token, bearer.count <= 200,
              let token = try await APITokens.find(hash: FeedTokens.hash(bearer), on: req.db) else {
            req.logger.notice("refused an API push without a valid token")
            return try API.unauthorised()
        }
        guard let feed = req.parameters.get("feed").flatMap(Feed.init(rawValue:)) else {
            return try API.problem(.notFound, "no such feed; feeds: \(Feed.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard token.feed == feed.rawValue else {
            return try API.problem(.forbidden, token.reads ? "this token reads as a user; it cannot push a feed"
                                   : "this token is for the \(token.feed) feed, not \(feed.rawValue)")
        }
        guard let body = req.body.data, body.readableBytes > 0 else {
            return try API.problem(.unprocessableEntity, "the request has no file: send it as the body")
        }
        let given = req.query[String.self, at: "name"]
        if let given, given.count > 120 {
            return try API.problem(.badRequest, "name is longer than 120 characters", field: "name")
        }
        let name = given ?? "\(feed.rawValue) pushed \(ISO8601DateFormatter().string(from: Date()))"
        // The file is the body; the SSDA903 CSV tables come as a multipart/form-data body, one `file[]` part each.
        let files = req.headers.contentType?.type == "multipart" ? (try? req.content.decode(ImportsController.TablesUpload.self))?.file ?? []
            : [File(data: body, filename: feed == .ssda903 ? "return.xml" : name)]
        let staged: (path: String, name: String)?
        do { staged = try await ImportsController.stage(files, feed: feed, fileio: req.fileio) } catch let error as FeedFileError {
            return try API.problem(.unprocessableEntity, error.message + "; nothing was imported", file: error.file)
        }
        guard let path = staged?.path else {
            return try API.problem(.unprocessableEntity, "the request has no file: send it as the body (the SSDA903 CSV tables as multipart/form-data parts named file[])")
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        var onlyURN: Int? = nil
        if feed == .attendance, let agency = try await Agency.find(token.agencyID, on: req.db), agency.kind?.isEducationSetting == true {
            // A school sends its own marks only; a school EyesOn knows no URN for sends none.
            guard let urn = agency.urn else {
                return try API.problem(.forbidden, "\(agency.name) has no URN in EyesOn, so its marks cannot be checked")
            }
            onlyURN = urn
        }
        var mapping: PeopleColumnMapping? = nil
        if feed == .people, let text = req.query[String.self, at: "map"] {
            do { mapping = try PeopleColumnMapping(parsing: text) } catch {
                return try API.problem(.unprocessableEntity, "map: \(error.code) \(error.reason); nothing was imported", field: "map")
            }
        }
        do {
            let outcome = try await ImportsController.runImport(feed, path: path, name: name, agencyID: token.agencyID, onlyURN: onlyURN, mapping: mapping,
                                                                userID: nil, actor: "API token \(token.label)", today: req.today, on: req.db)
            return try API.json(outcome, .ok)
        } catch let error as FeedFileError {
            // A table of the SSDA903 return is named as it was sent.
            let file = error.file.hasPrefix(path + "/") ? String(error.file.dropFirst(path.count + 1)) : name
            return try API.problem(.unprocessableEntity, error.message + "; nothing was imported", file: file, line: error.line, field: error.field)
        }
    }
}

/// Making and checking the push API's tokens (the store keeps only the hash).
public enum FeedTokens {
    /// The feeds a token may be made for.
    public static var feeds: [String] { Feed.allCases.map(\.rawValue) }

    /// The token's SHA-256, as stored.
    public static func hash(_ token: String) -> String {
        Hashing.sha256Hex(token)
    }

    /// A new token: 32 random bytes, URL-safe base64, prefixed so it is recognisable in a leak scan.
    public static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return "eyeson_" + Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Makes a read token that reads as the user with `email`, keeps its hash, and returns the token (shown once).
    public static func addReader(email: String, label: String, on db: any Database) async throws -> (String, APIToken) {
        let token = newToken()
        return (token, try await APITokens.addReader(email: email, label: label, hash: hash(token), on: db))
    }

    /// Makes a token for `agencyKey` and `feed`, keeps its hash, and returns the token (shown once).
    public static func add(agencyKey: String, feed: String, label: String, on db: any Database) async throws -> (String, APIToken) {
        guard feeds.contains(feed) else { throw APITokenError(message: "there is no feed '\(feed)'; feeds: \(feeds.joined(separator: ", "))") }
        let token = newToken()
        return (token, try await APITokens.add(agencyKey: agencyKey, feed: feed, label: label, hash: hash(token), on: db))
    }
}

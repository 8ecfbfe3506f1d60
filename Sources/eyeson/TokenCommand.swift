import ArgumentParser
import Foundation
import App
import Store

/// `eyeson token …`: the push API's tokens, one per agency and feed.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "API tokens for agencies' systems: to push feeds (POST /api/v1/feeds/FEED), or to read the API as a user.",
        subcommands: [Add.self, List.self, Revoke.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a token for one agency and one feed (--agency, --feed), or one that reads the API as a user (--feed read --user); it is printed once and only its hash is kept.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The agency's key (see `eyeson agencies`), for a push token.") var agency: String?
        @Option(help: "The feed: \(FeedTokens.feeds.joined(separator: ", ")); or read, to read the API.") var feed: String
        @Option(help: "For a read token: the email of the user it reads as (their role and agency decide what it sees).") var user: String?
        @Option(help: "A name for the token, e.g. the sending system.") var label: String

        func validate() throws {
            if feed == APIToken.readFeed {
                guard user != nil, agency == nil else { throw ValidationError("a read token needs --user EMAIL (its agency is the user's), not --agency") }
            } else {
                guard agency != nil, user == nil else { throw ValidationError("a push token needs --agency KEY (and no --user)") }
            }
        }

        func run() async throws {
            let store = try await db.openStore()
            do {
                // validate() has made sure of one or the other.
                let (token, made) = if let user { try await FeedTokens.addReader(email: user, label: label, on: store.db) }
                                    else { try await FeedTokens.add(agencyKey: agency ?? "", feed: feed, label: label, on: store.db) }
                let what = made.reads ? "read token for \(user ?? "") (\(made.agencyName))" : "token for \(made.agencyName), feed \(made.feed)"
                print("\(what) (id \(made.id.uuidString)); keep it secret, it is not shown again:")
                print(token)
            } catch {
                await store.shutdown()
                throw Failure.describing(error)
            }
            await store.shutdown()
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tokens (never the tokens themselves).")
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            let store = try await db.openStore()
            let tokens = try await APITokens.all(on: store.db)
            for t in tokens {
                let used = t.lastUsedAt.map { "last used \($0.formatted(.iso8601))" } ?? "never used"
                print("\(t.id.uuidString)  \(t.feed)\(t.userEmail.map { " as " + $0 } ?? "")  \(t.agencyName)  \(t.label)  \(t.revokedAt == nil ? "live" : "revoked")  \(used)")
            }
            if tokens.isEmpty { print("no tokens") }
            await store.shutdown()
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by its id: it stops working at once.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The token's id (from `eyeson token list`).") var id: String

        func run() async throws {
            guard let uuid = UUID(uuidString: id) else { throw Failure("'\(id)' is not a token id") }
            let store = try await db.openStore()
            let done = try await APITokens.revoke(uuid, on: store.db)
            await store.shutdown()
            guard done else { throw Failure("there is no live token with the id \(id)") }
            print("revoked \(id)")
        }
    }
}

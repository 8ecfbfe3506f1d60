import ArgumentParser
import Foundation
import Store

struct SettingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings", abstract: "Show or change the partnership's settings (the eyes-on policy, the proposal rules).",
        subcommands: [Show.self, Set.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a setting's JSON (the default when none is stored), or list the settings.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The setting's key; omit to list them.") var key: String?

        func run() async throws {
            guard let key else {
                for (key, about) in PartnershipSettings.known { print("\(key): \(about)") }
                return
            }
            let store = try await db.openStore()
            let text: String?
            do { text = try await PartnershipSettings.json(key, on: store.db) } catch { await store.shutdown(); throw Failure.describing(error) }
            await store.shutdown()
            guard let text else {
                throw Failure("there is no setting '\(key)' (known: \(PartnershipSettings.known.map(\.key).joined(separator: ", ")))")
            }
            print(text)
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace a setting with the JSON in FILE (start from `eyeson settings show KEY`); checked first, audited.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The setting's key.") var key: String
        @Argument(help: "A JSON file.") var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw Failure("cannot read \(file)") }
            guard data.count <= 1_000_000 else { throw Failure("\(file): larger than 1 MB") }
            guard let text = String(data: data, encoding: .utf8) else { throw Failure("\(file): not UTF-8 text") }
            let store = try await db.openStore()
            do {
                try await PartnershipSettings.setJSON(key, text, on: store.db, actor: "eyeson settings (command line)")
            } catch {
                await store.shutdown()
                throw Failure("\(file): \(Failure.describing(error).message)")
            }
            await store.shutdown()
            print("\(key) set from \(file)")
        }
    }
}

import ArgumentParser
import Foundation
import App
import EyesOnCore
import Store

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage users.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user to an agency with a role.",
            discussion: "Roles: \(Role.allCases.map(\.rawValue).joined(separator: ", ")). Agency keys: `eyeson agencies`. Without --password-stdin a random password is made and printed once.")

        @OptionGroup var db: DatabaseOptions
        @Option(help: "The user's email address (their sign-in name).") var email: String
        @Option(help: "The user's full name.") var name: String
        @Option(help: "The user's role.") var role: String
        @Option(help: "The key of the user's agency.") var agency: String
        @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input (at least 12 characters).")
        var passwordFromStandardInput = false

        func run() async throws {
            guard let role = Role(rawValue: role) else {
                throw Failure("--role '\(self.role)' is not a role; use one of: \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let password: String
            if passwordFromStandardInput {
                password = (readLine(strippingNewline: true) ?? "")
                do { try Accounts.validatePassword(password, email: email, name: name) } catch { throw Failure(error.description) }
            } else {
                password = PasswordHashing.randomPassword()
            }
            let store = try await db.openStore()
            do {
                let user = try await Accounts.createUser(on: store.db, email: email, displayName: name, role: role, agencyKey: agency,
                                                         passwordHash: try PasswordHashing.hash(password))
                print("Added \(user.email) as \(role.title).")
                if !passwordFromStandardInput { print("password: \(password)") }
            } catch {
                await store.shutdown()
                throw Failure.describing(error)
            }
            await store.shutdown()
        }
    }
}

import ArgumentParser
import Foundation
import App
import EyesOnCore
import Store

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage users.", subcommands: [Add.self, Disable.self, Enable.self, ResetTwoFactor.self])

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

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account: the user cannot sign in, and any open session ends at its next request.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The user's email address.") var email: String

        func run() async throws { try await UserCommand.setDisabled(true, email: email, db: db) }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled account again.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The user's email address.") var email: String

        func run() async throws { try await UserCommand.setDisabled(false, email: email, db: db) }
    }

    struct ResetTwoFactor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-two-factor",
            abstract: "Forget a user's two-factor secret (a lost or replaced phone): they set up a new one at their next sign-in, after their password.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The user's email address.") var email: String

        func run() async throws {
            let store = try await db.openStore()
            let found: Bool
            do { found = try await Accounts.resetTwoFactor(email: email, actor: "eyeson user (command line)", on: store.db) }
            catch { await store.shutdown(); throw Failure.describing(error) }
            await store.shutdown()
            guard found else { throw Failure("there is no user with the email \(email)") }
            print("reset two-factor sign-in for \(Accounts.normalisedEmail(email)): they set it up again at their next sign-in")
        }
    }

    static func setDisabled(_ disabled: Bool, email: String, db: DatabaseOptions) async throws {
        let store = try await db.openStore()
        let found: Bool
        do { found = try await Accounts.setDisabled(disabled, email: email, actor: "eyeson user (command line)", on: store.db) }
        catch { await store.shutdown(); throw Failure.describing(error) }
        await store.shutdown()
        guard found else { throw Failure("there is no user with the email \(email)") }
        print("\(disabled ? "disabled" : "enabled") \(Accounts.normalisedEmail(email))")
    }
}

import Foundation
import EyesOnCore

/// A row of the agencies table.
struct AgencyRow: Sendable {
    let name: String
    let kind: String
    let reference: String
    let users: Int
}

/// A row of the users table.
struct UserRow: Sendable {
    let name: String
    let email: String
    let role: String
    let agency: String
    let lastSignIn: Date?
    let locked: Bool
}

/// A row of the audit trail.
struct AuditRow: Sendable {
    let at: Date
    let actor: String
    let action: String
    let personID: String
    let detail: String
    let clientAddress: String
}

/// The agencies, users and audit pages.
enum DirectoryViews {
    static func agencies(context: PageContext, rows: [AgencyRow]) -> HTML {
        let lines = rows.map { "<tr><td>\($0.name)</td><td>\($0.kind)</td><td>\($0.reference)</td><td class=\"numeric\">\($0.users)</td></tr>" as HTML }
        return Layout.page(
            title: "Agencies", context: context,
            breadcrumbs: [Breadcrumb(title: "Home", href: "/"), Breadcrumb(title: "Agencies", href: nil)],
            content: """
            <h1>Agencies in the partnership</h1>
            <table><caption>\(rows.count) agencies</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">URN or ODS code</th><th scope="col" class="numeric">Users</th></tr></thead>
            <tbody>\(lines)</tbody></table>
            """)
    }

    static func users(context: PageContext, rows: [UserRow]) -> HTML {
        let lines = rows.map { row -> HTML in
            """
            <tr><td>\(row.name)</td><td>\(row.email)</td><td>\(row.role)</td><td>\(row.agency)</td>\
            <td>\(row.lastSignIn.map(DisplayFormat.dateTime) ?? "Never")</td>\
            <td>\(row.locked ? "<span class=\"tag red\">Locked</span>" as HTML : "<span class=\"tag green\">Active</span>" as HTML)</td></tr>
            """
        }
        return Layout.page(
            title: "Users", context: context,
            breadcrumbs: [Breadcrumb(title: "Home", href: "/"), Breadcrumb(title: "Users", href: nil)],
            content: """
            <h1>Users</h1>
            <p>Add users with <code>eyeson user add</code> on the server.</p>
            <table><caption>\(rows.count) users</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Agency</th><th scope="col">Last signed in</th><th scope="col">Status</th></tr></thead>
            <tbody>\(lines)</tbody></table>
            """)
    }

    static func audit(context: PageContext, rows: [AuditRow]) -> HTML {
        let lines = rows.map { row -> HTML in
            "<tr><td>\(DisplayFormat.dateTime(row.at))</td><td>\(row.actor)</td><td>\(row.action)</td><td>\(row.personID)</td><td>\(row.detail)</td><td>\(row.clientAddress)</td></tr>"
        }
        return Layout.page(
            title: "Audit trail", context: context,
            breadcrumbs: [Breadcrumb(title: "Home", href: "/"), Breadcrumb(title: "Audit trail", href: nil)],
            content: """
            <h1>Audit trail</h1>
            <p>The newest \(rows.count) entries. Entries are never changed or deleted.</p>
            <table><caption>Audit entries</caption>
            <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Person record</th><th scope="col">Detail</th><th scope="col">From</th></tr></thead>
            <tbody>\(lines)</tbody></table>
            """)
    }
}

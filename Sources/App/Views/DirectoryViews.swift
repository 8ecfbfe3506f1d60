import Foundation
import Store
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
    let disabled: Bool
    let twoFactor: Bool
}

/// A row of the audit trail.
struct AuditRow: Sendable {
    let at: Date
    let actor: String
    let action: String
    let personID: String
    let detail: String
    let clientAddress: String
    var seq: Int64? = nil
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
            <td>\(row.lastSignIn.map(DisplayFormat.dateTime) ?? "Never")</td><td>\(row.twoFactor ? "Set up" : "Not set up")</td>\
            <td>\(row.disabled ? "<span class=\"tag red\">Disabled</span>" as HTML : row.locked ? "<span class=\"tag red\">Locked</span>" as HTML : "<span class=\"tag green\">Active</span>" as HTML)</td>\
            <td><form method="post" action="/users/\(row.email.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")/\(row.disabled ? "enable" : "disable")">\
            <input type="hidden" name="_csrf" value="\(context.csrfToken)"><button type="submit" class="link-button">\(row.disabled ? "Enable" : "Disable")<span class="visually-hidden"> \(row.email)</span></button></form></td></tr>
            """
        }
        return Layout.page(
            title: "Users", context: context,
            breadcrumbs: [Breadcrumb(title: "Home", href: "/"), Breadcrumb(title: "Users", href: nil)],
            content: """
            <h1>Users</h1>
            <p>Add users with <code>eyeson user add</code> on the server. Disabling an account stops its sign-ins and ends its open sessions at their next request; both are audited.</p>
            <table><caption>\(rows.count) users</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Agency</th><th scope="col">Last signed in</th><th scope="col">Two-factor</th><th scope="col">Status</th><th scope="col">Action</th></tr></thead>
            <tbody>\(lines)</tbody></table>
            """)
    }

    static func audit(context: PageContext, rows: [AuditRow], form: AuditSearchForm, errors: [FieldError], bursts: [AuditLog.Burst],
                      verified: AuditChain.Report?) -> HTML {
        let lines = rows.map { row -> HTML in
            "<tr><td>\(row.seq.map(String.init) ?? "–")</td><td>\(DisplayFormat.dateTime(row.at))</td><td>\(row.actor)</td><td>\(row.action == "break-glass" ? "<strong class=\"overdue\">break-glass</strong>" as HTML : .text(row.action))</td><td>\(row.personID)</td><td>\(row.detail)</td><td>\(row.clientAddress)</td></tr>"
        }
        let burstLines = bursts.map { b -> HTML in
            "<tr><td><a href=\"/audit?user=\(b.actor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")\">\(b.actor)</a></td><td>\(b.records)</td><td>\(DisplayFormat.dateTime(b.from)) to \(DisplayFormat.dateTime(b.to))</td></tr>"
        }
        let chain: HTML
        if let verified {
            chain = verified.isIntact
                ? "<div class=\"notification\" role=\"status\"><p>The hash chain holds: \(verified.entries.formatted()) entries; head entry \(String(verified.headSeq)), hash <code>\(verified.headHash)</code>. Keep the head somewhere outside EyesOn: a later head must still follow from it.</p></div>"
                : "<div class=\"error-summary\" role=\"alert\"><h2>The audit trail does not verify</h2><ul>\(verified.problems.map { "<li>\($0.message)</li>" as HTML })</ul></div>"
        } else {
            chain = "<p><a href=\"/audit/verify\">Verify the hash chain now</a> (every entry carries the hash of the one before; an altered, inserted or deleted entry shows). From the command line: <code>eyeson audit verify</code>.</p>"
        }
        return Layout.page(
            title: "Audit trail", context: context,
            breadcrumbs: [Breadcrumb(title: "Home", href: "/"), Breadcrumb(title: "Audit trail", href: nil)], errors: errors,
            content: """
            <h1>Audit trail</h1>
            \(chain)
            <form method="get" action="/audit" novalidate>
            <div class="search-fields">
            \(Layout.textField(id: "user", label: "User (part of their email)", value: form.user, errors: errors))
            \(Layout.textField(id: "child", label: "Child (record id or page address)", value: form.child, errors: errors))
            \(Layout.textField(id: "from", label: "From", value: form.from, hint: "For example 1/12/2026", errors: errors))
            \(Layout.textField(id: "to", label: "To", value: form.to, hint: "Inclusive", errors: errors))
            </div>
            <button type="submit" class="button">Search the audit trail</button>
            </form>
            \(verified != nil ? HTML.empty : """
            <table><caption>Audit entries, newest first (\(rows.count == 200 ? "the newest 200" : String(rows.count)))</caption>
            <thead><tr><th scope="col">Entry</th><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Person record</th><th scope="col">Detail</th><th scope="col">From</th></tr></thead>
            <tbody>\(lines)</tbody></table>
            """)
            <h2>Unusual patterns</h2>
            \(bursts.isEmpty ? "<p>In the last 30 days nobody opened 20 or more children's records within an hour.</p>" as HTML : """
            <table><caption>Users who opened 20 or more children's records within an hour, in the last 30 days (each user's busiest hour)</caption>
            <thead><tr><th scope="col">User</th><th scope="col">Records opened</th><th scope="col">Between</th></tr></thead>
            <tbody>\(burstLines)</tbody></table>
            """)
            """)
    }
}

import Vapor
import Store

/// Error pages in the layout.
enum ErrorView {
    static func render(status: HTTPResponseStatus, context: PageContext) -> HTML {
        let (title, body): (String, HTML)
        switch status.code {
        case 404:
            title = "Page not found"
            body = """
            <p>If you typed the web address, check it is correct.</p>
            <p>If you followed a link to a child's record, the record may not exist or you may not have a reason to see it.</p>
            <p><a href="/">Go to your home page</a></p>
            """
        case 403:
            title = "You cannot do that here"
            body = """
            <p>Either your role does not include this page, or the form you sent had expired or did not come from EyesOn.</p>
            <p><a href="/">Go to your home page</a> and try again.</p>
            """
        case 400, 413, 415, 422:
            title = "There is a problem with what was sent"
            body = "<p>Go back, check what you entered and try again.</p>"
        case 401:
            title = "Sign in to continue"
            body = "<p><a href=\"/sign-in\">Sign in</a></p>"
        default:
            title = "Sorry, there is a problem with the service"
            body = """
            <p>Try again later. Nothing you entered has been half-saved.</p>
            <p>If it keeps happening, tell your partnership administrator the time it happened.</p>
            """
        }
        return Layout.page(title: title, context: context, content: "<h1>\(title)</h1>\(body)")
    }

    /// The 404 for a child's record the viewer may not see — the same whether the child exists or
    /// not — with the break-glass form for roles that see only their agency's children.
    static func breakGlass(context: PageContext, childID: UUID, reason: String?, errors: [FieldError]) -> HTML {
        Layout.page(title: "Page not found", context: context, errors: errors, content: """
        <h1>Page not found</h1>
        <p>If you followed a link to a child's record, the record may not exist or you may not have a reason to see it.</p>
        <p><a href="/">Go to your home page</a></p>
        <h2>Break-glass: open a record you have no relationship to</h2>
        <p>Only if a child's safety depends on it now. Your access lasts \(String(BreakGlass.hours)) hours, is highlighted in the \
        audit trail, and the child's lead agency (or children's social care) is asked to check it was needed.</p>
        \(FormFields.form(action: "/children/\(childID.uuidString)/break-glass", context: context, submit: "Open the record by break-glass", secondary: true, """
        \(FormFields.textArea(id: "reason", label: "Why the child's safety needs you to open this record", value: reason, errors: errors, rows: 3))
        """))
        """)
    }
}

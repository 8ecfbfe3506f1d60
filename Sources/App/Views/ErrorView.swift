import Vapor

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
}

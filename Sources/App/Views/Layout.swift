import Vapor
import NIOConcurrencyHelpers
import EyesOnCore
import Store

/// A link in the breadcrumb trail.
struct Breadcrumb: Sendable {
    let title: String
    let href: String?
}

/// A field error, shown in the error summary at the top and beside the field.
struct FieldError: Sendable, Equatable {
    let field: String
    let message: String
}

/// What every page needs to draw its frame.
struct PageContext: Sendable {
    let viewer: Viewer?
    let csrfToken: String
    let currentPath: String
    /// The date a test clock (`serve --clock-file`) sets; nil on the real clock.
    var fixedDate: CivilDate? = nil
    /// `serve --demo`: synthetic data, and the demo accounts sign in without two-factor.
    var demoMode = false
}

/// The page frame every screen shares: skip link, service header with the signed-in user and a
/// sign-out button, navigation by role, breadcrumbs, the main content and a footer.
enum Layout {
    static let serviceName = "EyesOn"

    static func page(
        title: String, context: PageContext, breadcrumbs: [Breadcrumb] = [], errors: [FieldError] = [], content: HTML
    ) -> HTML {
        "\(top(title: title, context: context, breadcrumbs: breadcrumbs, errors: errors))\(content)\(bottom)"
    }

    /// The page up to its content.
    static func top(title: String, context: PageContext, breadcrumbs: [Breadcrumb], errors: [FieldError]) -> HTML {
        let fullTitle = (errors.isEmpty ? "" : "Error: ") + title + " – " + serviceName
        let role = context.viewer?.role.rawValue ?? "signed-out"
        return """
        <!DOCTYPE html>
        <html lang="en-GB">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(fullTitle)</title>
        <link rel="stylesheet" href="/assets/eyeson.css">
        \(context.viewer == nil ? .empty : "<script src=\"/assets/eyeson.js\" defer></script>" as HTML)
        </head>
        <body data-role="\(role)"\(context.viewer == nil ? .empty : " data-idle-timeout=\"\(Int(SignedInUserMiddleware.idleTimeout))\" data-idle-warning=\"\(Int(SignedInUserMiddleware.idleWarning))\"" as HTML)>
        <a href="#main-content" class="skip-link">Skip to main content</a>
        <header class="service-header">
        <div class="container">
        <a href="/" class="service-name">\(serviceName)</a>
        \(account(context))
        </div>
        </header>
        \(navigation(context))
        <main id="main-content" tabindex="-1">
        <div class="container">
        \(context.demoMode ? "<div class=\"banner\" role=\"note\"><p><strong>Demo mode:</strong> synthetic children only, and the demo accounts sign in without two-factor. Never run demo mode with real data.</p></div>" as HTML : .empty)
        \(context.fixedDate.map { "<div class=\"banner\" role=\"note\"><p><strong>Test clock:</strong> EyesOn takes today to be \(DisplayFormat.date($0)) (set by --clock-file), not the real date.</p></div>" as HTML } ?? .empty)
        \(breadcrumbTrail(breadcrumbs))
        \(errorSummary(errors))

        """
    }

    /// The page after its content.
    static let bottom: HTML = """

        </div>
        </main>
        <footer><div class="container">
        <p>EyesOn keeps the local safeguarding partnership's agreed list of children. Every look at a child's record is audited.</p>
        </div></footer>
        </body>
        </html>
        """
    static let bottomBytes = ByteBuffer(string: bottom.rendered)

    /// The page as a response, for a large kept content (`PageCache`): the kept parts are written
    /// to the connection as they are kept, never copied (a board is some 100 KB; copying it into
    /// one body for each request cost a fifth of the board's throughput).
    static func response(title: String, context: PageContext, breadcrumbs: [Breadcrumb] = [], parts: [ByteBuffer]) -> Response {
        let buffers = [ByteBuffer(string: top(title: title, context: context, breadcrumbs: breadcrumbs, errors: []).rendered)] + parts + [bottomBytes]
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(stream: { writer in
            for buffer in buffers where buffer.readableBytes > 0 { writer.write(.buffer(buffer), promise: nil) }
            writer.write(.end, promise: nil)
        }, count: buffers.reduce(0) { $0 + $1.readableBytes }))
    }

    static func account(_ context: PageContext) -> HTML {
        guard let viewer = context.viewer else { return .empty }
        return """
        <div class="who">\(viewer.displayName), \(viewer.agencyName)
        <form method="post" action="/sign-out"><input type="hidden" name="_csrf" value="\(context.csrfToken)"><button type="submit" class="link-button">Sign out</button></form>
        </div>
        """
    }

    /// The menu for the viewer's role and agency, with the current page's item marked. The items
    /// depend on nothing else, so each menu is rendered once and kept (a kept board spent a
    /// twentieth of its time rendering it).
    static func navigation(_ context: PageContext) -> HTML {
        guard let viewer = context.viewer else { return .empty }
        let kind = "\(viewer.role.rawValue)|\(viewer.agencyKind.rawValue)"
        let items = menus.withLockedValue { $0.items[kind] } ?? {
            let items = Navigation.items(for: viewer)
            menus.withLockedValue { $0.items[kind] = items }
            return items
        }()
        let current = items.indices.filter { i in items[i].path == "/" ? context.currentPath == "/" : context.currentPath.hasPrefix(items[i].path) }
        let key = "\(kind)|\(current.map(String.init).joined(separator: ","))"
        if let menu = menus.withLockedValue({ $0.rendered[key] }) { return menu }
        let lines = items.enumerated().map { index, item -> HTML in
            "<li><a href=\"\(item.path)\"\(current.contains(index) ? HTML(unsafeRaw: " aria-current=\"page\"") : .empty)>\(item.title)</a></li>"
        }
        let menu: HTML = """
        <nav class="service-nav" aria-label="Main"><div class="container"><ul>\(lines)</ul></div></nav>
        """
        menus.withLockedValue { $0.rendered[key] = menu }
        return menu
    }

    private struct Menus { var items: [String: [Navigation.Item]] = [:], rendered: [String: HTML] = [:] }
    private static let menus = NIOLockedValueBox(Menus())

    static func breadcrumbTrail(_ crumbs: [Breadcrumb]) -> HTML {
        guard !crumbs.isEmpty else { return .empty }
        let items = crumbs.map { crumb -> HTML in
            if let href = crumb.href { return "<li><a href=\"\(href)\">\(crumb.title)</a></li>" }
            return "<li aria-current=\"page\">\(crumb.title)</li>"
        }
        return "<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\"><ol>\(items)</ol></nav>"
    }

    static func errorSummary(_ errors: [FieldError]) -> HTML {
        guard !errors.isEmpty else { return .empty }
        let items = errors.map { "<li><a href=\"#\($0.field)\">\($0.message)</a></li>" as HTML }
        return """
        <div class="error-summary govuk-error-summary" role="alert" tabindex="-1">
        <h2>There is a problem</h2>
        <ul>\(items)</ul>
        </div>
        """
    }

    /// A labelled text input with its hint and error.
    static func textField(
        id: String, label: String, value: String?, hint: String? = nil, type: String = "text",
        autocomplete: String? = nil, errors: [FieldError] = [], spellcheck: Bool = false
    ) -> HTML {
        let error = errors.first { $0.field == id }
        let described = [hint != nil ? "\(id)-hint" : nil, error != nil ? "\(id)-error" : nil].compactMap { $0 }.joined(separator: " ")
        return """
        <div class="form-group\(error != nil ? " error" : "")">
        <label for="\(id)">\(label)</label>
        \(hint.map { "<span class=\"hint\" id=\"\(id)-hint\">\($0)</span>" as HTML } ?? .empty)
        \(error.map { "<span class=\"error-message\" id=\"\(id)-error\"><span class=\"visually-hidden\">Error: </span>\($0.message)</span>" as HTML } ?? .empty)
        <input type="\(type)" id="\(id)" name="\(id)" value="\(value ?? "")"\(autocomplete.map { " autocomplete=\"\($0)\"" as HTML } ?? .empty)\(described.isEmpty ? .empty : " aria-describedby=\"\(described)\"" as HTML)\(spellcheck ? .empty : HTML(unsafeRaw: " spellcheck=\"false\""))>
        </div>
        """
    }

    static func summaryList(_ rows: [(String, HTML)]) -> HTML {
        let items = rows.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" as HTML }
        return "<dl class=\"summary-list\">\(items)</dl>"
    }
}

extension HTML {
    /// Text, escaped.
    static func text(_ value: String) -> HTML { HTML(unsafeRaw: HTML.escape(value)) }
}

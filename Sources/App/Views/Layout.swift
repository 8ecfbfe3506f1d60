import Vapor
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
        \(content)
        </div>
        </main>
        <footer><div class="container">
        <p>EyesOn keeps the local safeguarding partnership's agreed list of children. Every look at a child's record is audited.</p>
        </div></footer>
        </body>
        </html>
        """
    }

    static func account(_ context: PageContext) -> HTML {
        guard let viewer = context.viewer else { return .empty }
        return """
        <div class="who">\(viewer.displayName), \(viewer.agencyName)
        <form method="post" action="/sign-out"><input type="hidden" name="_csrf" value="\(context.csrfToken)"><button type="submit" class="link-button">Sign out</button></form>
        </div>
        """
    }

    static func navigation(_ context: PageContext) -> HTML {
        guard let viewer = context.viewer else { return .empty }
        let items = Navigation.items(for: viewer).map { item -> HTML in
            let current = item.path == "/" ? context.currentPath == "/" : context.currentPath.hasPrefix(item.path)
            return "<li><a href=\"\(item.path)\"\(current ? HTML(unsafeRaw: " aria-current=\"page\"") : .empty)>\(item.title)</a></li>"
        }
        return """
        <nav class="service-nav" aria-label="Main"><div class="container"><ul>\(items)</ul></div></nav>
        """
    }

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

import EyesOnCore
import Store

/// The form values as typed, to show back with errors.
struct ChildSearchForm: Sendable {
    var name = ""
    var nhsNumber = ""
    var upn = ""
    var postcode = ""
    var dateOfBirth = ""
}

/// Find a child: the search form and the children the viewer may see.
enum ChildrenView {
    static func render(context: PageContext, form: ChildSearchForm, errors: [FieldError], result: ChildSearchResult?, query: String) -> HTML {
        let table: HTML
        if let result {
            if result.children.isEmpty {
                table = "<p>No children you can see match that search.</p>"
            } else {
                let rows = result.children.map { child -> HTML in
                    """
                    <tr><td><a href="/children/\(child.id.uuidString)">\(child.familyName.uppercased()), \(child.givenName)</a></td>\
                    <td>\(child.kind == .unbornChild ? "Unborn, due \(DisplayFormat.date(child.expectedDateOfBirth))" : DisplayFormat.date(child.dateOfBirth))</td>\
                    <td>\(child.nhsNumber.flatMap { try? NHSNumber($0).formatted } ?? "–")</td>\
                    <td>\(child.upn ?? "–")</td><td>\(child.postcode ?? "–")</td></tr>
                    """
                }
                var pages: [HTML] = []
                if result.page > 1 { pages.append("<li><a href=\"/children?\(query)page=\(result.page - 1)\">Previous page</a></li>") }
                if result.hasMore { pages.append("<li><a href=\"/children?\(query)page=\(result.page + 1)\">Next page</a></li>") }
                table = """
                <table><caption>Children, page \(result.page)</caption>
                <thead><tr><th scope="col">Name</th><th scope="col">Date of birth</th><th scope="col">NHS number</th><th scope="col">UPN</th><th scope="col">Postcode</th></tr></thead>
                <tbody>\(rows)</tbody></table>
                \(pages.isEmpty ? .empty : "<nav aria-label=\"Pages\"><ul class=\"pagination\">\(pages)</ul></nav>" as HTML)
                """
            }
        } else {
            table = .empty
        }
        return Layout.page(
            title: "Find a child", context: context,
            breadcrumbs: [Breadcrumb(title: "Home", href: "/"), Breadcrumb(title: "Children", href: nil)],
            errors: errors, content: """
            <h1>Find a child</h1>
            <p>You see only the children your role and agency have a reason to see. Opening a record is recorded in the audit trail.</p>
            <form method="get" action="/children" novalidate>
            <div class="search-fields">
            \(Layout.textField(id: "name", label: "Name", value: form.name, errors: errors))
            \(Layout.textField(id: "nhs", label: "NHS number", value: form.nhsNumber, hint: "10 digits, for example 999 123 4560", errors: errors))
            \(Layout.textField(id: "upn", label: "Unique pupil number (UPN)", value: form.upn, hint: "13 characters, for example A123456789012", errors: errors))
            \(Layout.textField(id: "postcode", label: "Postcode", value: form.postcode, errors: errors))
            \(Layout.textField(id: "dob", label: "Date of birth", value: form.dateOfBirth, hint: "For example 27/3/2014 or 2014-03-27", errors: errors))
            </div>
            <button type="submit" class="button">Search</button>
            </form>
            \(table)
            """)
    }
}

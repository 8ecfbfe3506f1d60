/// The sign-in page.
enum SignInView {
    static let wrongCredentials = "Enter a correct email address and password"
    static let locked = "This account is locked after too many failed sign-ins. Try again in 15 minutes, or ask your partnership administrator to unlock it."

    static func render(context: PageContext, email: String?, error: String?) -> HTML {
        let errors = error.map { [FieldError(field: "email", message: $0)] } ?? []
        return Layout.page(title: "Sign in", context: context, errors: errors, content: """
        <h1>Sign in to EyesOn</h1>
        <p class="lead">For practitioners in the local safeguarding partnership. Every look at a child's record is recorded.</p>
        <form method="post" action="/sign-in" novalidate>
        <input type="hidden" name="_csrf" value="\(context.csrfToken)">
        \(Layout.textField(id: "email", label: "Email address", value: email, type: "email", autocomplete: "username", errors: errors))
        \(Layout.textField(id: "password", label: "Password", value: nil, type: "password", autocomplete: "current-password"))
        <button type="submit" class="button">Sign in</button>
        </form>
        """)
    }
}

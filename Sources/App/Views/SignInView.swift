/// The sign-in page.
enum SignInView {
    static let wrongCredentials = "Enter a correct email address and password"
    static let locked = "This account is locked after too many failed sign-ins. Try again in 15 minutes, or ask your partnership administrator to unlock it."

    static func throttled(minutes: Int) -> String {
        "Too many failed sign-ins have come from your network. Try again in \(minutes) minute\(minutes == 1 ? "" : "s"), or ask your partnership administrator."
    }

    static let wrongCode = "Enter the 6-digit code your authenticator app shows now (each code works once)"

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
        <p>Worried about a child? <a href="/help">How to report a concern</a>.</p>
        """)
    }

    /// The second step for a user who has set up two-factor sign-in.
    static func code(context: PageContext, error: String?) -> HTML {
        let errors = error.map { [FieldError(field: "code", message: $0)] } ?? []
        return Layout.page(title: "Enter your code", context: context, errors: errors, content: """
        <h1>Enter the code from your authenticator app</h1>
        <p class="lead">Your password was right. EyesOn also needs the 6-digit code your authenticator app shows for EyesOn now.</p>
        \(codeForm(context: context, errors: errors, button: "Sign in"))
        <p>Lost your phone? Ask your partnership administrator to reset your two-factor sign-in.</p>
        """)
    }

    /// The first sign-in of a user who must use two-factor: the secret to add to an authenticator app.
    static func setUpTwoFactor(context: PageContext, secret: String, uri: String, error: String?) -> HTML {
        let errors = error.map { [FieldError(field: "code", message: $0)] } ?? []
        let grouped = stride(from: 0, to: secret.count, by: 4).map { start -> String in
            let from = secret.index(secret.startIndex, offsetBy: start)
            return String(secret[from..<(secret.index(from, offsetBy: 4, limitedBy: secret.endIndex) ?? secret.endIndex)])
        }.joined(separator: " ")
        return Layout.page(title: "Set up two-factor sign-in", context: context, errors: errors, content: """
        <h1>Set up two-factor sign-in</h1>
        <p class="lead">You see children's records, so EyesOn asks for a code from an authenticator app on your phone each time you sign in, as well as your password.</p>
        <ol class="steps">
        <li>Open an authenticator app (for example the one your organisation provides) and add an account by entering a setup key.</li>
        <li>Enter this key, as a time-based key: <strong class="secret" id="totp-secret" data-secret="\(secret)">\(grouped)</strong></li>
        <li>Enter the 6-digit code it then shows.</li>
        </ol>
        <details><summary>Setup link for apps that take one</summary><p class="break-all"><code>\(uri)</code></p></details>
        \(codeForm(context: context, errors: errors, button: "Confirm and sign in"))
        """)
    }

    private static func codeForm(context: PageContext, errors: [FieldError], button: String) -> HTML {
        """
        <form method="post" action="/sign-in/two-factor" novalidate>
        <input type="hidden" name="_csrf" value="\(context.csrfToken)">
        \(Layout.textField(id: "code", label: "Code", value: nil, hint: "6 digits, for example 123456", type: "text", autocomplete: "one-time-code", errors: errors))
        <button type="submit" class="button">\(button)</button>
        </form>
        """
    }
}

import Vapor

/// Bcrypt hashing for the command line and the demo (the server uses `req.password`).
public enum PasswordHashing {
    public static func hash(_ password: String) throws -> String {
        try Bcrypt.hash(password)
    }

    /// A hash of nothing anyone knows, checked when an email is unknown so that a failed sign-in
    /// takes the same time whether or not the account exists.
    static let decoyHash: String = (try? Bcrypt.hash(Request.randomToken())) ?? ""

    /// A random password a person can type: four groups of four letters and digits.
    public static func randomPassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        let groups = (0..<4).map { _ in String((0..<4).map { _ in alphabet.randomElement(using: &generator)! }) }
        return groups.joined(separator: "-")
    }
}

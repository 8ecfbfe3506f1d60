/// Why a code (an attendance code, an ethnicity code…) is not acceptable.
///
/// The `description` reads as a sentence: `attendance code 'H' was retired on 2024-08-19`.
public struct CodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The code list, as a person would name it: "attendance code", "ethnicity code".
    public let list: String
    /// The code that was given, trimmed.
    public let code: String
    /// What is wrong, continuing the sentence: "was retired on 2024-08-19; use J1".
    public let reason: String

    /// Creates an error.
    public init(list: String, code: String, reason: String) {
        self.list = list
        self.code = code
        self.reason = reason
    }

    /// `<list> '<code>' <reason>`.
    public var description: String { "\(list) '\(code)' \(reason)" }
}

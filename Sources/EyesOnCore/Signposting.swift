/// The area's public page on how to report a concern about a child: the front-door contacts and
/// the out-of-hours numbers, as the partnership administrator sets them (setting `signposting`).
public struct Signposting: Codable, Sendable, Equatable {
    public struct Contact: Codable, Sendable, Equatable {
        public var name: String
        public var phone: String
        public var email: String?
        /// When the line is answered, in words ("Monday to Friday, 9am to 5pm").
        public var hours: String?

        public init(name: String, phone: String, email: String? = nil, hours: String? = nil) {
            self.name = name
            self.phone = phone
            self.email = email
            self.hours = hours
        }
    }

    /// The area's name, as the page's heading says it.
    public var area: String
    /// How to report a concern, in the partnership's words (paragraphs separated by blank lines).
    public var introduction: String
    public var frontDoor: [Contact]
    public var outOfHours: [Contact]

    public init(area: String, introduction: String, frontDoor: [Contact], outOfHours: [Contact]) {
        self.area = area
        self.introduction = introduction
        self.frontDoor = frontDoor
        self.outOfHours = outOfHours
    }

    /// Until the administrator sets the page: what is true everywhere, and that the contacts are to come.
    public static let defaults = Signposting(
        area: "our area",
        introduction: "If you are worried about a child, tell someone who can help. You do not need to be sure: children's social care would rather hear from you.",
        frontDoor: [], outOfHours: [])

    /// Checks the page; the error names the part and the contact.
    public func validate() throws(SignpostingError) {
        func line(_ s: String, _ what: String, max: Int, required: Bool = true) throws(SignpostingError) {
            let t = s.trimmingCharacters(in: .whitespaces)
            if required && t.isEmpty { throw SignpostingError(field: what, message: "\(what) is empty") }
            if t.count > max { throw SignpostingError(field: what, message: "\(what) is longer than \(max) characters") }
            if t.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw SignpostingError(field: what, message: "\(what) must be on one line")
            }
        }
        try line(area, "area", max: 100)
        let intro = introduction.trimmingCharacters(in: .whitespacesAndNewlines)
        if intro.isEmpty { throw SignpostingError(field: "introduction", message: "introduction is empty") }
        if intro.count > 4_000 { throw SignpostingError(field: "introduction", message: "introduction is longer than 4,000 characters") }
        for (group, field, contacts) in [("front door", "front_door", frontDoor), ("out of hours", "out_of_hours", outOfHours)] {
            if contacts.count > 20 { throw SignpostingError(field: field, message: "at most 20 \(group) contacts") }
            for (k, c) in contacts.enumerated() {
                let what = "\(group) contact \(k + 1)"
                try line(c.name, "\(what): the name", max: 120)
                let digits = c.phone.filter(\.isNumber)
                guard (3...15).contains(digits.count), c.phone.allSatisfy({ $0.isNumber || " +()-".contains($0) }) else {
                    throw SignpostingError(field: field, message: "\(what): the phone number '\(c.phone)' must be 3 to 15 digits (spaces, +, brackets and hyphens allowed)")
                }
                if let email = c.email, !email.isEmpty {
                    let parts = email.split(separator: "@")
                    guard parts.count == 2, parts[1].contains("."), !email.contains(" "), email.count <= 200 else {
                        throw SignpostingError(field: field, message: "\(what): '\(email)' is not an email address")
                    }
                }
                if let hours = c.hours { try line(hours, "\(what): the hours", max: 200, required: false) }
            }
        }
    }
}

/// The signposting page could not be accepted: the form's field and why.
public struct SignpostingError: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let message: String
    public var description: String { message }

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

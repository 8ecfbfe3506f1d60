/// Parsing of the structured fields: dates of birth, NHS numbers, UPNs, postcodes and sex.
/// (Linkage depends on nothing of ours, so these small checks live here rather than in EyesOnCore.)
public enum FieldParsers {
    /// A date packed as `year * 10000 + month * 100 + day`, or nil when the text is not a valid
    /// date. Accepts `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYYMMDD`, `DD/MM/YYYY`, `DD-MM-YYYY`,
    /// `DD.MM.YYYY` (day first, as in the UK), with an optional time after a `T` or a space.
    public static func packedDate<S: StringProtocol>(_ text: S) -> Int32? {
        var digits: [Int] = []   // numbers between separators
        var lengths: [Int] = []
        var current = 0, length = 0
        var separators = 0
        for byte in text.utf8 {
            if byte >= 0x30 && byte <= 0x39 {
                current = current * 10 + Int(byte - 0x30); length += 1
                if length > 8 { return nil }
            } else if byte == 0x2D || byte == 0x2F || byte == 0x2E {
                if length == 0 { return nil }
                digits.append(current); lengths.append(length); current = 0; length = 0; separators += 1
                if separators > 2 { return nil }
            } else if byte == 0x54 || byte == 0x20 {
                break // a time follows
            } else if byte == 0x09 || byte == 0x0D {
                continue
            } else {
                return nil
            }
        }
        if length > 0 { digits.append(current); lengths.append(length) }
        var y = 0, m = 0, d = 0
        if digits.count == 1 && lengths[0] == 8 {
            y = digits[0] / 10000; m = digits[0] / 100 % 100; d = digits[0] % 100
        } else if digits.count == 3 && lengths[0] == 4 && lengths[1] <= 2 && lengths[2] <= 2 {
            y = digits[0]; m = digits[1]; d = digits[2]
        } else if digits.count == 3 && lengths[2] == 4 && lengths[0] <= 2 && lengths[1] <= 2 {
            d = digits[0]; m = digits[1]; y = digits[2]
        } else {
            return nil
        }
        guard y >= 1800 && y <= 2200, m >= 1 && m <= 12, d >= 1 && d <= daysIn(month: m, year: y) else { return nil }
        return Int32(y * 10000 + m * 100 + d)
    }

    public static func daysIn(month m: Int, year y: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The ten digits of a valid NHS number (modulus 11 check digit), spaces and hyphens
    /// allowed between them; nil otherwise.
    public static func nhsNumber<S: StringProtocol>(_ text: S) -> Int64? {
        var digits: [Int] = []
        for byte in text.utf8 {
            if byte >= 0x30 && byte <= 0x39 { digits.append(Int(byte - 0x30)) }
            else if byte == 0x20 || byte == 0x2D { continue }
            else { return nil }
        }
        guard digits.count == 10 else { return nil }
        var sum = 0
        for i in 0..<9 { sum += digits[i] * (10 - i) }
        var check = 11 - sum % 11
        if check == 11 { check = 0 }
        guard check != 10, check == digits[9] else { return nil }
        return digits.reduce(Int64(0)) { $0 * 10 + Int64($1) }
    }

    static let upnAlphabet = Array("ABCDEFGHJKLMNPQRTUVWXYZ".utf8)

    /// A valid Unique Pupil Number (13 characters, check letter first) in upper case; nil otherwise.
    public static func upn<S: StringProtocol>(_ text: S) -> [UInt8]? {
        let s = TextNormaliser.letters(text)
        guard s.count == 13 else { return nil }
        var sum = 0
        for i in 1..<13 {
            let c = s[i]
            let value: Int
            if c >= 0x30 && c <= 0x39 {
                value = Int(c - 0x30)
            } else if i == 12, let index = upnAlphabet.firstIndex(of: c) {
                value = index
            } else {
                return nil
            }
            sum += value * (i + 1)
        }
        guard upnAlphabet[sum % 23] == s[0] else { return nil }
        return s
    }

    /// A UK postcode split into (outward, inward digit, inward letters), upper case with no
    /// space; nil when it does not have the shape of a postcode.
    public static func postcode<S: StringProtocol>(_ text: S) -> (outward: [UInt8], inward: [UInt8])? {
        let s = TextNormaliser.letters(text)
        guard s.count >= 5 && s.count <= 7 else { return nil }
        let inward = Array(s.suffix(3))
        let outward = Array(s.prefix(s.count - 3))
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        func isLetter(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }
        guard isDigit(inward[0]), isLetter(inward[1]), isLetter(inward[2]), isLetter(outward[0]) else { return nil }
        guard outward.contains(where: isDigit) else { return nil }
        return (outward, inward)
    }

    /// "M" or "F" (also from male/female, boy/girl, 1/2); nil for unknown or anything else.
    public static func sex<S: StringProtocol>(_ text: S) -> UInt8? {
        let s = TextNormaliser.letters(text)
        guard let first = s.first else { return nil }
        switch first {
        case 0x4D, 0x42, 0x31: return 0x4D // M, B(oy), 1
        case 0x46, 0x47, 0x32, 0x57: return 0x46 // F, G(irl), 2, W(oman)
        default: return nil
        }
    }
}

/// Turns free text into the compact upper-case ASCII bytes that the comparisons work on.
///
/// Letters with accents lose them (Zoë → ZOE, Łukasz → LUKASZ, Siobhán → SIOBHAN), lower case
/// becomes upper case, and everything that is neither a letter nor a digit is dropped (spaces,
/// hyphens, apostrophes), so "O'Brien", "o brien" and "OBRIEN" agree.
public enum TextNormaliser {
    /// U+00C0…U+00FF (Latin-1 letters), 0 = drop.
    static let latin1: [UInt8] = {
        let upper = Array("AAAAAAACEEEEIIIIDNOOOOO\0OUUUUYTS".utf8)
        var lower = upper
        lower[31] = UInt8(ascii: "Y") // ÿ
        return upper + lower
    }()
    /// U+0100…U+017F (Latin Extended-A).
    static let latinExtendedA: [UInt8] = Array((
        "AAAAAA" + "CCCCCCCC" + "DDDD" + "EEEEEEEEEE" + "GGGGGGGG" + "HHHH" + "IIIIIIIIII" + "II" + "JJ" + "KKK"
        + "LLLLLLLLLL" + "NNNNNNNNN" + "OOOOOO" + "OO" + "RRRRRR" + "SSSSSSSS" + "TTTTTT" + "UUUUUUUUUUUU" + "WW"
        + "YYY" + "ZZZZZZ" + "S").utf8)

    /// The normalised bytes of `text`: letters (accents folded, upper case) and digits only.
    public static func letters<S: StringProtocol>(_ text: S, keepDigits: Bool = true) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case 0x41...0x5A: out.append(byte)
            case 0x61...0x7A: out.append(byte - 32)
            case 0x30...0x39: if keepDigits { out.append(byte) }
            case 0xC3:
                if let next = iterator.next(), next >= 0x80, next <= 0xBF {
                    let folded = latin1[Int(next - 0x80)]
                    if folded != 0 { out.append(folded) }
                }
            case 0xC4, 0xC5:
                if let next = iterator.next(), next >= 0x80, next <= 0xBF {
                    out.append(latinExtendedA[Int(byte - 0xC4) * 64 + Int(next - 0x80)])
                }
            case 0xC8:
                // Romanian ș ț (U+0218…U+021B)
                if let next = iterator.next() {
                    switch next {
                    case 0x98, 0x99: out.append(UInt8(ascii: "S"))
                    case 0x9A, 0x9B: out.append(UInt8(ascii: "T"))
                    default: break
                    }
                }
            default: break
            }
        }
        return out
    }

    /// Free text for a generic comparison: like ``letters(_:keepDigits:)`` but runs of spaces
    /// and punctuation between words become one space.
    public static func words<S: StringProtocol>(_ text: S) -> [UInt8] {
        var out: [UInt8] = []
        var pendingSpace = false
        for word in text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" || $0 == "\t" }) {
            let w = letters(word)
            if w.isEmpty { continue }
            if pendingSpace { out.append(0x20) }
            out.append(contentsOf: w)
            pendingSpace = true
        }
        return out
    }
}

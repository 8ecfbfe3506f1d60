/// NYSIIS (New York State Identification and Intelligence System) phonetic key, on normalised
/// upper-case ASCII letters. "SMITH" and "SMYTH" → "SNAT"; "MACDONALD" and "MCDONALD" → "MCDANALD".
/// Keys are cut to 8 characters.
public enum Phonetic {
    static func isVowel(_ c: UInt8) -> Bool {
        c == 0x41 || c == 0x45 || c == 0x49 || c == 0x4F || c == 0x55
    }

    public static func nysiis(_ input: [UInt8]) -> [UInt8] {
        var s = input.filter { $0 >= 0x41 && $0 <= 0x5A }
        if s.isEmpty { return [] }
        func hasPrefix(_ p: String) -> Bool { s.starts(with: p.utf8) }
        func hasSuffix(_ p: String) -> Bool { s.count >= p.utf8.count && s.suffix(p.utf8.count).elementsEqual(p.utf8) }
        func replacePrefix(_ n: Int, _ with: String) { s.replaceSubrange(0..<n, with: with.utf8) }
        if hasPrefix("MAC") { replacePrefix(3, "MCC") }
        else if hasPrefix("KN") { replacePrefix(2, "NN") }
        else if hasPrefix("K") { replacePrefix(1, "C") }
        else if hasPrefix("PH") || hasPrefix("PF") { replacePrefix(2, "FF") }
        else if hasPrefix("SCH") { replacePrefix(3, "SSS") }
        if hasSuffix("EE") || hasSuffix("IE") { s.removeLast(2); s.append(0x59) }
        else if hasSuffix("DT") || hasSuffix("RT") || hasSuffix("RD") || hasSuffix("NT") || hasSuffix("ND") {
            s.removeLast(2); s.append(0x44)
        }
        var key: [UInt8] = [s[0]]
        var i = 1
        let n = s.count
        while i < n {
            let c = s[i]
            var add: [UInt8]
            if c == 0x45 && i + 1 < n && s[i + 1] == 0x56 { add = [0x41, 0x46]; i += 1 }       // EV → AF
            else if isVowel(c) { add = [0x41] }
            else if c == 0x51 { add = [0x47] }                                               // Q → G
            else if c == 0x5A { add = [0x53] }                                               // Z → S
            else if c == 0x4D { add = [0x4E] }                                               // M → N
            else if c == 0x4B { add = (i + 1 < n && s[i + 1] == 0x4E) ? [0x4E] : [0x43] }    // KN → N, K → C
            else if c == 0x53 && i + 2 < n && s[i + 1] == 0x43 && s[i + 2] == 0x48 { add = [0x53, 0x53, 0x53]; i += 2 }
            else if c == 0x50 && i + 1 < n && s[i + 1] == 0x48 { add = [0x46, 0x46]; i += 1 }   // PH → FF
            else if c == 0x48 && (!isVowel(s[i - 1]) || (i + 1 < n && !isVowel(s[i + 1])) || i + 1 == n) { add = [s[i - 1]] }
            else if c == 0x57 && isVowel(s[i - 1]) { add = [s[i - 1]] }
            else { add = [c] }
            for ch in add where ch != key[key.count - 1] { key.append(ch) }
            i += 1
        }
        if key.count > 1 && key[key.count - 1] == 0x53 { key.removeLast() }
        if key.count > 2 && key[key.count - 2] == 0x41 && key[key.count - 1] == 0x59 { key.removeLast(2); key.append(0x59) }
        if key.count > 1 && key[key.count - 1] == 0x41 { key.removeLast() }
        if key.count > 8 { key.removeLast(key.count - 8) }
        return key
    }
}

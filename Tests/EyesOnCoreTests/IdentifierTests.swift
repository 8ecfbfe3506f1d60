import Foundation
import Testing
import EyesOnCore

/// A small deterministic generator so property checks are repeatable.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func randomDigits(_ n: Int, using rng: inout SplitMix64) -> String {
    String((0..<n).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
}

@Suite("NHS number")
struct NHSNumberTests {
    @Test("the STANDARDS' verified valid numbers are accepted", arguments: ["9434765919", "4010232137"])
    func validNumbers(text: String) throws {
        let n = try NHSNumber(text)
        #expect(n.digits == text)
    }

    @Test func wrongCheckDigitNamesTheExpectedDigit() {
        #expect(throws: IdentifierError(field: "NHS number", value: "943 476 5918",
                                        reason: "the check digit should be 9, not 8")) {
            try NHSNumber("943 476 5918")
        }
        do {
            _ = try NHSNumber("9434765918")
            Issue.record("accepted an invalid NHS number")
        } catch {
            #expect(error.description == "NHS number '9434765918': the check digit should be 9, not 8")
        }
    }

    @Test("spaces, hyphens and surrounding white space are accepted; display form is 3 3 4",
          arguments: ["9434765919", "943 476 5919", "943-476-5919", "  943 476 5919\n"])
    func separators(text: String) throws {
        let n = try NHSNumber(text)
        #expect(n.digits == "9434765919")
        #expect(n.formatted == "943 476 5919")
        #expect(n.description == "943 476 5919")
    }

    @Test func wrongLengthAndCharactersAreExplained() {
        #expect(throws: IdentifierError(field: "NHS number", value: "943476591", reason: "must be 10 digits; got 9")) {
            try NHSNumber("943476591")
        }
        #expect(throws: IdentifierError(field: "NHS number", value: "94347659190", reason: "must be 10 digits; got 11")) {
            try NHSNumber("94347659190")
        }
        #expect(throws: IdentifierError(field: "NHS number", value: "943476591O",
                                        reason: "may contain only digits, spaces and hyphens; found 'O'")) {
            try NHSNumber("943476591O")
        }
        #expect(throws: IdentifierError.self) { try NHSNumber("   ") }
    }

    @Test("for any nine digits exactly one completion is valid, or none when the check would be 10")
    func oneCompletionPerPrefix() {
        var rng = SplitMix64(seed: 1)
        var sawNoValid = false
        for _ in 0..<500 {
            let prefix = randomDigits(9, using: &rng)
            let valid = (0...9).filter { NHSNumber.isValid(prefix + String($0)) }
            if let check = NHSNumber.checkDigit(forFirstNine: prefix) {
                #expect(valid == [check])
            } else {
                sawNoValid = true
                #expect(valid.isEmpty)
                #expect(throws: IdentifierError.self) { try NHSNumber(prefix + "0") }
            }
        }
        #expect(sawNoValid, "about 1 prefix in 11 has no valid check digit")
    }

    @Test("every generated number round-trips, and any single-digit change or swap is caught")
    func errorDetection() throws {
        var rng = SplitMix64(seed: 2)
        var made = 0
        while made < 300 {
            let prefix = randomDigits(9, using: &rng)
            guard let check = NHSNumber.checkDigit(forFirstNine: prefix) else { continue }
            made += 1
            let number = try NHSNumber(prefix + String(check))
            #expect(try NHSNumber(number.formatted) == number)
            let data = try JSONEncoder().encode(number)
            #expect(String(decoding: data, as: UTF8.self) == "\"\(number.digits)\"")
            #expect(try JSONDecoder().decode(NHSNumber.self, from: data) == number)

            var chars = Array(number.digits)
            let i = Int.random(in: 0..<10, using: &rng)
            let old = chars[i]
            chars[i] = Character(String((Int(String(old))! + Int.random(in: 1...9, using: &rng)) % 10))
            #expect(!NHSNumber.isValid(String(chars)), "single-digit change \(number.digits) → \(String(chars))")

            var swapped = Array(number.digits)
            let j = Int.random(in: 0..<9, using: &rng)
            if swapped[j] != swapped[j + 1] {
                swapped.swapAt(j, j + 1)
                #expect(!NHSNumber.isValid(String(swapped)), "transposition \(number.digits) → \(String(swapped))")
            }
        }
    }

    @Test func decodingRejectsAnInvalidNumber() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(NHSNumber.self, from: Data("\"9434765918\"".utf8))
        }
    }
}

@Suite("Unique Pupil Number")
struct UPNTests {
    @Test("the STANDARDS' verified UPNs are accepted", arguments: ["A950000178301", "H243278544154"])
    func valid(text: String) throws {
        let upn = try UPN(text)
        #expect(upn.value == text)
        #expect(!upn.isTemporary)
    }

    @Test("wrong check letters name the right one", arguments: [
        ("R247962919251", "Q"), ("X428558133462", "W"),
    ])
    func wrongCheckLetter(text: String, expected: String) {
        #expect(throws: IdentifierError(field: "UPN", value: text,
                                        reason: "the check letter should be \(expected), not \(text.prefix(1))")) {
            try UPN(text)
        }
        #expect(UPN.checkLetter(forLastTwelve: String(text.dropFirst())) == Character(expected))
    }

    @Test func handWorkedCheckLetter() throws {
        // H243278544154, worked by hand: positions 2…13 × digits
        // 2·2 + 3·4 + 4·3 + 5·2 + 6·7 + 7·8 + 8·5 + 9·4 + 10·4 + 11·1 + 12·5 + 13·4
        // = 4+12+12+10+42+56+40+36+40+11+60+52 = 375; 375 mod 23 = 7 (23·16 = 368);
        // alphabet ABCDEFGHJ… index 7 = H.
        #expect(UPN.checkLetter(forLastTwelve: "243278544154") == "H")
    }

    @Test func temporaryUPN() throws {
        // Temporary UPN body 820 1234 25 01 B (LA, establishment, year, two serial digits, letter).
        // By hand: 2·8 + 3·2 + 4·0 + 5·1 + 6·2 + 7·3 + 8·4 + 9·2 + 10·5 + 11·0 + 12·1 + 13·value(B)
        // = 16+6+0+5+12+21+32+18+50+0+12+13·1 = 185; 185 mod 23 = 1 (23·8 = 184); index 1 = B.
        #expect(UPN.checkLetter(forLastTwelve: "82012342501B") == "B")
        let upn = try UPN(lastTwelve: "82012342501B")
        #expect(upn.value == "B82012342501B")
        #expect(upn.isTemporary)
        #expect(try UPN("b82012342501b") == upn)
        #expect(throws: IdentifierError(field: "UPN", value: "C82012342501B",
                                        reason: "the check letter should be B, not C")) {
            try UPN("C82012342501B")
        }
    }

    @Test("I, O and S are never used as a temporary UPN's final letter", arguments: ["I", "O", "S"])
    func forbiddenFinalLetters(letter: String) {
        do {
            _ = try UPN("A82012342501" + letter)
            Issue.record("accepted a UPN ending in \(letter)")
        } catch {
            #expect(error.reason.contains("I, O and S are never used"))
        }
    }

    @Test func trimsAndUpperCases() throws {
        #expect(try UPN("  h243278544154 ").value == "H243278544154")
    }

    @Test func patternErrors() {
        #expect(throws: IdentifierError(field: "UPN", value: "A95000017830", reason: "must be 13 characters; got 12")) {
            try UPN("A95000017830")
        }
        #expect(throws: IdentifierError(field: "UPN", value: "A95X000178301",
                                        reason: "characters 2 to 12 must be digits; found 'X' at position 4")) {
            try UPN("A95X000178301")
        }
        #expect(throws: IdentifierError.self) { try UPN("1950000178301") }
    }

    @Test("any single changed character of a generated UPN is caught")
    func singleSubstitutionsAreCaught() throws {
        var rng = SplitMix64(seed: 3)
        for k in 0..<300 {
            var body = randomDigits(11, using: &rng)
            body += k.isMultiple(of: 3) ? String(UPN.alphabet.randomElement(using: &rng)!) : randomDigits(1, using: &rng)
            let upn = try UPN(lastTwelve: body)
            #expect(try UPN(upn.value) == upn)
            #expect(try JSONDecoder().decode(UPN.self, from: JSONEncoder().encode(upn)) == upn)
            var chars = Array(upn.value)
            let i = Int.random(in: 1..<12, using: &rng)
            chars[i] = Character(String((Int(String(chars[i]))! + Int.random(in: 1...9, using: &rng)) % 10))
            #expect(!UPN.isValid(String(chars)), "\(upn.value) → \(String(chars))")
        }
    }
}

@Suite("Postcode")
struct PostcodeTests {
    @Test("any case and spacing is normalised", arguments: [
        ("sw1a1aa", "SW1A 1AA"), (" SW1A  1AA ", "SW1A 1AA"), ("m1 1ae", "M1 1AE"), ("B338TH", "B33 8TH"),
        ("cr2 6xh", "CR2 6XH"), ("DN55 1PT", "DN55 1PT"), ("w1a 0ax", "W1A 0AX"), ("EC1A 1BB", "EC1A 1BB"),
        ("gir0aa", "GIR 0AA"),
    ])
    func normalises(text: String, expected: String) throws {
        let p = try Postcode(text)
        #expect(p.normalised == expected)
        #expect(p.description == expected)
        #expect(try Postcode(expected) == p)
    }

    @Test func partsOfAPostcode() throws {
        let p = try Postcode("sw1a 1aa")
        #expect(p.outward == "SW1A")
        #expect(p.inward == "1AA")
        #expect(p.sector == "SW1A 1")
        #expect(p.district == "SW1A")
        #expect(p.area == "SW")
        let q = try Postcode("M1 1AE")
        #expect((q.area, q.district, q.sector) == ("M", "M1", "M1 1"))
        let r = try Postcode("DN55 1PT")
        #expect((r.area, r.district, r.sector) == ("DN", "DN55", "DN55 1"))
    }

    @Test("letter restrictions are enforced", arguments: [
        ("QA1 1AA", "cannot start with Q"),
        ("V1 1AA", "cannot start with V"),
        ("X1 1AA", "cannot start with X"),
        ("AI1 1AA", "second letter cannot be I"),
        ("AJ1 1AA", "second letter cannot be J"),
        ("AZ1 1AA", "second letter cannot be Z"),
        ("W1L 0AX", "form A9A the last letter must be one of"),
        ("EC1C 1BB", "form AA9A the last letter must be one of"),
        ("SW1A 1CA", "cannot contain the letter C"),
        ("SW1A 1AI", "cannot contain the letter I"),
        ("SW1A 1KA", "cannot contain the letter K"),
        ("SW1A 1AM", "cannot contain the letter M"),
        ("SW1A 1OA", "cannot contain the letter O"),
        ("SW1A 1AV", "cannot contain the letter V"),
    ])
    func restrictions(text: String, fragment: String) {
        do {
            let p = try Postcode(text)
            Issue.record("accepted \(text) as \(p)")
        } catch {
            #expect(error.field == "postcode")
            #expect(error.value == text)
            #expect(error.reason.contains(fragment), "\(error)")
        }
    }

    @Test("malformed postcodes are rejected with a reason", arguments: [
        "", "SW1", "SW1A 1AAA", "S1A1 1AA", "SW1A AAA", "SW1A 11A", "SW1A-1AA", "123 1AA", "ABCDE 1AA",
    ])
    func malformed(text: String) {
        #expect(throws: IdentifierError.self) { try Postcode(text) }
    }

    /// The parser must accept exactly what the STANDARDS §4.3 regex accepts.
    @Test("agrees with the STANDARDS regex on many random strings")
    func agreesWithRegex() throws {
        let regex = try Regex(#"^(GIR ?0AA|[A-PR-UWYZ]([0-9]{1,2}|([A-HK-Y][0-9]([0-9]|[ABEHMNPRV-Y])?)|[0-9][A-HJKPSTUW]) ?[0-9][ABD-HJLNP-UW-Z]{2})$"#)
        var rng = SplitMix64(seed: 4)
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        let digits = Array("0123456789")
        var accepted = 0
        for _ in 0..<20_000 {
            // Random shapes biased towards plausible postcodes so that many are valid.
            let outwardShape = ["A9", "A99", "A9A", "AA9", "AA99", "AA9A", "9A", "AAA9"].randomElement(using: &rng)!
            var s = ""
            for ch in outwardShape { s.append(ch == "A" ? letters.randomElement(using: &rng)! : digits.randomElement(using: &rng)!) }
            s += " "
            s.append(digits.randomElement(using: &rng)!)
            s.append(letters.randomElement(using: &rng)!)
            s.append(letters.randomElement(using: &rng)!)
            let byRegex = s.wholeMatch(of: regex) != nil
            let byParser = Postcode.isValid(s)
            #expect(byRegex == byParser, "\(s): regex \(byRegex), parser \(byParser)")
            if byParser { accepted += 1; #expect(try Postcode(s).normalised == s) }
        }
        #expect(accepted > 1_000)
    }

    @Test func codableUsesTheNormalisedForm() throws {
        let data = try JSONEncoder().encode(try Postcode("sw1a1aa"))
        #expect(String(decoding: data, as: UTF8.self) == "\"SW1A 1AA\"")
        #expect(try JSONDecoder().decode(Postcode.self, from: Data("\"b33 8th\"".utf8)).normalised == "B33 8TH")
    }
}

@Suite("URN and ODS code")
struct URNAndODSTests {
    @Test func urn() throws {
        #expect(try URN("100000").value == 100_000)
        #expect(try URN(" 1234567 ").value == 1_234_567)
        #expect(try URN("123456").description == "123456")
        #expect(throws: IdentifierError(field: "URN", value: "12345", reason: "must be 6 or 7 digits; got 5")) {
            try URN("12345")
        }
        #expect(throws: IdentifierError(field: "URN", value: "12345678", reason: "must be 6 or 7 digits; got 8")) {
            try URN("12345678")
        }
        #expect(throws: IdentifierError(field: "URN", value: "12A456", reason: "must contain only digits; found 'A'")) {
            try URN("12A456")
        }
        #expect(throws: IdentifierError.self) { try URN("012345") }
        #expect(URN(value: 99_999) == nil)
        #expect(URN(value: 10_000_000) == nil)
        #expect(URN(value: 137_042)?.description == "137042")
        let urn = try URN("137042")
        #expect(try JSONDecoder().decode(URN.self, from: JSONEncoder().encode(urn)) == urn)
    }

    @Test func odsCode() throws {
        #expect(try ODSCode("a81001").value == "A81001")
        #expect(try ODSCode(" RX1 ").value == "RX1")
        #expect(throws: IdentifierError(field: "ODS code", value: "R1", reason: "must be 3 to 6 letters and digits; got 2")) {
            try ODSCode("R1")
        }
        #expect(throws: IdentifierError.self) { try ODSCode("A81001X") }
        #expect(throws: IdentifierError.self) { try ODSCode("A8-001") }
    }
}

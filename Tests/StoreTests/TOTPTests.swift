import Foundation
import Testing
@testable import Store

@Suite("Two-factor codes (RFC 6238 / RFC 4226)")
struct TOTPTests {
    /// RFC 6238 appendix B's SHA-1 secret: the ASCII bytes of "12345678901234567890".
    let rfcSecret = Array("12345678901234567890".utf8)

    @Test("the RFC 6238 SHA-1 test vectors, 8 digits, and their 6-digit codes")
    func rfcVectors() {
        let vectors: [(TimeInterval, String)] = [
            (59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
        ]
        for (time, expected) in vectors {
            let counter = TOTP.counter(at: Date(timeIntervalSince1970: time))
            #expect(TOTP.code(secret: rfcSecret, counter: counter, digits: 8) == expected, "T=\(Int(time))")
            #expect(TOTP.code(secret: rfcSecret, counter: counter) == String(expected.suffix(6)), "T=\(Int(time))")
        }
    }

    @Test("a code is accepted one step either side of now, not two; typed spaces are forgiven; letters are not")
    func window() {
        let now = Date(timeIntervalSince1970: 1_234_567_890)
        let counter = TOTP.counter(at: now)
        for delta in [-1, 0, 1] {
            let code = TOTP.code(secret: rfcSecret, counter: UInt64(Int64(counter) + Int64(delta)))
            #expect(TOTP.matchingCounter(code, secret: rfcSecret, at: now) == UInt64(Int64(counter) + Int64(delta)))
        }
        for delta in [-2, 2] {
            let code = TOTP.code(secret: rfcSecret, counter: UInt64(Int64(counter) + Int64(delta)))
            #expect(TOTP.matchingCounter(code, secret: rfcSecret, at: now) == nil)
        }
        #expect(TOTP.matchingCounter("005 924", secret: rfcSecret, at: now) == counter)
        #expect(TOTP.matchingCounter("00592a", secret: rfcSecret, at: now) == nil)
        #expect(TOTP.matchingCounter("", secret: rfcSecret, at: now) == nil)
        #expect(TOTP.matchingCounter("٠٠٥٩٢٤", secret: rfcSecret, at: now) == nil)
    }

    @Test("base 32 round-trips (RFC 4648 test vectors) and refuses other characters")
    func base32() {
        let vectors = [("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"), ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI")]
        for (plain, encoded) in vectors {
            #expect(Base32.encode(Array(plain.utf8)) == encoded)
            #expect(Base32.decode(encoded) == Array(plain.utf8))
            #expect(Base32.decode(encoded.lowercased() + "==") == Array(plain.utf8))
        }
        #expect(Base32.decode("MZXW1") == nil)
        let secret = TOTP.newSecret()
        #expect(secret.count == 20)
        #expect(Base32.decode(Base32.encode(secret)) == secret)
        #expect(TOTP.newSecret() != secret)
    }

    @Test("the setup link names the issuer, the account and the secret")
    func provisioningURI() {
        let uri = TOTP.provisioningURI(secret: rfcSecret, account: "social-worker@demo.eyeson.test", issuer: "EyesOn")
        #expect(uri == "otpauth://totp/EyesOn:social-worker@demo.eyeson.test?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=EyesOn&algorithm=SHA1&digits=6&period=30")
    }
}

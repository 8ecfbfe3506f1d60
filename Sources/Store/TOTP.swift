import Foundation
import Crypto

/// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): HMAC-SHA1, 6 digits, 30-second
/// steps — what every authenticator app makes from a shared secret.
public enum TOTP {
    public static let digits = 6
    public static let step: TimeInterval = 30
    /// Codes one step either side of now are accepted, for a phone's clock a little off.
    public static let window = 1

    /// A new random 160-bit secret (RFC 4226 §4 recommends 160 bits).
    public static func newSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<20).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// The step counter at `date`.
    public static func counter(at date: Date) -> UInt64 {
        UInt64(max(0, date.timeIntervalSince1970) / step)
    }

    /// HOTP (RFC 4226 §5.3): the code for one counter value.
    public static func code(secret: [UInt8], counter: UInt64, digits: Int = digits) -> String {
        var message = [UInt8](repeating: 0, count: 8)
        for i in 0..<8 { message[i] = UInt8(truncatingIfNeeded: counter >> (8 * (7 - UInt64(i)))) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let binary = (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let number = String(binary % modulus)
        return String(repeating: "0", count: digits - number.count) + number
    }

    /// The counter whose code `typed` is, within the window around `date`; nil when it matches none.
    /// Spaces and dashes people type between the digits are ignored.
    public static func matchingCounter(_ typed: String, secret: [UInt8], at date: Date) -> UInt64? {
        let code = typed.filter { !$0.isWhitespace && $0 != "-" }
        guard code.count == digits, code.allSatisfy(\.isASCII), code.allSatisfy(\.isNumber) else { return nil }
        let now = counter(at: date)
        var found: UInt64?
        // Every candidate is computed and compared, so the time taken does not say which matched.
        for delta in -window...window {
            let candidate = Int64(now) + Int64(delta)
            guard candidate >= 0 else { continue }
            if ConstantTime.equal(self.code(secret: secret, counter: UInt64(candidate)), code) { found = UInt64(candidate) }
        }
        return found
    }

    /// What an authenticator app scans or is given: `otpauth://totp/ISSUER:ACCOUNT?secret=…`.
    public static func provisioningURI(secret: [UInt8], account: String, issuer: String) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~@"))
        let label = "\(issuer):\(account)".addingPercentEncoding(withAllowedCharacters: allowed.union(CharacterSet(charactersIn: ":"))) ?? account
        let issuerParameter = issuer.addingPercentEncoding(withAllowedCharacters: allowed) ?? issuer
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret))&issuer=\(issuerParameter)&algorithm=SHA1&digits=\(digits)&period=\(Int(step))"
    }
}

/// RFC 4648 base 32 (A–Z, 2–7), how authenticator apps take a secret typed by hand.
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// Without padding, as authenticator apps expect.
    public static func encode(_ bytes: [UInt8]) -> String {
        var output = [UInt8]()
        var buffer = 0, bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { output.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return String(decoding: output, as: UTF8.self)
    }

    /// Nil for any character outside the alphabet (case, spaces and padding are forgiven).
    public static func decode(_ text: String) -> [UInt8]? {
        var output = [UInt8]()
        var buffer = 0, bits = 0
        for character in text.uppercased().utf8 where character != UInt8(ascii: " ") && character != UInt8(ascii: "=") {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = ((buffer << 5) | value) & 0xffff
            bits += 5
            if bits >= 8 {
                output.append(UInt8((buffer >> (bits - 8)) & 0xff))
                bits -= 8
            }
        }
        return output
    }
}

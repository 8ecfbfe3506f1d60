import Foundation
import Crypto

/// SHA-256 as lower-case hex, for the audit chain's links and the API tokens' stored hashes.
public enum Hashing {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    public static func sha256Hex(_ text: String) -> String {
        let digest = SHA256.hash(data: Data(text.utf8))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        for byte in digest {
            bytes.append(hexDigits[Int(byte >> 4)])
            bytes.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

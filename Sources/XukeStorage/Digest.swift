public import Foundation
import Crypto

/// Lower-case hex SHA-256: the key of stored files, token hashes, commitment hashes and data checksums.
public func sha256Hex(_ bytes: some DataProtocol) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(64)
    for b in SHA256.hash(data: Data(bytes)) { out += [digits[Int(b >> 4)], digits[Int(b & 15)]] }
    return String(decoding: out, as: UTF8.self)
}

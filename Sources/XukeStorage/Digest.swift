public import Foundation
import Crypto

/// Lower-case hex SHA-256: the key of stored files, token hashes, commitment hashes and data checksums.
public func sha256Hex(_ bytes: some DataProtocol) -> String {
    SHA256.hash(data: Data(bytes)).map { String(format: "%02x", $0) }.joined()
}

public import Foundation
import Crypto
import XukeTrust

/// Lower-case hex SHA-256: the key of stored files, token hashes, commitment hashes and data checksums.
public func sha256Hex(_ bytes: some DataProtocol) -> String {
    Array(SHA256.hash(data: bytes)).hex
}

public import Crypto
import Foundation

/// A C2SP signed-note key for Ed25519: `name+hexkeyid+base64(0x01‖pub)`.
public struct NoteVerifierKey: Sendable, Equatable {
    public var name: String
    public var publicKey: [UInt8]

    public init(name: String, publicKey: [UInt8]) {
        self.name = name
        self.publicKey = publicKey
    }

    /// First four bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key).
    public var keyID: [UInt8] { Array(Merkle.sha256(Array(name.utf8) + [0x0A, 0x01] + publicKey).prefix(4)) }

    public var vkey: String { "\(name)+\(keyID.hex)+\(Data([0x01] + publicKey).base64EncodedString())" }

    public init?(vkey: String) {
        let parts = vkey.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let id = [UInt8](hex: String(parts[1])), id.count == 4,
              let raw = Data(base64Encoded: String(parts[2])), raw.count == 33, raw.first == 0x01 else { return nil }
        self.init(name: String(parts[0]), publicKey: Array(raw.dropFirst()))
        guard keyID == id, NoteVerifierKey.validName(name) else { return nil }
    }

    static func validName(_ name: String) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains { $0 == "+" || $0.properties.isWhitespace || $0.value < 0x20 }
    }
}

/// A C2SP tlog-checkpoint: origin, tree size and root hash, signed as a note.
public struct Checkpoint: Sendable, Equatable {
    public var origin: String
    public var size: Int
    public var root: [UInt8]

    public init(origin: String, size: Int, root: [UInt8]) {
        self.origin = origin
        self.size = size
        self.root = root
    }

    public var text: String { "\(origin)\n\(size)\n\(Data(root).base64EncodedString())\n" }

    /// The note: text, a blank line, and one signature line per signer (the dash is U+2014).
    public func signed(name: String, key: Curve25519.Signing.PrivateKey) throws -> String {
        let verifier = NoteVerifierKey(name: name, publicKey: Array(key.publicKey.rawRepresentation))
        let signature = try key.signature(for: Array(text.utf8))
        return text + "\n\u{2014} \(name) \(Data(verifier.keyID + Array(signature)).base64EncodedString())\n"
    }

    /// Opens a note signed by `key`; any malformed part, or no valid signature by that key, throws.
    public static func open(_ note: String, key: NoteVerifierKey) throws -> Checkpoint {
        guard let split = note.range(of: "\n\n") else { throw TrustError.malformed("note has no signature block") }
        let text = String(note[..<split.lowerBound]) + "\n"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        guard lines.count >= 3, let size = Int(lines[1]), size >= 0, String(size) == lines[1],
              let root = Data(base64Encoded: String(lines[2])), root.count == 32 else {
            throw TrustError.malformed("checkpoint text is not origin / size / root")
        }
        var verified = false
        let prefix = "\u{2014} \(key.name) "
        for line in note[split.upperBound...].split(separator: "\n") {
            guard line.hasPrefix(prefix), let blob = Data(base64Encoded: String(line.dropFirst(prefix.count))),
                  blob.count == 68, Array(blob.prefix(4)) == key.keyID else { continue }
            let pub = try Curve25519.Signing.PublicKey(rawRepresentation: key.publicKey)
            if pub.isValidSignature(blob.dropFirst(4), for: Array(text.utf8)) { verified = true }
        }
        guard verified else { throw TrustError.badSignature }
        return Checkpoint(origin: String(lines[0]), size: size, root: Array(root))
    }
}

/// Failures of the verifiable formats, each with a stable code.
public enum TrustError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    case badSignature
    case unknownKey(String)

    public var code: String {
        switch self {
        case .malformed: "trust.malformed"
        case .badSignature: "trust.bad_signature"
        case .unknownKey: "trust.unknown_key"
        }
    }

    public var description: String {
        switch self {
        case .malformed(let why): "malformed: \(why)"
        case .badSignature: "signature does not verify"
        case .unknownKey(let kid): "unknown key \(kid)"
        }
    }
}

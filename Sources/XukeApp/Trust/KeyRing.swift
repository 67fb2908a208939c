public import Crypto
import Foundation
import Synchronization
import XukeTrust
import XukeStorage

/// A private Ed25519 key. Its raw bytes never change after creation, so sharing it across tasks is safe.
public struct SigningKey: @unchecked Sendable {
    public let kid: String
    public let authority: String
    public let privateKey: Curve25519.Signing.PrivateKey
    public var publicKey: [UInt8] { Array(privateKey.publicKey.rawRepresentation) }
}

/// Private keys kept as files readable by the platform's user alone (0600, in a 0700 directory): one per
/// issuer key, named by key id, and `log.key` for the transparency log.
public final class KeyRing: Sendable {
    struct KeyFile: Codable {
        var kid: String
        var authority: String
        var seed: String
        var createdAt: String
    }

    public let directory: String
    private let cache = Mutex<[String: SigningKey]>([:])

    public init(directory: String) {
        self.directory = directory
    }

    func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    private func write(_ file: KeyFile, to name: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let data = try JSONEncoder().encode(file)
        // Created with 0600 from the start, so the key is never readable by others even for a moment.
        guard FileManager.default.createFile(atPath: path(name), contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw KeyRingError.unwritable(path(name))
        }
    }

    private func read(_ name: String) throws -> SigningKey {
        if let k = cache.withLock({ $0[name] }) { return k }
        let p = path(name)
        let attributes = try? FileManager.default.attributesOfItem(atPath: p)
        guard let data = FileManager.default.contents(atPath: p), let mode = attributes?[.posixPermissions] as? Int else {
            throw KeyRingError.missing(p)
        }
        guard mode & 0o077 == 0 else { throw KeyRingError.exposed(p, mode) }
        guard let file = try? JSONDecoder().decode(KeyFile.self, from: data), let seed = Base64URL.decode(file.seed), seed.count == 32,
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else { throw KeyRingError.corrupt(p) }
        let k = SigningKey(kid: file.kid, authority: file.authority, privateKey: key)
        cache.withLock { $0[name] = k }
        return k
    }

    /// Creates a new issuer key file; the caller registers its public half.
    public func generate(authority: String, at: String) throws -> SigningKey {
        let key = Curve25519.Signing.PrivateKey()
        let kid = JWK.keyID(Array(key.publicKey.rawRepresentation))
        try write(KeyFile(kid: kid, authority: authority, seed: Base64URL.encode(key.rawRepresentation), createdAt: at), to: "\(kid).key")
        return SigningKey(kid: kid, authority: authority, privateKey: key)
    }

    public func key(kid: String) throws -> SigningKey { try read("\(kid).key") }

    public func path(forKid kid: String) -> String { path("\(kid).key") }

    /// Fails unless a key file can be written here, before anything records a key whose file could not be saved.
    func checkWritable() throws {
        let probe = path(".write-probe")
        do {
            try FileManager.default.createDirectory(atPath: (probe as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            try Data().write(to: URL(fileURLWithPath: probe))
            try FileManager.default.removeItem(atPath: probe)
        } catch {
            throw KeyRingError.unwritable((probe as NSString).deletingLastPathComponent)
        }
    }

    /// The log's key file, if this directory has one.
    func existingLogKey() throws -> SigningKey? {
        FileManager.default.fileExists(atPath: path("log.key")) ? try read("log.key") : nil
    }

    /// A new log key, in memory: it is written (`saveLogKey`) only once the database has recorded it as the log's.
    func newLogKey(origin: String) -> SigningKey {
        SigningKey(kid: "log", authority: origin, privateKey: Curve25519.Signing.PrivateKey())
    }

    func saveLogKey(_ key: SigningKey, at: String) throws -> SigningKey {
        try write(KeyFile(kid: "log", authority: key.authority, seed: Base64URL.encode(key.privateKey.rawRepresentation), createdAt: at), to: "log.key")
        return try read("log.key")
    }
}

public enum KeyRingError: Error, CustomStringConvertible {
    case missing(String)
    case exposed(String, Int)
    case corrupt(String)
    case unwritable(String)
    /// The database records a log key and this server's keys directory has none.
    case logKeyElsewhere(String)
    /// This server's log key is not the one the database records.
    case logKeyDiffers(path: String, recorded: String, local: String)
    /// An issuer key in use has no private half in this server's keys directory, or another one.
    case issuerKeyMissing(kid: String, path: String)

    public var description: String {
        switch self {
        case .logKeyElsewhere(let p):
            "the public log's key was made on another server and \(p) is missing: copy that server's log.key into this keys directory (XUKE_KEYS_DIR) / 公示日志密钥由其他服务器生成，本机缺少该文件：请将其 log.key 复制到本机密钥目录"
        case .logKeyDiffers(let p, let recorded, let local):
            "\(p) holds log key \(local), but the database records \(recorded): every server must sign the log with the same key, so copy the recorded one here / 本机日志密钥与数据库登记的不一致：所有服务器必须使用同一日志密钥"
        case .issuerKeyMissing(let kid, let p):
            "issuer key \(kid) is in use but its private key \(p) is missing or is another key: copy it from the server that made it, or retire it with `xuke keys generate` for its authority / 在用签发密钥缺少私钥文件：请从生成它的服务器复制，或为该机关生成新密钥"
        case .missing(let p): "signing key file \(p) is missing / 签名密钥文件缺失"
        case .exposed(let p, let mode): "signing key file \(p) has mode \(String(mode, radix: 8)); it must be 0600 / 密钥文件权限必须为0600"
        case .corrupt(let p): "signing key file \(p) is not a key / 密钥文件已损坏"
        case .unwritable(let p): "cannot write signing key file \(p) / 无法写入密钥文件"
        }
    }
}

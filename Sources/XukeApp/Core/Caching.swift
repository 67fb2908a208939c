import Crypto
import Foundation
import Hummingbird
import Synchronization
import XukeTrust

/// Answers that are the same for everyone (QR images, status lists, key sets) carry a strong ETag and a
/// Cache-Control; a client or proxy that already holds the bytes gets 304 without them.
enum HTTPCache {
    static func respond(_ request: Request, bytes: [UInt8], type: String, cacheControl: String) -> Response {
        let tag = "\"" + Array(SHA256.hash(data: bytes).prefix(16)).hex + "\""
        var headers: HTTPFields = [.eTag: tag, .cacheControl: cacheControl]
        if let sent = request.headers[.ifNoneMatch], sent.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == tag || $0 == "*" }) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = type
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// A bounded cache of rendered images by the text they encode: a QR code is a pure function of its credential,
/// and rendering one costs far more than looking it up. Oldest entries go first.
final class RenderCache: Sendable {
    let capacity: Int
    private let state = Mutex<(entries: [String: [UInt8]], order: [String])>(([:], []))

    init(capacity: Int) { self.capacity = capacity }

    func value(_ key: String, render: () throws -> [UInt8]) rethrows -> [UInt8] {
        if let hit = state.withLock({ $0.entries[key] }) { return hit }
        let bytes = try render()
        state.withLock { s in
            guard s.entries[key] == nil else { return }
            s.entries[key] = bytes
            s.order.append(key)
            if s.order.count > capacity { s.entries[s.order.removeFirst()] = nil }
        }
        return bytes
    }
}

import Foundation
import Hummingbird
import NIOCore
import XukeDomain
import XukeQR
import XukeStorage
import XukeTrust

/// The verifiable parts over HTTP, all public and read-only: keys, status lists, credentials, verification,
/// the public query, and the transparency log (checkpoint, proofs, C2SP tiles).
struct TrustAPI {
    let s: TrustService

    static func text(_ body: String, _ type: String, cache: String = "no-cache") -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: cache], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func bytes(_ body: [UInt8], _ type: String, cache: String = "no-cache") -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: cache], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    func register(root router: Router<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        router.get(".well-known/jwks.json") { request, _ in
            let set = try await s.jwks()
            return HTTPCache.respond(request, bytes: Array(try AppJSON.responseEncoder.encode(set)), type: "application/json", cacheControl: "public, max-age=300")
        }
        router.get("status/{list}") { request, c in
            let list = try c.parameters.require("list")
            guard list.utf8.count <= 16 else { throw AppError.notFound("status list") }
            let token = try await s.statusToken(list: list)
            return HTTPCache.respond(request, bytes: Array(token.utf8), type: "application/statuslist+jwt", cacheControl: "public, max-age=300")
        }
        router.get("log/checkpoint") { _, _ in Self.text(try await s.checkpoint(), "text/plain; charset=utf-8") }
        router.get("log/key") { _, _ in Self.text(s.transparency.verifierKey.vkey + "\n", "text/plain; charset=utf-8", cache: "max-age=86400") }
        router.get("log/tile/**") { request, _ in
            let path = String(request.uri.path.dropFirst("/log/tile/".count))
            let tile = try LogTilePath(path).orBadRequest("tile", "<L>/<N>[.p/<W>] or entries/<N>[.p/<W>]")
            guard let bytes = try await s.tile(tile) else { throw AppError.notFound("tile \(path)") }
            // A full tile never changes; a partial one grows with the log.
            return Self.bytes(bytes, "application/octet-stream", cache: tile.width == 256 ? "max-age=31536000, immutable" : "no-cache")
        }

        api.get("log/proof/inclusion") { request, _ in
            let index = try request.intQuery("index", range: 0...Int.max).orBadRequest("index", "a leaf index")
            // The log only grows, so a proof up to a size read here stays valid however far it has grown since.
            let current = try await s.logSize()
            let size = try request.intQuery("size", range: 1...max(1, current)) ?? current
            guard index < size else {
                throw AppError(.log.index)
            }
            return JSONReply(try await s.inclusionProof(index: index, size: size))
        }
        api.get("log/proof/consistency") { request, _ in
            let current = try await s.logSize()
            guard current > 0 else { throw AppError(.log.empty) }
            let to = try request.intQuery("to", range: 1...current) ?? current
            let from = try request.intQuery("from", range: 1...to).orBadRequest("from", "a size from 1 to `to`")
            return JSONReply(try await s.consistencyProof(from: from, to: to))
        }

        api.get("public/licenses") { request, c in
            let paging = try request.paging()
            let rows = try await s.publicSearch(text: request.query("q") ?? "", unit: request.query("unit"), province: request.query("province"), paging: paging)
            return JSONReply(Page(rows, limit: paging.limit) { "\($0.id)" })
        }
        api.get("public/licenses/{id}/credential") { _, c in
            JSONReply(try await s.credentialView(licenseID: try c.parameters.require("id", as: Int.self)))
        }
        // A license's current credential changes with the license, so clients revalidate; the ETag makes that cheap.
        api.get("public/licenses/{id}/credential.png") { request, c in
            let jws = try await s.currentCredential(licenseID: try c.parameters.require("id", as: Int.self))
            let png = try s.renders.value("png:" + jws) { try s.qrCode(jws).png(scale: 4) }
            return HTTPCache.respond(request, bytes: png, type: "image/png", cacheControl: "public, no-cache")
        }
        api.get("public/licenses/{id}/credential.svg") { request, c in
            let jws = try await s.currentCredential(licenseID: try c.parameters.require("id", as: Int.self))
            let svg = try s.renders.value("svg:" + jws) { Array(try s.qrCode(jws).svg().utf8) }
            return HTTPCache.respond(request, bytes: svg, type: "image/svg+xml", cacheControl: "public, no-cache")
        }
        api.post("verify") { request, c in
            // Read without Codable: this is the busiest public endpoint, and its body is one string.
            guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
                throw AppError(.request.contentTypeJson)
            }
            guard let body = try? JSONValue.parse(try await request.bodyBytes(limit: 16 * 1024).readableBytesView), case .object = body else {
                throw AppError(.request.malformedJson)
            }
            guard let jws = body["jws"]?.stringValue else {
                throw AppError(.request.missingFieldJws)
            }
            return Self.bytes(try await s.verifyAnswer(jws), "application/json; charset=utf-8")
        }
    }
}

/// A C2SP tlog-tiles path: `<L>/<N>` or `entries/<N>`, optionally `.p/<W>`, with N in x-prefixed groups of three digits.
struct LogTilePath: Equatable {
    var entries: Bool
    var level: Int
    var index: Int
    var width: Int

    init?(_ path: String) {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var width = 256
        if parts.count >= 2, parts[parts.count - 2].hasSuffix(".p") {
            guard let w = Int(parts[parts.count - 1]), (1...255).contains(w), String(w) == parts[parts.count - 1] else { return nil }
            width = w
            parts.removeLast()
            parts[parts.count - 1].removeLast(2)
        }
        guard parts.count >= 2 else { return nil }
        if parts[0] == "entries" {
            entries = true
            level = 0
        } else {
            guard let l = Int(parts[0]), (0...63).contains(l), String(l) == parts[0] else { return nil }
            entries = false
            level = l
        }
        // A tile index below 2^40 covers any log this platform can hold (2^48 leaves at level 0); bounding the
        // groups first keeps every product below and the arithmetic of `exists` far from overflow.
        let groups = parts.dropFirst()
        guard groups.count <= 5 else { return nil }
        var n = 0
        for (i, g) in groups.enumerated() {
            let last = i == groups.count - 1
            let digits = last ? g : String(g.dropFirst())
            guard last || g.hasPrefix("x"), digits.utf8.count == 3, digits.utf8.allSatisfy({ (48...57).contains($0) }), let v = Int(digits) else { return nil }
            n = n * 1000 + v
        }
        guard n < LogTilePath.maxIndex else { return nil }
        index = n
        self.width = width
    }

    static let maxIndex = 1 << 40

    /// Full tiles exist once the tree has 256 complete subtrees of their height past the tile's start; a
    /// partial tile at any width the tree already covers (its hashes never change).
    func exists(in size: Int) -> Bool {
        let available = (size >> min(8 * level, 63)) - index * 256
        return width == 256 ? available >= 256 : width <= available
    }
}

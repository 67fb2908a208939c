#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HTTPTypes
import Foundation

/// An IPv4 or IPv6 address as its 4 or 16 bytes, parsed by the C library (inet_pton), never by pattern.
struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    let bytes: [UInt8]

    init?(_ text: some StringProtocol) {
        var text = String(text)
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if let zone = text.firstIndex(of: "%") { text = String(text[..<zone]) }
        guard text.utf8.count <= 64 else { return nil }
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            let b = withUnsafeBytes(of: &v6) { Array($0) }
            // An IPv4-mapped IPv6 address is that IPv4 address.
            bytes = b[0..<10].allSatisfy { $0 == 0 } && b[10] == 0xFF && b[11] == 0xFF ? Array(b[12...]) : b
        } else {
            return nil
        }
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    var isV4: Bool { bytes.count == 4 }

    var description: String {
        if isV4 { return bytes.map(String.init).joined(separator: ".") }
        var out = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var raw = in6_addr()
        withUnsafeMutableBytes(of: &raw) { $0.copyBytes(from: bytes) }
        guard inet_ntop(AF_INET6, &raw, &out, socklen_t(out.count)) != nil else { return "?" }
        return String(decoding: out.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Loopback, private, link-local, unique-local, unspecified, multicast or otherwise not a public host: where a
    /// webhook must never be sent (RFC 1918, 6598, 3927, 4193, 4291, 6890).
    var isInternal: Bool { IPRange.internal.contains { $0.contains(self) } }

    var isLoopback: Bool { IPRange.loopback.contains { $0.contains(self) } }
}

/// An address block in CIDR notation (`10.0.0.0/8`, `fd00::/8`) or one address.
struct IPRange: Sendable, Hashable {
    let base: IPAddress
    let bits: Int

    init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let first = parts.first, let base = IPAddress(first) else { return nil }
        let max = base.bytes.count * 8
        if parts.count == 2 {
            guard parts[1].utf8.count <= 3, let bits = Int(parts[1]), (0...max).contains(bits) else { return nil }
            self.bits = bits
        } else {
            self.bits = max
        }
        self.base = base
    }

    func contains(_ a: IPAddress) -> Bool {
        guard a.bytes.count == base.bytes.count else { return false }
        var left = bits
        for (x, y) in zip(a.bytes, base.bytes) where left > 0 {
            let take = min(8, left)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
            if x & mask != y & mask { return false }
            left -= take
        }
        return true
    }

    static let loopback = ["127.0.0.0/8", "::1/128"].compactMap(IPRange.init)

    static let `internal` = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
        "::/96", "::1/128", "::ffff:0:0/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001:db8::/32", "2002::/16", "fc00::/7", "fe80::/10",
        "fec0::/10", "ff00::/8",
    ].compactMap(IPRange.init)

    /// A comma- or space-separated list, as `XUKE_TRUSTED_PROXIES` holds it; nil when an item is not a range.
    static func list(_ text: String) -> [IPRange]? {
        var out: [IPRange] = []
        for item in text.split(whereSeparator: { $0 == "," || $0 == " " }) {
            guard let r = IPRange(item) else { return nil }
            out.append(r)
        }
        return out
    }
}

/// The client's address for limits and logs: the TCP peer, unless the peer is a trusted proxy, in which case the
/// address that proxy recorded in the one header it is configured to write (`X-Forwarded-For` by default, or
/// `Forwarded`), taking the right-most hop not itself a trusted proxy. The other header is ignored: a proxy passes
/// it through untouched, so a client could write anything there.
enum ClientAddress {
    enum Header: String, Sendable { case xForwardedFor = "x-forwarded-for", forwarded }

    static func resolve(peer: String, headers: HTTPFields, trusted: [IPRange], header: Header = .xForwardedFor) -> String {
        guard !trusted.isEmpty, let peerIP = IPAddress(peer), trusted.contains(where: { $0.contains(peerIP) }) else { return peer }
        var hops: [String] = []
        if header == .forwarded, let forwarded = headers[.forwarded] {
            for element in forwarded.split(separator: ",") {
                for pair in element.split(separator: ";") {
                    let kv = pair.split(separator: "=", maxSplits: 1)
                    guard kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == "for" else { continue }
                    var v = kv[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: ["\""])
                    // for="[2001:db8::1]:4711" or for=192.0.2.1:4711
                    if v.hasPrefix("["), let close = v.firstIndex(of: "]") { v = String(v[v.index(after: v.startIndex)..<close]) }
                    else if v.filter({ $0 == ":" }).count == 1, let colon = v.firstIndex(of: ":") { v = String(v[..<colon]) }
                    hops.append(v)
                }
            }
        } else if header == .xForwardedFor, let xff = headers[.xForwardedFor] {
            hops = xff.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        for hop in hops.suffix(16).reversed() {
            guard let ip = IPAddress(hop) else { return peer }
            if !trusted.contains(where: { $0.contains(ip) }) { return ip.description }
        }
        return peer
    }
}

extension IPAddress {
    /// Every address the system resolver gives for `host` (blocking; call off the event loops).
    static func resolve(_ host: String) -> [IPAddress] {
        if let literal = IPAddress(host) { return [literal] }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var out: [IPAddress] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let n = node {
            if let sa = n.pointee.ai_addr {
                if n.pointee.ai_family == AF_INET {
                    sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { p in
                        var a = p.pointee.sin_addr
                        out.append(IPAddress(bytes: withUnsafeBytes(of: &a) { Array($0) }))
                    }
                } else if n.pointee.ai_family == AF_INET6 {
                    sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { p in
                        var a = p.pointee.sin6_addr
                        let b = withUnsafeBytes(of: &a) { Array($0) }
                        out.append(b[0..<10].allSatisfy { $0 == 0 } && b[10] == 0xFF && b[11] == 0xFF ? IPAddress(bytes: Array(b[12...])) : IPAddress(bytes: b))
                    }
                }
            }
            node = n.pointee.ai_next
        }
        return out
    }
}

import CZlib

/// RFC 1950 ZLIB streams and CRC-32 through the system zlib: status lists and PNG images both need them.
public enum Zlib {
    public static func compress(_ input: [UInt8], level: Int32 = 9) -> [UInt8] {
        var outLength = compressBound(uLong(input.count))
        var out = [UInt8](repeating: 0, count: Int(outLength))
        let rc = input.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                compress2(dst.baseAddress, &outLength, src.baseAddress, uLong(input.count), level)
            }
        }
        precondition(rc == Z_OK, "zlib compress2 failed: \(rc)")
        return Array(out.prefix(Int(outLength)))
    }

    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        UInt32(bytes.withUnsafeBufferPointer { CZlib.crc32(0, $0.baseAddress, uInt($0.count)) })
    }

    /// Inflates a complete stream, refusing more than `limit` bytes of output (a hostile list could be a zip bomb).
    public static func decompress(_ input: [UInt8], limit: Int = 16 << 20) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ZlibError("inflateInit failed")
        }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var input = input
        return try input.withUnsafeMutableBufferPointer { src in
            stream.next_in = src.baseAddress
            stream.avail_in = uInt(src.count)
            while true {
                let rc = chunk.withUnsafeMutableBufferPointer { dst -> Int32 in
                    stream.next_out = dst.baseAddress
                    stream.avail_out = uInt(dst.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                out.append(contentsOf: chunk.prefix(produced))
                if out.count > limit { throw ZlibError("output over \(limit) bytes") }
                switch rc {
                case Z_STREAM_END:
                    guard stream.avail_in == 0 else { throw ZlibError("data after the end of the stream") }
                    return out
                case Z_OK: continue
                case Z_BUF_ERROR where produced > 0: continue
                default: throw ZlibError(rc == Z_BUF_ERROR ? "truncated stream" : "corrupt stream (\(rc))")
                }
            }
        }
    }
}

/// Why a ZLIB stream could not be inflated.
public struct ZlibError: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "zlib: \(reason)" }
}

import XukeZlib

extension QRCode {
    /// An SVG drawing one path of dark modules, with a quiet zone of `margin` modules.
    public func svg(margin: Int = 4) -> String {
        let side = size + 2 * margin
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard self[x, y] else { x += 1; continue }
                let start = x
                while x < size && self[x, y] { x += 1 }
                path += "M\(start + margin) \(y + margin)h\(x - start)v1h-\(x - start)z"
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges">\
            <rect width="\(side)" height="\(side)" fill="#fff"/><path fill="#000" d="\(path)"/></svg>
            """
    }

    /// A 1-bit greyscale PNG, `scale` pixels per module, with a quiet zone of `margin` modules.
    public func png(scale: Int = 4, margin: Int = 4) -> [UInt8] {
        let side = (size + 2 * margin) * scale
        let rowBytes = (side + 7) / 8
        var raw = [UInt8]()
        raw.reserveCapacity((rowBytes + 1) * side)
        for py in 0..<side {
            raw.append(0)  // filter: none
            var row = [UInt8](repeating: 0xFF, count: rowBytes)
            let y = py / scale - margin
            if (0..<size).contains(y) {
                for px in 0..<side {
                    let x = px / scale - margin
                    if (0..<size).contains(x) && self[x, y] { row[px / 8] &= ~(0x80 >> UInt8(px % 8)) }
                }
            }
            raw += row
        }
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        func chunk(_ type: String, _ data: [UInt8]) {
            out += UInt32(data.count).bigEndianBytes
            let body = Array(type.utf8) + data
            out += body
            out += Zlib.crc32(body).bigEndianBytes
        }
        chunk("IHDR", UInt32(side).bigEndianBytes + UInt32(side).bigEndianBytes + [1, 0, 0, 0, 0])
        chunk("IDAT", Zlib.compress(raw))
        chunk("IEND", [])
        return out
    }
}

extension UInt32 {
    var bigEndianBytes: [UInt8] { [UInt8(self >> 24), UInt8(self >> 16 & 0xFF), UInt8(self >> 8 & 0xFF), UInt8(self & 0xFF)] }
}

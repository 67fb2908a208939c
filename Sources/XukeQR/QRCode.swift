/// A QR Code (ISO/IEC 18004) holding bytes in byte mode: versions 1–40, error-correction levels L/M/Q/H,
/// and the mask the standard's penalty rules choose (or one fixed by the caller).
public struct QRCode: Sendable, Equatable {
    public enum Level: Int, Sendable, CaseIterable {
        case L, M, Q, H
        /// The two bits the format information carries for each level (they are not in L-M-Q-H order).
        var formatBits: Int { [1, 0, 3, 2][rawValue] }
    }

    public enum Failure: Error, Equatable, Sendable {
        case tooLong(bytes: Int, capacity: Int)
        case badVersion(Int)
        case badMask(Int)
    }

    public let version: Int
    public let level: Level
    public private(set) var mask: Int
    public let size: Int
    /// Row-major, true = dark.
    public private(set) var modules: [Bool]
    private var reserved: [Bool]

    public subscript(x: Int, y: Int) -> Bool { modules[y * size + x] }

    /// The most bytes a symbol of this version and level holds in byte mode.
    public static func capacity(version: Int, level: Level) -> Int {
        let bits = dataCodewords(version, level) * 8 - 4 - (version < 10 ? 8 : 16)
        return bits / 8
    }

    /// Encodes `data` in the smallest version from `minVersion` on that holds it, unless `version` fixes one.
    public static func encode(_ data: [UInt8], level: Level = .M, version fixed: Int? = nil, minVersion: Int = 1,
                              mask fixedMask: Int? = nil) throws -> QRCode {
        if let v = fixed, !(1...40).contains(v) { throw Failure.badVersion(v) }
        if let m = fixedMask, !(0...7).contains(m) { throw Failure.badMask(m) }
        let candidates = fixed.map { [$0] } ?? Array(max(1, minVersion)...40)
        guard let version = candidates.first(where: { capacity(version: $0, level: level) >= data.count }) else {
            throw Failure.tooLong(bytes: data.count, capacity: capacity(version: candidates.last ?? 40, level: level))
        }
        let codewords = interleave(version, level, dataCodewords: pad(data, version, level))
        var symbol = QRCode(version: version, level: level)
        symbol.place(codewords)
        if let m = fixedMask {
            symbol.apply(mask: m)
            return symbol
        }
        var best: QRCode? = nil, bestPenalty = Int.max
        for m in 0..<8 {
            var candidate = symbol
            candidate.apply(mask: m)
            let p = candidate.penalty
            if p < bestPenalty { best = candidate; bestPenalty = p }
        }
        return best!
    }

    private init(version: Int, level: Level) {
        self.version = version
        self.level = level
        self.mask = 0
        size = 17 + 4 * version
        modules = Array(repeating: false, count: size * size)
        reserved = modules
        drawFunctionPatterns()
    }

    // MARK: Data codewords

    static func pad(_ data: [UInt8], _ version: Int, _ level: Level) -> [UInt8] {
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(data.count, count: version < 10 ? 8 : 16)
        for b in data { bits.append(Int(b), count: 8) }
        let capacityBits = dataCodewords(version, level) * 8
        bits.append(0, count: min(4, capacityBits - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var bytes = bits.bytes
        var padByte: UInt8 = 0xEC
        while bytes.count < capacityBits / 8 {
            bytes.append(padByte)
            padByte ^= 0xEC ^ 0x11
        }
        return bytes
    }

    /// Splits into blocks, appends each block's Reed–Solomon codewords, and interleaves column by column.
    static func interleave(_ version: Int, _ level: Level, dataCodewords data: [UInt8]) -> [UInt8] {
        let blocks = Tables.blocks[level.rawValue][version - 1]
        let ecLength = Tables.ecCodewordsPerBlock[level.rawValue][version - 1]
        let total = rawModules(version) / 8
        let shortBlocks = blocks - total % blocks
        let shortLength = total / blocks
        let divisor = ReedSolomon.generator(degree: ecLength)
        var dataBlocks: [[UInt8]] = [], ecBlocks: [[UInt8]] = []
        var offset = 0
        for i in 0..<blocks {
            let n = shortLength - ecLength + (i < shortBlocks ? 0 : 1)
            let block = Array(data[offset..<offset + n])
            offset += n
            dataBlocks.append(block)
            ecBlocks.append(ReedSolomon.remainder(block, divisor))
        }
        var out: [UInt8] = []
        out.reserveCapacity(total)
        for i in 0...(shortLength - ecLength) {
            for b in dataBlocks where i < b.count { out.append(b[i]) }
        }
        for i in 0..<ecLength {
            for b in ecBlocks { out.append(b[i]) }
        }
        return out
    }

    /// Modules left for codewords once the function patterns, format and version information are drawn.
    static func rawModules(_ version: Int) -> Int {
        var n = (16 * version + 128) * version + 64
        if version >= 2 {
            let align = version / 7 + 2
            n -= (25 * align - 10) * align - 55
            if version >= 7 { n -= 36 }
        }
        return n
    }

    static func dataCodewords(_ version: Int, _ level: Level) -> Int {
        rawModules(version) / 8 - Tables.ecCodewordsPerBlock[level.rawValue][version - 1] * Tables.blocks[level.rawValue][version - 1]
    }

    // MARK: Function patterns

    private mutating func set(_ x: Int, _ y: Int, _ dark: Bool, reserve: Bool = true) {
        modules[y * size + x] = dark
        if reserve { reserved[y * size + x] = true }
    }

    static func alignmentPositions(_ version: Int) -> [Int] {
        guard version > 1 else { return [] }
        let count = version / 7 + 2
        let size = 17 + 4 * version
        let step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
        var out = [6]
        for i in 0..<(count - 1) { out.insert(size - 7 - i * step, at: 1) }
        return out
    }

    private mutating func drawFunctionPatterns() {
        for i in 0..<size {
            set(6, i, i % 2 == 0)
            set(i, 6, i % 2 == 0)
        }
        for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for dy in -4...4 {
                for dx in -4...4 {
                    let x = cx + dx, y = cy + dy
                    guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                    let d = max(abs(dx), abs(dy))
                    set(x, y, d != 2 && d != 4)
                }
            }
        }
        let centres = Self.alignmentPositions(version)
        for (i, cx) in centres.enumerated() {
            for (j, cy) in centres.enumerated() {
                // The three corners taken by finder patterns get none.
                if (i == 0 && j == 0) || (i == 0 && j == centres.count - 1) || (i == centres.count - 1 && j == 0) { continue }
                for dy in -2...2 {
                    for dx in -2...2 { set(cx + dx, cy + dy, max(abs(dx), abs(dy)) != 1) }
                }
            }
        }
        drawFormat(mask: 0)
        drawVersion()
    }

    /// 15 bits: level and mask, BCH(15,5) with generator 0x537, XOR-ed with 0x5412.
    static func formatBits(_ level: Level, mask: Int) -> Int {
        let data = level.formatBits << 3 | mask
        var rem = data
        for _ in 0..<10 { rem = (rem << 1) ^ ((rem >> 9) * 0x537) }
        return (data << 10 | rem) ^ 0x5412
    }

    private mutating func drawFormat(mask: Int) {
        let bits = Self.formatBits(level, mask: mask)
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
        for i in 0...5 { set(8, i, bit(i)) }
        set(8, 7, bit(6))
        set(8, 8, bit(7))
        set(7, 8, bit(8))
        for i in 9..<15 { set(14 - i, 8, bit(i)) }
        for i in 0..<8 { set(size - 1 - i, 8, bit(i)) }
        for i in 8..<15 { set(8, size - 15 + i, bit(i)) }
        set(8, size - 8, true)
    }

    /// 18 bits from version 7: the version and its BCH(18,6) remainder with generator 0x1F25.
    private mutating func drawVersion() {
        guard version >= 7 else { return }
        var rem = version
        for _ in 0..<12 { rem = (rem << 1) ^ ((rem >> 11) * 0x1F25) }
        let bits = version << 12 | rem
        for i in 0..<18 {
            let dark = (bits >> i) & 1 == 1
            let a = size - 11 + i % 3, b = i / 3
            set(a, b, dark)
            set(b, a, dark)
        }
    }

    // MARK: Codewords, masks, penalty

    /// Two-column zigzag from the bottom-right corner, skipping the vertical timing pattern.
    private mutating func place(_ codewords: [UInt8]) {
        var i = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            for vert in 0..<size {
                for j in 0..<2 {
                    let x = right - j
                    let upward = (right + 1) & 2 == 0
                    let y = upward ? size - 1 - vert : vert
                    guard !reserved[y * size + x] else { continue }
                    if i < codewords.count * 8 {
                        set(x, y, (codewords[i >> 3] >> (7 - UInt8(i & 7))) & 1 == 1, reserve: false)
                        i += 1
                    }
                }
            }
            right -= 2
        }
    }

    static func masked(_ mask: Int, _ x: Int, _ y: Int) -> Bool {
        switch mask {
        case 0: (x + y) % 2 == 0
        case 1: y % 2 == 0
        case 2: x % 3 == 0
        case 3: (x + y) % 3 == 0
        case 4: (x / 3 + y / 2) % 2 == 0
        case 5: x * y % 2 + x * y % 3 == 0
        case 6: (x * y % 2 + x * y % 3) % 2 == 0
        default: ((x + y) % 2 + x * y % 3) % 2 == 0
        }
    }

    private mutating func apply(mask m: Int) {
        for y in 0..<size {
            for x in 0..<size where !reserved[y * size + x] && Self.masked(m, x, y) {
                modules[y * size + x].toggle()
            }
        }
        drawFormat(mask: m)
        mask = m
    }

    /// The four penalty rules of ISO/IEC 18004 §7.8.3: runs of five or more, 2×2 blocks, finder-like
    /// 1:1:3:1:1 patterns with four light modules on a side, and the dark share away from half.
    var penalty: Int {
        var score = 0
        func line(_ at: (Int) -> Bool) {
            var run = 1
            for i in 1..<size {
                if at(i) == at(i - 1) { run += 1 } else {
                    if run >= 5 { score += 3 + run - 5 }
                    run = 1
                }
            }
            if run >= 5 { score += 3 + run - 5 }
            // Finder-like: dark-light-dark-dark-dark-light-dark with four light modules before or after (outside counts as light).
            func light(_ i: Int) -> Bool { i < 0 || i >= size || !at(i) }
            for i in 0...(size - 7) {
                guard at(i), light(i + 1), at(i + 2), at(i + 3), at(i + 4), light(i + 5), at(i + 6) else { continue }
                let before = (1...4).allSatisfy { light(i - $0) }
                let after = (7...10).allSatisfy { light(i + $0) }
                if before || after { score += 40 }
            }
        }
        for y in 0..<size { line { self[$0, y] } }
        for x in 0..<size { line { self[x, $0] } }
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let c = self[x, y]
                if c == self[x + 1, y] && c == self[x, y + 1] && c == self[x + 1, y + 1] { score += 3 }
            }
        }
        let dark = modules.filter { $0 }.count, total = size * size
        let k = (abs(dark * 20 - total * 10) + total - 1) / total - 1
        score += k * 10
        return score
    }
}

struct BitBuffer {
    private(set) var bits: [Bool] = []
    var count: Int { bits.count }
    mutating func append(_ value: Int, count: Int) {
        for i in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) }
    }
    var bytes: [UInt8] {
        stride(from: 0, to: bits.count, by: 8).map { start in
            (0..<8).reduce(UInt8(0)) { acc, i in acc << 1 | (start + i < bits.count && bits[start + i] ? 1 : 0) }
        }
    }
}

/// Reed–Solomon over GF(2^8) with the QR field polynomial x^8 + x^4 + x^3 + x^2 + 1.
enum ReedSolomon {
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var z = 0
        for i in stride(from: 7, through: 0, by: -1) {
            z = (z << 1) ^ ((z >> 7) * 0x11D)
            z ^= ((Int(b) >> i) & 1) * Int(a)
        }
        return UInt8(z)
    }

    /// Coefficients of ∏(x − α^i) for i < degree, highest power first, the leading 1 left out.
    static func generator(degree: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: degree)
        result[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                result[j] = multiply(result[j], root)
                if j + 1 < degree { result[j] ^= result[j + 1] }
            }
            root = multiply(root, 0x02)
        }
        return result
    }

    static func remainder(_ data: [UInt8], _ divisor: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: divisor.count)
        for b in data {
            let factor = b ^ result.removeFirst()
            result.append(0)
            for i in 0..<divisor.count { result[i] ^= multiply(divisor[i], factor) }
        }
        return result
    }
}

import XukeTestSupport
import Foundation
import Testing
@testable import XukeQR

@Suite struct QRTests {
    @Test func capacitiesMatchTheStandard() {
        #expect(QRCode.capacity(version: 1, level: .L) == 17)
        #expect(QRCode.capacity(version: 1, level: .M) == 14)
        #expect(QRCode.capacity(version: 1, level: .H) == 7)
        #expect(QRCode.capacity(version: 10, level: .M) == 213)
        #expect(QRCode.capacity(version: 40, level: .L) == 2953)
        #expect(QRCode.capacity(version: 40, level: .H) == 1273)
        #expect(throws: QRCode.Failure.tooLong(bytes: 2954, capacity: 2953)) {
            try QRCode.encode([UInt8](repeating: 65, count: 2954), level: .L)
        }
        #expect(throws: QRCode.Failure.badVersion(41)) { try QRCode.encode([1], version: 41) }
        #expect(throws: QRCode.Failure.badMask(8)) { try QRCode.encode([1], mask: 8) }
    }

    @Test func reedSolomonMatchesTheStandardsExample() {
        // ISO/IEC 18004 Annex I: "01234567" in version 1-M gives these ten error-correction codewords.
        let data: [UInt8] = [16, 32, 12, 86, 97, 128, 236, 17, 236, 17, 236, 17, 236, 17, 236, 17]
        #expect(ReedSolomon.remainder(data, ReedSolomon.generator(degree: 10)) == [165, 36, 212, 193, 237, 54, 199, 135, 44, 85])
    }

    @Test func alignmentPatternsSitWhereTheTableSays() {
        #expect(QRCode.alignmentPositions(1) == [])
        #expect(QRCode.alignmentPositions(2) == [6, 18])
        #expect(QRCode.alignmentPositions(7) == [6, 22, 38])
        #expect(QRCode.alignmentPositions(32) == [6, 34, 60, 86, 112, 138])
        #expect(QRCode.alignmentPositions(40) == [6, 30, 58, 86, 114, 142, 170])
    }

    static func ascii(_ n: Int, seed: Int) -> [UInt8] {
        var x = UInt64(seed) &* 6364136223846793005 &+ 1442695040888963407
        return (0..<n).map { _ in
            x = x &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(33 + (x >> 33) % 94)
        }
    }

    /// Versions 1–40 at every level, at the full capacity of the version (so the version is the one meant).
    static let samples: [(version: Int, level: QRCode.Level)] =
        [1, 2, 3, 5, 6, 7, 9, 10, 13, 16, 20, 24, 27, 30, 32, 35, 38, 40].enumerated().map { ($1, QRCode.Level.allCases[$0 % 4]) }

    @Test(.enabled(if: Interop.enabled)) func zbarimgReadsEverySizeBack() throws {
        for (version, level) in Self.samples {
            let data = Self.ascii(QRCode.capacity(version: version, level: level), seed: version)
            let code = try QRCode.encode(data, level: level)
            #expect(code.version == version)
            let png = try Interop.temporaryFile("qr.png", Data(code.png(scale: 3)))
            let r = try Interop.run("zbarimg", ["--raw", "-q", "-Sbinary", png.path])
            #expect(r.status == 0, "zbarimg failed on version \(version)-\(level): \(r.stderr)")
            #expect([UInt8](r.stdout.prefix(data.count)) == data, "version \(version)-\(level)")
        }
    }

    /// qrencode has no option to fix the mask, so read the mask it chose from its format bits and fix ours to it.
    @Test(.enabled(if: Interop.enabled)) func moduleForModuleEqualToQrencode() throws {
        var sameMaskChoice = 0
        for (i, (version, level)) in Self.samples.enumerated() {
            for length in [1, QRCode.capacity(version: version, level: level) / 2 + 1, QRCode.capacity(version: version, level: level)] {
                let data = Self.ascii(length, seed: i * 100 + length)
                let r = try Interop.run("qrencode", ["-8", "-v", "\(version)", "-l", "\(level)", "-m", "0", "-t", "ASCII", "-o", "-"], stdin: Data(data))
                try #require(r.status == 0, "qrencode: \(r.stderr)")
                let rows = r.text.split(separator: "\n").map { line in stride(from: 0, to: line.count, by: 2).map { Array(line)[$0] == "#" } }
                let theirs = rows.flatMap { $0 }
                let size = 17 + 4 * version
                try #require(rows.count == size, "qrencode chose another version for \(length) bytes at \(version)-\(level)")
                var format = 0
                for (bit, (x, y)) in [(8, 0), (8, 1), (8, 2), (8, 3), (8, 4), (8, 5), (8, 7), (8, 8), (7, 8), (5, 8), (4, 8), (3, 8), (2, 8), (1, 8), (0, 8)].enumerated()
                where rows[y][x] { format |= 1 << bit }
                let mask = ((format ^ 0x5412) >> 10) & 7
                let ours = try QRCode.encode(data, level: level, version: version, mask: mask)
                #expect(ours.modules == theirs, "version \(version)-\(level), \(length) bytes, mask \(mask)")
                if try QRCode.encode(data, level: level, version: version).mask == mask { sameMaskChoice += 1 }
            }
        }
        // Informative: penalty scoring has known differences between implementations.
        print("automatic mask agreed with qrencode in \(sameMaskChoice) of \(Self.samples.count * 3) symbols")
    }
}

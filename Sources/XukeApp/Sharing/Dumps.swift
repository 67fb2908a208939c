import Crypto
import Foundation
import SQLKit
import XukeDomain
import XukeStorage
import XukeTrust

/// Daily bulk dumps of the public registers, as CSV and JSON Lines, each with its SHA-256 in a `SHA256SUMS` file
/// beside it (the format `sha256sum -c` reads), so a downloader can check what it got. They are written to a
/// scratch folder and then handed to the blob store as `dumps/<day>/<file>`.
extension SharingService {
    static func dumpFileName(dataset: String, format: String) -> String { "\(dataset).\(format)" }

    static func blobName(day: String, file: String) -> String { "dumps/\(day)/\(file)" }

    /// Writes today's dumps unless they exist. Returns the files written (none when another run got there first).
    @discardableResult
    func writeDumps(day: CivilDate? = nil) async throws -> [BulkDump] {
        let day = day ?? clock.today
        if try await db.read({ try await SharingStore.dumped($0, day: day.description) }) { return [] }
        // Scratch space on the same file system as a directory store, so handing a file over is a rename.
        let folder = (config.dataDirectory as NSString).appendingPathComponent("tmp/dumps-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var written: [BulkDump] = []
        for dataset in PublicDataset.all {
            written += try await writeDump(dataset, day: day, folder: folder)
        }
        for d in written {
            let file = Self.dumpFileName(dataset: d.dataset, format: d.format)
            try await blobs.put(Self.blobName(day: d.day, file: file), movingFile: (folder as NSString).appendingPathComponent(file))
        }
        let sums = written.map { "\($0.sha256)  \(Self.dumpFileName(dataset: $0.dataset, format: $0.format))\n" }.joined()
        try await blobs.put(Self.blobName(day: day.description, file: "SHA256SUMS"), data: Data(sums.utf8))
        return try await db.write { sql in
            var recorded: [BulkDump] = []
            for d in written where try await SharingStore.recordDump(sql, d) { recorded.append(d) }
            return recorded
        }
    }

    /// Both formats of one register in one pass over the table, a page at a time, so memory stays flat for any size.
    private func writeDump(_ dataset: PublicDataset, day: CivilDate, folder: String) async throws -> [BulkDump] {
        struct Output {
            let path: String
            let handle: FileHandle
            var hash = SHA256()
            var bytes = 0
            init(_ path: String) throws {
                self.path = path
                _ = FileManager.default.createFile(atPath: path, contents: nil)
                handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            }
            mutating func write(_ text: String) throws {
                let data = Data(text.utf8)
                hash.update(data: data)
                bytes += data.count
                try handle.write(contentsOf: data)
            }
            func finish() throws -> String {
                try handle.close()
                return Array(hash.finalize()).hex
            }
        }
        var csv = try Output((folder as NSString).appendingPathComponent(Self.dumpFileName(dataset: dataset.name, format: "csv")))
        var jsonl = try Output((folder as NSString).appendingPathComponent(Self.dumpFileName(dataset: dataset.name, format: "jsonl")))
        try csv.write(CSV.write([dataset.columns.map(\.name)], bom: true))
        var after: String?
        var rows = 0
        while true {
            let page = try await db.read { try await dataset.page($0, on: day, after: after, limit: 5000) }
            guard !page.rows.isEmpty else { break }
            try csv.write(CSV.write(page.rows.map { $0.map { $0 ?? "" } }, bom: false))
            var lines = ""
            for row in page.rows {
                lines += "{"
                for (i, (column, value)) in zip(dataset.columns, row).enumerated() {
                    if i > 0 { lines += "," }
                    lines += "\"\(column.name)\":"
                    switch (column.kind, value) {
                    case (_, nil): lines += "null"
                    case (.integer, let v?), (.json, let v?): lines += v
                    case (.text, let v?): JSONText.appendString(v, to: &lines)
                    }
                }
                lines += "}\n"
            }
            try jsonl.write(lines)
            rows += page.rows.count
            after = page.last
        }
        let stamp = clock.stamp
        return [
            BulkDump(day: day.description, dataset: dataset.name, format: "csv", rows: rows, bytes: csv.bytes, sha256: try csv.finish(), createdAt: stamp),
            BulkDump(day: day.description, dataset: dataset.name, format: "jsonl", rows: rows, bytes: jsonl.bytes, sha256: try jsonl.finish(), createdAt: stamp),
        ]
    }

    /// The blob name of a dump file, if `day` and `file` name one that was recorded (and the day's checksums).
    func dumpFile(day: String, file: String) async throws -> (name: String, dump: BulkDump?)? {
        guard CivilDate(day) != nil else { return nil }
        if file == "SHA256SUMS" {
            let name = Self.blobName(day: day, file: file)
            return try await blobs.exists(name) ? (name, nil) : nil
        }
        let parts = file.split(separator: ".")
        guard parts.count == 2 else { return nil }
        guard let dump = try await db.read({ try await SharingStore.dump($0, day: day, dataset: String(parts[0]), format: String(parts[1])) }) else { return nil }
        let name = Self.blobName(day: day, file: Self.dumpFileName(dataset: dump.dataset, format: dump.format))
        return try await blobs.exists(name) ? (name, dump) : nil
    }
}

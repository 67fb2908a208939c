import ArgumentParser
import Foundation
import XukeApp

struct BlobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "blobs", abstract: "Uploads and daily dumps: the data directory or the database.",
                                                    subcommands: [MigrateBlobs.self])

    struct MigrateBlobs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Copy every upload and dump into one store from the other, reading each back to check its SHA-256.",
            discussion: """
                --to database copies from the data directory into the database (before running several servers with \
                XUKE_BLOBS=database); --to directory copies back. The source is left as it was. Exit status 0 when every \
                file was copied and checked, 1 otherwise.
                """)
        @Option(help: "database or directory") var to: String

        func run() async throws {
            let problems = try await withDatabase { config, db in
                let r = try await XukeApplication.migrateBlobs(config: config, db: db, to: to) { say($0) }
                say("\(r.copied) files copied and checked (\(r.bytes) bytes) / 已复制并校验 \(r.copied) 个文件")
                for p in r.problems { say(p) }
                return r.problems.count
            }
            if problems > 0 { throw ExitCode(1) }
        }
    }
}

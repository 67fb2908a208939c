import ArgumentParser
import Foundation
import XukeApp
import XukeDomain

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

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database, the private keys and the uploads and dumps into a new folder, with a manifest of SHA-256 digests.",
        discussion: "SQLite is copied online (VACUUM INTO); PostgreSQL with pg_dump (postgresql-client). The server may keep running.")
    @Argument(help: "A folder that does not exist yet, or is empty.") var dir: String

    func run() async throws {
        try await withDatabase { config, db in
            let s = try await Backup.create(config: config, db: db, into: dir) { say($0) }
            say("backup written to \(dir): \(s.files) files, \(s.bytes) bytes / 备份完成")
        }
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into the configured database, keys folder and data directory, which must be empty.",
        discussion: "Every file is checked against the manifest first; nothing is written when one differs. Run `xuke log audit` afterwards.")
    @Argument(help: "The folder `xuke backup` wrote.") var dir: String

    func run() async throws {
        let config = try await AppConfig.load()
        let s = try await Backup.restore(config: config, from: dir, logger: makeLogger()) { say($0) }
        say("restored \(s.files) files (\(s.bytes) bytes); check it with `xuke log audit` / 恢复完成，请运行 xuke log audit 核对")
    }
}

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Bring in a province's existing records from CSV.",
                                                    subcommands: [Enterprises.self, Licenses.self])

    struct Enterprises: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register enterprises from a CSV file (UTF-8 or GB18030, detected; headings in Chinese or English).",
            discussion: "One bad row refuses the whole file; every bad row is printed with its line. Exit status 65 when refused.")
        @Argument(help: "The CSV file.") var file: String
        @Flag(help: "Check every row and write nothing.") var dryRun = false

        func run() async throws {
            let dryRun = dryRun
            try await ImportCommand.importing(file) { services, data in
                let r = try await services.importEnterprises(data, dryRun: dryRun)
                say("\(r.rows) rows (\(r.encoding)): \(dryRun ? "all would be registered (dry run, nothing written)" : "\(r.imported) enterprises registered") / 共 \(r.rows) 行")
            }
        }
    }

    struct Licenses: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring in licences issued before the platform from a CSV file (UTF-8 or GB18030, detected).",
            discussion: """
                Import the enterprises first. The rows in force of one enterprise become one licence that keeps the number first \
                issued and replaces the others. One bad row refuses the whole file; every bad row is printed with its line. \
                Exit status 65 when refused.
                """)
        @Argument(help: "The CSV file.") var file: String
        @Flag(help: "Check every row and write nothing.") var dryRun = false

        func run() async throws {
            let dryRun = dryRun
            try await ImportCommand.importing(file) { services, data in
                let r = try await services.importLicenses(data, dryRun: dryRun)
                say("\(r.rows) rows (\(r.encoding)): \(r.licenses) licences (\(r.expired) already ended), \(r.merged.count) merged from several rows; "
                    + (dryRun ? "dry run, nothing written" : "\(r.imported) imported") + " / 共 \(r.rows) 行，\(r.licenses) 张许可证")
                for (number, replaces) in r.merged.prefix(20) { say("  \(number) replaces / 替代 \(replaces.joined(separator: ", "))") }
                if r.merged.count > 20 { say("  … \(r.merged.count - 20) more") }
            }
        }
    }

    /// Reads the file and runs `body` on the platform; a refused file exits with status 65, every bad line printed.
    static func importing(_ file: String, _ body: @escaping @Sendable (AppServices, Data) async throws -> Void) async throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
        let refused: ImportError? = try await withDatabase { config, db in
            do {
                try await body(try await XukeApplication.services(config: config, db: db), data)
                return nil
            } catch let e as ImportError {
                return e
            }
        }
        if let refused { throw report(refused) }
    }
}

import ArgumentParser
import Foundation
import Hummingbird
import Logging
import XukeApp
import XukeDomain
import XukeStorage

@main
struct Xuke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xuke",
        abstract: "Xuke (许可): industrial product production licensing and supervision.",
        discussion: """
            Settings come from XUKE_* environment variables; XUKE_<NAME>_FILE reads one from a file instead (a mounted \
            secret); XUKE_CONFIG_FILE names a JSON object of settings by their names without XUKE_, lower-case with \
            dashes ({"database-url": "…", "port": 8080}). The environment wins over the file.

            """ + AppConfig.variables.map { "  \($0.name): \($0.meaning)" }.joined(separator: "\n"),
        subcommands: [Serve.self, Migrate.self, Admin.self, CatalogCommand.self, CalendarCommand.self, Sweep.self, Demo.self, DrawCommand.self,
                      Keys.self, Verify.self, LogCommand.self, BlobsCommand.self, BackupCommand.self, RestoreCommand.self, ImportCommand.self, Errors.self]
    )
}

/// Writes a line unbuffered, so progress shows as it happens also when output goes to a pipe or a file.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func makeLogger() -> Logger {
    var logger = Logger(label: "xuke")
    logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .info
    return logger
}

/// Opens the configured database, migrated and with the shipped data loaded, for one command.
func withDatabase<T>(_ body: (AppConfig, Database) async throws -> T) async throws -> T {
    let config = try await AppConfig.load()
    let db = try await XukeApplication.prepareDatabase(config: config, logger: makeLogger()) { line in say(line) }
    do {
        let result = try await body(config, db)
        await db.shutdown()
        return result
    } catch {
        await db.shutdown()
        throw error
    }
}

/// Prints an import refusal line by line, in both languages.
func report(_ e: ImportError) -> ExitCode {
    for p in e.problems { FileHandle.standardError.write(Data("line \(p.line): \(p.message.zh) / \(p.message.en)\n".utf8)) }
    FileHandle.standardError.write(Data("nothing imported (\(e.problems.count) problem(s))\n".utf8))
    return ExitCode(65)
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start the web server (creates and migrates the database on first start).")

    @Option(help: "Port (overrides XUKE_PORT).") var port: Int?
    @Option(help: "Address to listen on (overrides XUKE_HOST).") var host: String?

    func run() async throws {
        let started = ContinuousClock.now
        var config = try await AppConfig.load()
        if let port { config.port = port }
        if let host { config.host = host }
        let logger = makeLogger()
        let db = try await XukeApplication.prepareDatabase(config: config, logger: logger) { line in say(line) }
        let services = try await XukeApplication.services(config: config, db: db)
        let host = config.host
        let app = XukeApplication.build(services: services, logger: logger) { channel in
            let port = channel.localAddress?.port ?? 0
            let elapsed = ContinuousClock.now - started
            say("Xuke is ready at http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)/ (database: \(db.kind.rawValue), started in \(elapsed.formatted(.units(allowed: [.milliseconds]))))")
        }
        do {
            try await app.runService()
        } catch {
            await db.shutdown()
            throw error
        }
        await db.shutdown()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the database schema and load the shipped reference data.")
    func run() async throws {
        try await withDatabase { _, _ in say("database is up to date") }
    }
}

struct Errors: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the error codes with their sentences as Markdown (docs/ERRORS.md).")
    func run() throws {
        print(ErrorCatalog.markdown(), terminator: "")
    }
}

struct Sweep: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply deemed acceptance, deemed renewal and license expiry now (the server does it every hour).")
    func run() async throws {
        try await withDatabase { config, db in
            let r = try await XukeApplication.services(config: config, db: db).sweep()
            say("deemed accepted: \(r.deemedAccepted.joined(separator: " "))")
            say("deemed renewed: \(r.deemedRenewed.joined(separator: " "))")
            say("expired: \(r.expired.joined(separator: " "))")
        }
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fill a fresh database with a reproducible demo data set (enterprises, people, two years of applications and licenses).")
    @Option(help: "Number of enterprises.") var enterprises: Int = 3000
    @Option(help: "Random seed; the same seed gives the same data.") var seed: UInt64 = 2026

    func run() async throws {
        guard (10...200_000).contains(enterprises) else { throw ValidationError("--enterprises must be 10 to 200000") }
        try await withDatabase { config, db in
            let started = ContinuousClock.now
            let services = try await XukeApplication.services(config: config, db: db)
            do {
                let r = try await services.fillDemo(enterprises: enterprises, seed: seed) { say($0) }
                say("demo data: \(r.enterprises) enterprises, \(r.users) users, \(r.applications) applications (\(r.refusedBySubmission) refused at submission)")
                say("supervision: \(r.supervisionSkipped) demo duties or checks refused by the rules and skipped")
                say("licenses: " + r.licensesByStatus.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
                if let draft = r.draft { say("catalog: risk ranking at /catalog/risk; draft edition \(draft) out for comment at /catalog/drafts/\(draft)") }
                say("sign in as admin, officer-gd, verifier-gd-1 or ent-00001 (enterprise) with password \(r.password)")
                say("took \((ContinuousClock.now - started).formatted(.units(allowed: [.seconds])))")
            } catch let e as AppError {
                throw ValidationError("\(e.message.zh) / \(e.message.en)")
            }
        }
    }
}

struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Administration.", subcommands: [CreateUser.self])

    struct CreateUser: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create-user", abstract: "Create a user account.")
        @Option(help: "Username (3–32 of a-z 0-9 _ . -).") var username: String
        @Option(help: "Display name.") var name: String?
        @Option(help: "Role: admin, officer, verifier, lab or enterprise.") var role: String = "admin"
        @Option(help: "Jurisdiction division code for officers and verifiers (omit for national).") var jurisdiction: String?
        @Option(help: "USCC of the enterprise an enterprise user belongs to.") var enterprise: String?
        @Option(help: "Password; if omitted it is read from XUKE_PASSWORD or standard input.") var password: String?

        func run() async throws {
            let pw = password ?? ProcessInfo.processInfo.environment["XUKE_PASSWORD"] ?? {
                FileHandle.standardOutput.write(Data("password: ".utf8))
                return readLine(strippingNewline: true) ?? ""
            }()
            try await withDatabase { config, db in
                let services = try await XukeApplication.services(config: config, db: db)
                do {
                    let user = try await services.createUser(username: username, displayName: name ?? username, password: pw, role: role,
                                                             jurisdiction: jurisdiction, enterpriseUSCC: enterprise)
                    say("created user \(user.username) (id \(user.id), role \(user.role.rawValue))")
                } catch let e as AppError {
                    throw ValidationError("\(e.message.zh) / \(e.message.en)")
                } catch let e as DomainError {
                    let message = Messages.shared.error(e.code, e.args)
                    throw ValidationError("\(message.zh) / \(message.en)")
                }
            }
        }
    }
}

struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "catalog", abstract: "Import and export catalog editions.", subcommands: [Import.self, Export.self, List.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import one or more editions from a CSV file (all rows or nothing).")
        @Argument(help: "CSV file with the export's columns.") var file: String
        func run() async throws {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            say("validating \(file)…")
            let editions: [CatalogEdition]
            do { editions = try CatalogCSV.parse(text) } catch { throw report(error) }
            try await withDatabase { _, db in
                try await db.write { sql in
                    for (i, e) in editions.enumerated() {
                        try await CatalogStore.replace(sql, edition: e, actor: "cli", at: PlatformClock().stamp)
                        say("[\(i + 1)/\(editions.count)] edition \(e.code): \(e.categories.count) categories, \(e.unitCount) units")
                    }
                }
            }
            say("imported \(editions.count) edition(s)")
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export an edition as CSV (UTF-8 with BOM, opens in Excel).")
        @Argument(help: "Edition code, e.g. 2024.") var code: String
        @Option(name: .shortAndLong, help: "Output file (default: standard output).") var output: String?
        func run() async throws {
            let edition = try await withDatabase { _, db in try await db.read { try await CatalogStore.edition($0, code: code) } }
            guard let edition else { throw ValidationError("no edition \(code) with units") }
            let csv = CatalogCSV.export(edition)
            if let output { try csv.write(toFile: output, atomically: true, encoding: .utf8) } else { FileHandle.standardOutput.write(Data(csv.utf8)) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the catalog editions.")
        func run() async throws {
            let editions = try await withDatabase { _, db in try await db.read { try await CatalogStore.editions($0) } }
            for e in editions {
                say("\(e.code)\t\(e.inForce)\t\(e.categoryCount) categories\t\(e.hasUnits ? "units" : "totals only")\t\(e.instrument)")
            }
        }
    }
}

struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "calendar", abstract: "The working-day calendar.", subcommands: [Import.self, Add.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import a holiday notice (date,kind); the years it covers are replaced.")
        @Argument var file: String
        func run() async throws {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let rows: [(CivilDate, WorkCalendar.DayKind)]
            do { rows = try WorkCalendar.parseNotice(text) } catch { throw report(error) }
            try await withDatabase { _, db in
                try await db.write { try await ReferenceStore.importCalendar($0, rows: rows, source: file, actor: "cli", at: PlatformClock().stamp) }
            }
            say("imported \(rows.count) day(s) for \(Set(rows.map(\.0.year)).sorted().map(String.init).joined(separator: ", "))")
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the date N working days after a date.")
        @Argument var start: String
        @Argument var days: Int
        func run() async throws {
            guard let date = CivilDate(start) else { throw ValidationError("start must be YYYY-MM-DD") }
            let cal = try await withDatabase { _, db in try await db.read { try await ReferenceStore.calendar($0) } }
            let r = cal.adding(workingDays: days, to: date)
            say("\(r.date)\(r.estimated ? " (estimated: outside the years with holiday data)" : "")")
        }
    }
}

import ArgumentParser
import Foundation
import XukeApp
import XukeDomain
import XukeStorage
import XukeTrust

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Issuer signing keys: one Ed25519 key per issuing authority, private halves in 0600 files under XUKE_KEYS_DIR.",
        subcommands: [Generate.self, Retire.self, List.self])

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key for an authority; its previous key is retired but stays published for what it signed.")
        @Option(help: "Issuing authority: `national` or a division code such as 440000.") var authority: String
        func run() async throws {
            guard authority == "national" || (authority.count == 6 && authority.allSatisfy { $0.isASCII && $0.isNumber }) else {
                throw ValidationError("--authority is `national` or a six-digit division code")
            }
            try await withDatabase { config, db in
                let trust = try await Transparency.open(config: config, clock: PlatformClock(), db: db)
                let key = try await db.write { try await trust.addKey($0, authority: authority, at: PlatformClock().stamp) }
                say("key \(key.kid) for \(authority) written to \(trust.keys.path(forKid: key.kid)) and logged")
            }
        }
    }

    struct Retire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Retire a key: it signs nothing more and stays in the JWK Set.")
        @Argument(help: "Key id.") var kid: String
        func run() async throws {
            try await withDatabase { config, db in
                let trust = try await Transparency.open(config: config, clock: PlatformClock(), db: db)
                try await db.write { try await trust.retireKey($0, kid: kid, at: PlatformClock().stamp) }
                say("key \(kid) retired and logged")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List published keys and the log's verifier key.")
        func run() async throws {
            try await withDatabase { config, db in
                let trust = try await Transparency.open(config: config, clock: PlatformClock(), db: db)
                for k in try await db.read({ try await CredentialStore.keys($0) }) {
                    say("\(k.kid)  \(k.authority)  created \(k.createdAt)\(k.retiredAt.map { "  retired \($0)" } ?? "")")
                }
                say("log verifier key: \(trust.verifierKey.vkey)")
            }
        }
    }
}

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify an e-license credential offline, with a JWK Set file and optionally cached status lists.",
        discussion: "Exit status: 0 valid, 1 revoked/suspended/expired/not yet valid, 2 not genuine.")
    @Argument(help: "The credential (compact JWS), or a file holding it.") var credential: String
    @Option(help: "JWK Set file (as served at /.well-known/jwks.json).") var jwks: String
    @Option(help: "Cached status list token file (as served at /status/<list>); repeatable.") var status: [String] = []
    @Flag(help: "Print the result as JSON.") var json = false

    func run() throws {
        let token = FileManager.default.fileExists(atPath: credential)
            ? String(decoding: try Data(contentsOf: URL(fileURLWithPath: credential)), as: UTF8.self) : credential
        guard let keySet = FileManager.default.contents(atPath: jwks) else { throw ValidationError("cannot read \(jwks)") }
        let lists = try status.map { path in
            guard let d = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
            return String(decoding: d, as: UTF8.self)
        }
        let check: CredentialCheck
        do {
            check = try CredentialCheck.verifyOffline(token, jwks: keySet, statusTokens: lists, now: PlatformClock().seconds)
        } catch {
            throw ValidationError(error.description)
        }
        if json {
            var out: [String: JSONValue] = ["verdict": .string(check.verdict.rawValue), "code": .string(check.code),
                                            "reason_zh": .string(check.reason.zh), "reason_en": .string(check.reason.en),
                                            "status_checked": .bool(check.statusChecked)]
            if let c = check.credential { out["claims"] = c.claims }
            say(JSONValue.object(out).canonicalString)
        } else {
            say("\(check.verdict.rawValue) (\(check.code))")
            say("\(check.reason.zh) / \(check.reason.en)")
            if let c = check.credential {
                say("\(c.number) v\(c.version) · \(c.holderName) · \(c.holder) · \(c.authorityName)")
                say("units: " + c.units.map { "\($0.no) \($0.name)" }.joined(separator: ", "))
            }
        }
        switch check.verdict {
        case .valid: return
        case .notGenuine: throw ExitCode(2)
        default: throw ExitCode(1)
        }
    }
}

struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log", abstract: "The public transparency log.",
                                                    subcommands: [Audit.self, CheckpointCommand.self])

    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute every leaf and the root from the database rows; name every row that differs from the log.",
            discussion: "Exit status 0 when the rows and the log agree, 1 when anything differs.")
        func run() async throws {
            let problems = try await withDatabase { config, db in
                let r = try await XukeApplication.services(config: config, db: db).trust.auditLog()
                say("log size \(r.size), root \(r.root), last signed checkpoint at size \(r.checkpointSize.map(String.init) ?? "none")")
                for p in r.problems { say(p) }
                say(r.problems.isEmpty ? "the database agrees with the log / 数据与日志一致" : "\(r.problems.count) problem(s) / 发现\(r.problems.count)处不符")
                return r.problems.count
            }
            if problems > 0 { throw ExitCode(1) }
        }
    }

    struct CheckpointCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "checkpoint", abstract: "Sign and print the current checkpoint.")
        func run() async throws {
            try await withDatabase { config, db in
                FileHandle.standardOutput.write(Data(try await Transparency.open(config: config, clock: PlatformClock(), db: db).checkpoint(db).utf8))
            }
        }
    }
}

struct DrawCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "draw", abstract: "Double-random spot-check draws (algorithm dr-v1).",
                                                    subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Recompute a published draw from its published inputs and compare it with the published result.",
            discussion: """
                The input is what /api/v1/public/plans/<code>/draw.json serves (the layout of the design's dr_v1_vector.json): \
                the plan, both frozen rosters, the beacon value, the revealed secret and the result. Needs no database. \
                Exit status: 0 the result matches, 1 it does not, 2 the input is not a published draw.
                """)
        @Argument(help: "The published draw (JSON file), or - for standard input.") var file: String

        func run() async throws {
            let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
            do {
                let (matches, result) = try DrawV1.recompute(try JSONValue.parse(data))
                say("seed \(result.seed.hex)")
                say("enterprise roster root \(result.enterpriseRoot.hex), inspector roster root \(result.inspectorRoot.hex)")
                let unfilled = result.rows.filter { $0.team == nil }.count
                say("\(result.rows.count) enterprises drawn, \(unfilled) teams unfilled")
                say(matches ? "match: the published result is what the published inputs give / 一致：公布的结果可由公布的输入重算得出"
                            : "MISMATCH: the published result differs from the recomputation / 不一致：公布的结果与重算结果不同")
                if !matches { throw ExitCode(1) }
            } catch let e as DrawV1.DrawError {
                say("not a published draw: \(e) / 不是有效的抽取公布文件")
                throw ExitCode(2)
            } catch let e as JSONValue.ParseError {
                say("not a published draw: \(e) / 不是有效的抽取公布文件")
                throw ExitCode(2)
            }
        }
    }
}

// Targets from issue 3: a complete commitment-route application (submit, formal review, issue) under
// 50 ms of server time on SQLite; an officer's work list in a province with 100,000 cases under 100 ms.
//
// The database is built once and kept in $XUKE_BENCH_DIR-licensing (default /tmp/xuke-bench-licensing).
import Benchmark
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SQLKit
import XukeApp
import XukeDomain
import XukeStorage

let caseCount = 100_000

func licensingBenchmarks() {
    Benchmark("Commitment route: submit, accept, approve, issue (4 requests)",
              configuration: .init(metrics: [.wallClock], timeUnits: .milliseconds, maxDuration: .seconds(15), maxIterations: 300)) { benchmark in
        let bench = try await LicensingBench.shared()
        let app = XukeApplication.build(services: bench.services, logger: bench.logger)
        try await app.test(.router) { client in
            // Outside the measurement: a new enterprise and its user, since each may hold one license.
            let (uscc, token) = try await bench.newApplicant(client)
            let report = #"{"kind":"test_report","sha256":"\#(bench.scan)","filename":"r.pdf","lab":"\#(bench.labCode)","report_no":"R-\#(uscc)","report_date":"2026-10-01","units":["1001"]}"#
            let body = #"{"kind":"new","route":"commitment","form":{"units":["1001"],"production_addresses":[{"address":"宝安区工业路2号","division_code":"440306"}],"key_equipment":[{"name":"注塑机","model":"HX","quantity":2}],"quality_staff":[{"name":"王五","role":"质量负责人","qualification":"工程师"}]},"commitment_text":"本企业承诺所填信息真实。","materials":[{"kind":"business_license","sha256":"\#(bench.scan)","filename":"a.pdf"},\#(report)]}"#
            benchmark.startMeasurement()
            let submitted = try await client.execute(uri: "/api/v1/applications", method: .post,
                                                     headers: [.authorization: "Bearer \(token)", .contentType: "application/json"], body: ByteBuffer(string: body))
            precondition(submitted.status == .created, "submit: \(String(buffer: submitted.body))")
            let id = try JSONSerialization.jsonObject(with: Data(submitted.body.readableBytesView)) as! [String: Any]
            for action in ["accept", "approve", "issue"] {
                let r = try await client.execute(uri: "/api/v1/applications/\(id["id"] as! Int)/\(action)", method: .post,
                                                 headers: [.authorization: "Bearer \(bench.officerToken)", .contentType: "application/json"],
                                                 body: ByteBuffer(string: "{}"))
                precondition(r.status == .ok, "\(action): \(String(buffer: r.body))")
            }
            benchmark.stopMeasurement()
            blackHole(uscc)
        }
    }

    for (name, uri) in [
        ("Work list API, province with 100,000 cases", "/api/v1/applications"),
        ("Work list API, overdue, province with 100,000 cases", "/api/v1/applications?due=overdue"),
        ("Work list page, province with 100,000 cases", "/applications"),
    ] {
        Benchmark(name, configuration: .init(metrics: [.wallClock], timeUnits: .milliseconds, maxDuration: .seconds(10), maxIterations: 2_000)) { benchmark in
            let bench = try await LicensingBench.shared()
            let app = XukeApplication.build(services: bench.services, logger: bench.logger)
            try await app.test(.router) { client in
                let headers: HTTPFields = [.authorization: "Bearer \(bench.officerToken)"]
                _ = try await client.execute(uri: uri, method: .get, headers: headers, body: nil)
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    let r = try await client.execute(uri: uri, method: .get, headers: headers, body: nil)
                    precondition(r.status == .ok, "\(uri) answered \(r.status)")
                    blackHole(r)
                }
                benchmark.stopMeasurement()
            }
        }
    }
}

/// A database with 100,000 applications at the Guangdong authority, a third of them open.
final class LicensingBench: Sendable {
    let services: AppServices
    let logger: Logger
    let officerToken: String
    let scan: String
    /// The registered lab whose reports the applicants name.
    let labID: Int
    let labCode: String
    private let counter = Counter()

    private init(services: AppServices, logger: Logger, officerToken: String, scan: String, lab: Lab) {
        self.services = services
        self.logger = logger
        self.officerToken = officerToken
        self.scan = scan
        self.labID = lab.id
        self.labCode = lab.code
    }

    private static let cache = Once<LicensingBench> { try await LicensingBench.open() }
    static func shared() async throws -> LicensingBench { try await cache.get() }

    static func open() async throws -> LicensingBench {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let env = ProcessInfo.processInfo.environment
        var config = AppConfig.bench("-licensing")
        config.databaseURL = env["XUKE_BENCH_LICENSING_DATABASE_URL"] ?? ""
        let db = try await XukeApplication.prepareDatabase(config: config, logger: logger)
        let services = try await XukeApplication.services(config: config, db: db)
        services.clock.set(Timestamp.date("2026-11-19T02:00:00Z"))
        let existing = try await db.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM applications").first()?.decode(column: "n", as: Int.self) ?? 0
        }
        if existing < caseCount { try await fill(services, from: existing) }
        var officer = try await db.read { try await UserStore.credentials($0, username: "benchofficer") }?.0
        if officer == nil {
            officer = try await services.createUser(username: "benchofficer", displayName: "广东审批员", password: "correct horse battery",
                                                    role: "officer", jurisdiction: "440000", enterpriseUSCC: nil)
        }
        guard let officer else { fatalError("no bench officer") }
        let token = try await services.createToken(for: officer, name: "bench").0
        let pdf = Array("%PDF-1.7\n% bench\n".utf8)
        let scan = sha256Hex(Data(pdf))
        try await db.write { try await UploadStore.recordUpload($0, sha256: scan, type: .pdf, size: pdf.count, userID: officer.id, at: services.clock.stamp) }
        var lab = try await db.read { try await LabStore.lab($0, cma: "209999999999") }
        if lab == nil {
            lab = try await db.write { sql in
                try await LabStore.insert(sql, Lab(id: 0, code: "", name: "基准检验院", uscc: BenchDatabase.syntheticUSCC(1, county: "440305"), cmaNumber: "209999999999",
                                                   grade: 1, divisionCode: "440300", periods: [.init(status: .registered, since: CivilDate("2020-01-01")!, until: nil, note: "")],
                                                   scopes: [.init(unitNo: "1001", standard: "GB 4806.7-2016", from: CivilDate("2020-01-01")!, until: nil)]),
                                           by: "bench", at: services.clock.stamp)
            }
        }
        guard let lab else { fatalError("no bench lab") }
        return LicensingBench(services: services, logger: logger, officerToken: token, scan: scan, lab: lab)
    }

    /// Enterprises and their applications, written in bulk: states and due dates spread as on a real desk.
    static func fill(_ s: AppServices, from start: Int) async throws {
        print("filling \(caseCount - start) applications …")
        let states: [CaseState] = [.issued, .issued, .refused, .withdrawn, .issued, .submitted, .accepted, .verification, .verified, .approved]
        let unit = #"[{"category_no":"10","commitment_eligible":true,"name_en":"Plastic food packaging","name_zh":"食品用塑料包装容器工具等制品","unit_no":"1001"}]"#
        let form = #"{"units":["1001"],"production_addresses":[],"key_equipment":[],"quality_staff":[]}"#
        var i = start
        while i < caseCount {
            let upper = min(i + 500, caseCount)
            try await s.db.write { sql in
                var enterprises = sql.insert(into: "enterprises").columns("uscc", "name", "domicile", "division_code", "legal_representative",
                                                                          "contact_name", "contact_phone", "created_at", "updated_at")
                var cases = sql.insert(into: "applications").columns(
                    "number", "uscc", "kind", "route", "state", "is_open", "version", "changes", "units", "edition", "authority", "verification_need",
                    "simplified", "corrections", "form", "commitment_text", "commitment_sha256", "submitted_on", "submitted_at", "deemed", "due_on", "updated_at")
                for n in i..<upper {
                    let uscc = BenchDatabase.syntheticUSCC(n, county: "440305")
                    let state = states[n % states.count]
                    let submitted = CivilDate("2026-01-01")!.adding(days: n % 320)
                    enterprises = enterprises.values(["\(uscc)", "基准企业\(n)", "深圳", "440305", "法人", "", "", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"])
                    let values: [any Encodable & Sendable] = [
                        String(format: "SQB-%07d", n), uscc, "new", "ordinary", state.rawValue, state.isFinal ? 0 : 1, 1, "[]", unit, "2024", "440000",
                        "required", 0, 0, form, "承诺", String(repeating: "0", count: 64), submitted.description, "2026-01-01T00:00:00Z", "",
                        state.isFinal ? nil : submitted.adding(days: 40).description, "2026-01-01T00:00:00Z",
                    ]
                    cases = cases.values(values)
                }
                try await enterprises.run()
                try await cases.run()
            }
            i = upper
            if i % 20_000 == 0 { print("  \(i)") }
        }
    }

    /// A fresh enterprise in Shenzhen and an API token for its user.
    func newApplicant(_ client: some TestClientProtocol) async throws -> (String, String) {
        let n = await counter.next()
        let uscc = BenchDatabase.syntheticUSCC(10_000_000 + n + Int(Date().timeIntervalSince1970) % 1_000_000 * 100, county: "440305")
        let e = Enterprise(uscc: try USCC(uscc), name: "承诺企业\(n)", domicile: "深圳", divisionCode: "440305", legalRepresentative: "法人",
                           contactName: "", contactPhone: "", productionAddresses: [])
        try await services.db.write { sql in
            try await EnterpriseStore.create(sql, e, actor: "bench", at: services.clock.stamp)
            // Outside the measurement too: the lab's report the application will name.
            _ = try await LabStore.insertReport(sql, TestReport(id: 0, labId: labID, reportNo: "R-\(uscc)", uscc: uscc, units: ["1001"], issuedOn: CivilDate("2026-10-01")!,
                                                                conclusion: "pass", sha256: scan, filedBy: "bench", filedAt: services.clock.stamp))
        }
        let user = try await services.createUser(username: "bench\(uscc.lowercased())".prefix(32).description, displayName: "bench", password: "correct horse battery",
                                                 role: "enterprise", jurisdiction: nil, enterpriseUSCC: uscc)
        return (uscc, try await services.createToken(for: user, name: "bench").0)
    }
}

actor Counter {
    private var n = 0
    func next() -> Int { n += 1; return n }
}


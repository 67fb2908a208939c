import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import XukeApp
import XukeDomain
import XukeStorage

@Suite struct SystemTests {
    /// Paths programs call answer errors in JSON; the public ones third-party verifiers read allow any origin, and
    /// nothing else does.
    @Test func machineEndpointsAnswerJSONAndThePublicOnesAllowOtherOrigins() async throws {
        try await Harness.run { client, _ in
            for path in ["/status/nowhere", "/log/tile/0/x999", "/dumps/2026-01-01/nothing.csv", "/.well-known/nothing"] {
                let r = try await client.get(path)
                #expect(r.status.code >= 400 && r.status.code < 500 && r.errorCode != nil, "\(path): \(r.status) \(r.text.prefix(80))")
                #expect(r.headers[.contentType]?.hasPrefix("application/json") == true, "\(path)")
            }
            let origin: HTTPFields = [.origin: "https://verifier.example"]
            let jwks = try await client.execute(uri: "/.well-known/jwks.json", method: .get, headers: origin, body: nil)
            #expect(jwks.status == .ok && jwks.headers[.accessControlAllowOrigin] == "*")
            // Asked for or not: a copy cached from a request without Origin must serve other origins too.
            #expect(try await client.get("/.well-known/jwks.json").headers[.accessControlAllowOrigin] == "*")
            let preflight = try await client.execute(uri: "/api/v1/verify", method: .options,
                                                     headers: origin + [.accessControlRequestMethod: "POST"], body: nil)
            #expect(preflight.status == .noContent && preflight.headers[.accessControlAllowOrigin] == "*")
            #expect(preflight.headers[.accessControlAllowMethods]?.contains("POST") == true)
            let verify = try await client.execute(uri: "/api/v1/verify", method: .post, headers: origin + [.contentType: "application/json"],
                                                  body: ByteBuffer(string: #"{"jws":"x.y.z"}"#))
            #expect(verify.headers[.accessControlAllowOrigin] == "*")
            // Signed-in and officers' endpoints: no CORS, and no preflight answered for them.
            for path in ["/api/v1/applications", "/api/v1/events", "/login"] {
                let r = try await client.execute(uri: path, method: .get, headers: origin, body: nil)
                #expect(r.headers[.accessControlAllowOrigin] == nil, "\(path)")
                let p = try await client.execute(uri: path, method: .options, headers: origin, body: nil)
                #expect(p.headers[.accessControlAllowOrigin] == nil && p.status != .noContent, "\(path)")
            }
            // Pages still answer people with pages.
            #expect(try await client.get("/no-such-page").headers[.contentType]?.hasPrefix("text/html") == true)
        }
    }

    @Test func healthMetricsAndOpenAPI() async throws {
        try await Harness.run { client, s in
            let health = try await client.get("/healthz")
            #expect(health.status == .ok)
            #expect(health.text.contains(#""database":"ok""#))
            _ = try await client.get("/catalog")
            // Metrics are for the monitoring addresses and the metrics token only.
            let refused = try await client.get("/metrics")
            #expect(refused.status == .forbidden && refused.errorCode == ErrorCode.metrics.forbidden)
            let metrics = try await client.get("/metrics", headers: [.authorization: "Bearer \(s.config.metricsToken)"])
            #expect(metrics.status == .ok)
            #expect(metrics.text.contains("# TYPE xuke_http_requests_total counter"))
            #expect(metrics.text.range(of: #"xuke_http_requests_total\{method="GET",route="/catalog",status="200"\} [1-9]"#, options: .regularExpression) != nil)
            #expect(metrics.text.contains("# TYPE xuke_http_request_duration_seconds histogram"))
            #expect(try await client.get("/openapi.json").json()["openapi"] as? String == "3.1.0")
        }
    }

    @Test func shippedDataIsLoadedOnceWithEvents() async throws {
        try await Harness.run { client, s in
            let editions = try await client.get("/api/v1/catalog/editions")
            let list = try editions.list()
            #expect(list.map { $0["code"] as? String } == ["2017-01", "2017-06", "2018", "2019", "2020", "2024"])
            #expect(list.map { $0["category_count"] as? Int } == [60, 38, 24, 10, 10, 14])
            // A second load finds everything loaded and does nothing.
            #expect(try await ShippedData.load(into: s.db, at: s.clock.stamp).isEmpty)
            let events = try await s.db.read { try await Events.list($0, limit: 1000) }
            #expect(events.filter { $0.type == EventType.catalogEditionPublished.rawValue }.count == 2)
            #expect(s.places.divisions["440000"]?.provinceAbbr == "粤")
        }
    }

    /// Every list pages the one way: `items`, and `next` to pass back as `after` until it is absent.
    @Test func listsPageWithACursor() async throws {
        try await Harness.run { client, s in
            // A short list read whole, two at a time.
            var codes: [String] = [], after: String? = nil, pages = 0
            repeat {
                let r = try await client.get("/api/v1/catalog/editions?limit=2" + (after.map { "&after=\($0)" } ?? ""))
                let page = try r.json()
                codes += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
                after = page["next"] as? String
                pages += 1
            } while after != nil && pages < 10
            #expect(codes == ["2017-01", "2017-06", "2018", "2019", "2020", "2024"] && pages == 3)
            // A list read by id, newest first: three reports from the public, one page each, each once.
            let f = try await Flow.start(client, s)
            var numbers: [String] = []
            for n in 0..<3 {
                let r = try await client.send(.post, "/api/v1/public/reports",
                                              json: #"{"source":"complaint","division":"440305","subject":"某厂\#(n)","product":"餐盒","description":"夜间无证生产塑料餐盒，没有任何出厂检验。"}"#)
                numbers.append(try #require(try r.json()["number"] as? String))
            }
            var seen: [String] = []
            after = nil
            repeat {
                let page = try await f.get("leads?limit=1" + (after.map { "&after=\($0)" } ?? ""), as: f.officer).json()
                seen += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["number"] as? String }
                after = page["next"] as? String
            } while after != nil && seen.count < 10
            #expect(seen == numbers.reversed(), "\(seen)")
            // A cursor the list never handed out is the client's mistake.
            for bad in ["/api/v1/catalog/editions?after=99", "/api/v1/public/licenses?q=x&after=abc", "/api/v1/public/inspections?after=x_1",
                        "/api/v1/public/ccc?holder=91440300MAHTRKJH63&after=abc"] {
                #expect(try await client.get(bad).errorCode == ErrorCode.request.cursor, "\(bad)")
            }
        }
    }

    @Test func everyRouteIsInTheOpenAPIDocument() async throws {
        try await Harness.run { _, s in
            let router = XukeApplication.router(s)
            let doc = try JSONSerialization.jsonObject(with: Data(SystemRoutes.openAPI.readableBytesView)) as! [String: Any]
            let paths = doc["paths"] as! [String: [String: Any]]
            for route in router.routes {
                let path = "\(route.path)".split(separator: "/").map { part in
                    part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
                }.joined(separator: "/")
                let full = "/" + path
                // HTML pages are not part of the API description.
                guard full.hasPrefix("/api/") || ["/healthz", "/metrics", "/openapi.json"].contains(full) else { continue }
                #expect(paths[full]?[route.method.rawValue.lowercased()] != nil, "\(route.method) \(full) is missing from openapi.json")
            }
            // Every operation is named and filed under an area, each name once.
            let operations = paths.values.flatMap { $0.values.compactMap { $0 as? [String: Any] } }
            #expect(operations.count > 150)
            #expect(operations.allSatisfy { ($0["operationId"] as? String)?.isEmpty == false && ($0["tags"] as? [String])?.count == 1 })
            #expect(Set(operations.compactMap { $0["operationId"] as? String }).count == operations.count)
        }
    }
}

@Suite struct SettingsTests {
    /// "Today" is the day in Beijing, from the one platform clock, whatever the server's own time zone.
    @Test func todayTurnsAtBeijingMidnight() throws {
        let clock = PlatformClock()
        clock.set(Timestamp.date("2026-12-03T15:59:59Z"))
        #expect(clock.today == CivilDate("2026-12-03"))
        clock.set(Timestamp.date("2026-12-03T16:00:00Z"))
        #expect(clock.today == CivilDate("2026-12-04"))
        #expect(clock.stamp == "2026-12-03T16:00:00Z")
        #expect(clock.seconds == 1_796_313_600)
    }

    @Test func thePublicRateLimitIsASetting() throws {
        #expect(try AppConfig.fromEnvironment([:]).publicRatePerMinute == 120)
        #expect(try AppConfig.fromEnvironment(["XUKE_PUBLIC_RATE": "600"]).publicRatePerMinute == 600)
        for bad in ["0", "-5", "many"] {
            #expect(throws: ConfigError.self) { try AppConfig.fromEnvironment(["XUKE_PUBLIC_RATE": bad]) }
        }
    }
}

@Suite struct LanguageTests {
    @Test func messageCatalogsHaveTheSameKeysAndCoverTheTemplates() throws {
        let m = try Messages.load()
        let zh = Set(m.catalogs[.zh]!.keys), en = Set(m.catalogs[.en]!.keys)
        #expect(zh.subtracting(en).isEmpty, "missing in en: \(zh.subtracting(en))")
        #expect(en.subtracting(zh).isEmpty, "missing in zh: \(en.subtracting(zh))")
        // Templates read keys as paths (t.diff.kind_heading), so no key may also be the start of another.
        for key in zh {
            #expect(!zh.contains { $0.hasPrefix(key + ".") }, "\(key) is both a message and a group of messages")
        }
        let dir = Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("xuke_XukeApp.resources/templates")
        let templates = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(templates.count > 10)
        let pattern = try Regex(#"\{\{[#^/]?t\.([a-z_.]+)\}\}"#)
        for name in templates {
            let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            for match in text.matches(of: pattern) {
                let key = String(text[match.output[1].range!])
                #expect(zh.contains(key), "\(name) uses t.\(key), which the catalog lacks")
            }
        }
    }

    @Test func pagesInBothLanguages() async throws {
        try await Harness.run { client, _ in
            for path in ["/", "/catalog", "/catalog/editions/2024", "/catalog/diff?from=2019&to=2024", "/catalog/check?unit=0901&date=2024-10-01", "/calendar", "/login"] {
                let zh = try await client.get(path)
                #expect(zh.status == .ok, "\(path)")
                #expect(zh.text.contains(#"<html lang="zh-CN">"#), "\(path)")
                let en = try await client.get(path + (path.contains("?") ? "&" : "?") + "lang=en")
                #expect(en.status == .ok)
                #expect(en.text.contains(#"<html lang="en">"#), "\(path)")
                #expect(en.cookies["xuke_lang"] == "en")
            }
            let byHeader = try await client.get("/catalog", headers: [.acceptLanguage: "en-GB,en;q=0.9,zh;q=0.5"])
            #expect(byHeader.text.contains("Production license catalog"))
            let catalog = try await client.get("/catalog")
            #expect(catalog.text.contains("生产许可证产品目录"))
            #expect(catalog.text.contains("<svg"))
            #expect(catalog.text.contains(">60</text>") && catalog.text.contains(">14</text>"))
            #expect(catalog.text.contains("安全帽"))
            let diff = try await client.get("/catalog/diff?from=2019&to=2024&lang=en")
            #expect(diff.text.contains("Cold-rolled ribbed steel bars"))
            #expect(diff.text.contains("Delegate"))
            #expect(diff.text.contains("<th>Kind</th>"))
        }
    }

    @Test func apiErrorsFollowTheRequestLanguage() async throws {
        try await Harness.run { client, _ in
            let zh = try await client.get("/api/v1/catalog/editions/1999")
            #expect(zh.status == .notFound)
            #expect(zh.errorMessage?.contains("找不到") == true)
            let en = try await client.get("/api/v1/catalog/editions/1999", headers: [.acceptLanguage: "en"])
            #expect(en.errorMessage?.contains("Not found") == true)
        }
    }
}

@Suite struct CatalogAPITests {
    @Test func licensabilityAndDiff() async throws {
        try await Harness.run { client, _ in
            let cement2020 = try await client.get("/api/v1/catalog/licensability?unit=0201&date=2020-01-01").json()
            #expect(cement2020["authority"] as? String == "national")
            let cement2021 = try await client.get("/api/v1/catalog/licensability?unit=0201&date=2021-01-01").json()
            #expect(cement2021["authority"] as? String == "provincial")
            let helmet = try await client.get("/api/v1/catalog/licensability?unit=1401&date=2024-01-01").json()
            #expect(helmet["licensable"] as? Bool == false)
            #expect(try await client.get("/api/v1/catalog/licensability?unit=abc").status == .badRequest)
            #expect(try await client.get("/api/v1/catalog/licensability?unit=0201&date=2024-13-01").status == .badRequest)
            let diff = try await client.get("/api/v1/catalog/diff?from=2019&to=2024").json()
            let changes = try #require((diff["diff"] as? [String: Any])?["changes"] as? [[String: Any]])
            #expect(changes.contains { $0["unit_no"] as? String == "0102" && $0["kind"] as? String == "added" })
            #expect(changes.contains { $0["unit_no"] as? String == "0901" && $0["kind"] as? String == "commitment_changed" })
            // 5 delegations (2020), 5 additions (2024), and 4 CCC transfers that became mandatory in between.
            #expect((diff["reform_actions"] as? [Any])?.count == 5 + 5 + 4)
        }
    }

    @Test func csvImportIsAllOrNothingAndExportRoundTrips() async throws {
        try await Harness.run { client, s in
            let admin = try await client.token(s, username: "admin1", role: "admin")
            let officer = try await client.token(s, username: "officer1", role: "officer", jurisdiction: "440000")
            let export = try await client.get("/api/v1/catalog/editions/2024/csv")
            #expect(export.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(export.text.hasPrefix("\u{FEFF}edition,decision"))
            // An authority fills in a variety the shipped data lacks.
            let added = export.text + "2024,国发〔2024〕11号,2024-09-25,07,危险化学品,Hazardous chemicals,0703,危险化学品其他产品,Other hazardous chemicals,provincial,no,test\r\n"
            #expect(try await client.sendText("/api/v1/catalog/editions", added, token: officer).status == .forbidden)
            let bad = added + "2024,国发〔2024〕11号,2024-09-25,07,危险化学品,Hazardous chemicals,07x4,bad,bad,provincial,no,test\r\n"
                + "2024,国发〔2024〕11号,2024-09-25,07,危险化学品,Hazardous chemicals,0705,ok,ok,federal,no,test\r\n"
            let refused = try await client.sendText("/api/v1/catalog/editions", bad, token: admin)
            #expect(refused.status == .unprocessableContent)
            let problems = try #require((try refused.json()["error"] as? [String: Any])?["problems"] as? [[String: Any]])
            #expect(problems.map { $0["line"] as? Int } == [25, 26])
            #expect(try await client.get("/api/v1/catalog/editions/2024").text.contains("0703") == false)
            let wrongHeader = try await client.sendText("/api/v1/catalog/editions", "a,b\n1,2\n", token: admin)
            #expect(wrongHeader.status == .unprocessableContent && wrongHeader.errorCode == ErrorCode.imports.invalid)
            let accepted = try await client.sendText("/api/v1/catalog/editions", added, token: admin)
            #expect(accepted.status == .created)
            #expect(try await client.get("/api/v1/catalog/editions/2024").text.contains("0703"))
            let units = try await client.get("/api/v1/catalog/editions/2024/csv").text.split(separator: "\r\n").count
            #expect(units == 24)
        }
    }

    @Test func calendarAPI() async throws {
        try await Harness.run { client, s in
            let r = try await client.get("/api/v1/calendar/add?start=2026-09-30&days=3").json()
            #expect(r["date"] as? String == "2026-10-10" && r["estimated"] as? Bool == false)
            let est = try await client.get("/api/v1/calendar/add?start=2027-01-04&days=5").json()
            #expect(est["estimated"] as? Bool == true)
            let count = try await client.get("/api/v1/calendar/count?from=2026-09-30&to=2026-10-10").json()
            #expect(count["working_days"] as? Int == 3)
            #expect(try await client.get("/api/v1/calendar/add?days=x").status == .badRequest)
            // Next year's notice arrives as data.
            let admin = try await client.token(s, username: "admin1", role: "admin")
            let notice = "date,kind\n2027-01-01,holiday\n2027-02-06,workday\n2027-02-08,holiday\n"
            #expect(try await client.sendText("/api/v1/calendar/import", notice, token: admin).status == .created)
            let after = try await client.get("/api/v1/calendar/add?start=2026-12-31&days=1").json()
            #expect(after["date"] as? String == "2027-01-04" && after["estimated"] as? Bool == false)
            let badNotice = try await client.sendText("/api/v1/calendar/import", "date,kind\n2027-13-01,holiday\n", token: admin)
            #expect(badNotice.status == .unprocessableContent)
        }
    }
}

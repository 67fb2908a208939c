import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import XukeApp
import XukeDomain
import XukeStorage
import XukeTestSupport

@Suite struct DocumentTests {
    /// Each step the law gives a document gives one, numbered, dated, addressed and checkable; refusals name the
    /// remedies; the public check answers only for the digest printed with the document.
    @Test func everyStepGivesItsDocument() async throws {
        try await Harness.run { client, s in
            let flow = try await Flow.start(client, s)
            // A new application accepted, approved and issued on the commitment route: notice, decision, certificate.
            let (caseID, licenseID) = try await flow.commitmentLicense()
            let listed = try await flow.get("applications/\(caseID)/documents", as: flow.enterprise)
            let kinds = try #require(try JSONSerialization.jsonObject(with: Data(listed.text.utf8)) as? [[String: Any]]).compactMap { $0["kind"] as? String }
            #expect(kinds == ["acceptance_notice", "grant_decision", "certificate"], "\(listed.text)")
            let docs = try await s.db.read { try await DocumentStore.list($0, applicationID: caseID) }
            #expect(docs.allSatisfy { $0.number.hasPrefix("粤市监许") && $0.number.hasSuffix("号") && $0.authority == "440000" })
            let certificate = try #require(docs.last)
            #expect(certificate.licenseId == licenseID && certificate.content.contains("示例食品包装有限公司"))

            // Someone else's enterprise cannot read it; the officer over the authority can.
            let stranger = try await client.token(s, username: "other", role: "enterprise", enterprise: try await Self.otherEnterprise(client, flow))
            #expect(try await flow.get("documents/\(certificate.id)", as: stranger).status == .notFound)
            #expect(try await flow.get("documents/\(certificate.id)", as: flow.officer).status == .ok)

            // The page in both languages, and the public check with and without the right digest.
            let maker = try await client.browser("maker")
            for lang in ["zh", "en"] {
                let page = try await client.get("/documents/\(certificate.id)?lang=\(lang)", headers: [.cookie: maker.cookie])
                #expect(page.status == .ok && page.readsClean && page.text.contains(certificate.number) && page.text.contains("<svg"))
            }
            let check = "/d/\(certificate.id)/\(certificate.sha256.prefix(16))"
            let genuine = try await client.get(check + "?lang=en")
            #expect(genuine.status == .ok && genuine.text.contains("matches the platform") && genuine.text.contains(certificate.number))
            var forged = Array(certificate.sha256.prefix(16))
            forged[0] = forged[0] == "0" ? "1" : "0"
            #expect(try await client.get("/d/\(certificate.id)/\(String(forged))").status == .notFound)
            #expect(try await client.get("/d/\(certificate.id)/zz").status == .notFound)

            // A refusal of acceptance and a correction notice, with what they must say.
            let second = try #require(try await flow.submit(kind: "change", units: ["1002"], changes: ["add_units"], reports: ["1002"])["id"] as? Int)
            try await flow.act(second, "request_correction", #"{"items":["营业执照副本不清晰","检验报告缺少第3页"]}"#)
            try await flow.act(second, "refuse_acceptance", #"{"reasons":"申请事项不属于本机关职权范围"}"#)
            let more = try await s.db.read { try await DocumentStore.list($0, applicationID: second) }
            #expect(more.map(\.kind) == [.correctionNotice, .acceptanceRefusal])
            #expect(more[0].content.contains("检验报告缺少第3页") && more[1].content.contains("不属于本机关职权范围"))
            let refusal = try await client.get("/documents/\(more[1].id)?lang=zh", headers: [.cookie: maker.cookie])
            #expect(refusal.text.contains("六十") || refusal.text.contains("60日内"), "the remedies are named")
            #expect(refusal.text.contains("行政复议") && refusal.text.contains("行政诉讼"))
            #expect(try await s.trust.auditLog().problems == [], "documents leave the log as it was")
        }
    }

    /// The PDF is printed by Chromium from the same page: its text reads back with pdftotext and its QR code, read
    /// from the printed page by zbarimg, is the document's own check address.
    @Test func thePDFReadsBackWithItsQRCode() async throws {
        guard PDFPrinter.find("") != nil, (try? Interop.run("pdftotext", ["-v"]))?.status == 0 else {
            #expect(!Interop.enabled, "scripts/interop-setup installs chromium and poppler-utils")
            return
        }
        try await Harness.run { client, s in
            let flow = try await Flow.start(client, s)
            let (caseID, _) = try await flow.commitmentLicense()
            let certificate = try #require(try await s.db.read { try await DocumentStore.list($0, applicationID: caseID) }.last)
            let maker = try await client.browser("maker")
            let r = try await client.get("/documents/\(certificate.id)/pdf?lang=zh", headers: [.cookie: maker.cookie])
            #expect(r.status == .ok && r.headers[.contentType] == "application/pdf", "\(r.text.prefix(300))")
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xuke-pdf-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let file = dir.appendingPathComponent("certificate.pdf")
            try Data(r.body.readableBytesView).write(to: file)
            let text = try Interop.run("pdftotext", ["-layout", file.path, "-"]).text
            for expected in [certificate.number, "示例食品包装有限公司", "全国工业产品生产许可证", "有效期至", Fixtures.shenzhen] {
                #expect(text.contains(expected), "\(expected) not in the PDF text:\n\(text.prefix(800))")
            }
            let image = dir.appendingPathComponent("page")
            #expect(try Interop.run("pdftoppm", ["-png", "-r", "200", "-f", "1", "-l", "1", file.path, image.path]).status == 0)
            let png = try #require(try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasSuffix(".png") })
            let decoded = try Interop.run("zbarimg", ["--raw", "-q", dir.appendingPathComponent(png).path]).text.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(decoded == s.licensing.checkURL(certificate), "the QR code read from the printed page: \(decoded)")
            // The second time it is served from the store, byte for byte.
            let again = try await client.get("/documents/\(certificate.id)/pdf?lang=zh", headers: [.cookie: maker.cookie])
            #expect(Data(again.body.readableBytesView) == Data(r.body.readableBytesView))
        }
    }

    static func otherEnterprise(_ client: any TestClientProtocol, _ flow: Flow) async throws -> String {
        let uscc = Fixtures.guangdong(77)
        let r = try await client.send(.post, "/api/v1/enterprises", json: Fixtures.enterprise(uscc, name: "另一家公司", division: "440305"), token: flow.admin)
        #expect(r.status == .created)
        return uscc
    }
}

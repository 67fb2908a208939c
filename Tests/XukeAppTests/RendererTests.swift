import Testing
@testable import XukeApp

/// How a page model reaches the templates.
@Suite struct RendererTests {
    struct Row: Encodable, Sendable { var name: String; var note: String? }
    struct Model: PageModel {
        var title: String
        var empty: String
        var missing: String?
        var count: Int
        var rows: [Row]
        var cells: [String]
        var flag: Bool
    }

    @Test func aModelBecomesWhatTheTemplatesRead() throws {
        let model = Model(title: "许可", empty: "", missing: nil, count: 0, rows: [Row(name: "a", note: nil), Row(name: "b", note: "n")],
                          cells: ["x", "", "z"], flag: false)
        let values = try #require(Renderer.values(of: model) as? [String: Any])
        #expect(values["title"] as? String == "许可")
        // Absent text is dropped, so `{{#empty}}` shows nothing; a zero and a false stay.
        #expect(values["empty"] == nil && values["missing"] == nil)
        #expect(values["count"] as? Int == 0 && values["flag"] as? Bool == false)
        let rows = try #require(values["rows"] as? [Any])
        #expect((rows[0] as? [String: Any])?["note"] == nil)
        #expect((rows[1] as? [String: Any])?["note"] as? String == "n")
        // A list keeps its length: the empty middle cell is still there.
        #expect((values["cells"] as? [Any])?.compactMap { $0 as? String } == ["x", "", "z"])
    }
}

import Foundation
import Hummingbird
import Testing
@testable import XukeApp
import XukeDomain

@Suite struct ErrorCatalogTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func placeholders(_ text: String) -> Set<String> {
        var out = Set<String>()
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out.insert(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return out
    }

    /// Every code has a sentence in both languages naming the same values, and no sentence is left without a code.
    @Test func everyCodeHasBothSentencesAndNoSentenceIsOrphaned() throws {
        let messages = try Messages.load()
        let keys = Set(ErrorCode.all.map { "error." + $0.messageKey } + ["error.http.other"])
        #expect(ErrorCode.all.count > 300)
        for key in keys {
            let zh = try #require(messages.catalogs[.zh]?[key], "no Chinese sentence for \(key)")
            let en = try #require(messages.catalogs[.en]?[key], "no English sentence for \(key)")
            #expect(!zh.isEmpty && !en.isEmpty)
            #expect(Self.placeholders(zh) == Self.placeholders(en), "\(key) names different values in zh and en")
        }
        for lang in Language.allCases {
            // error.home, error.title and the like label the error page itself.
            let orphans = (messages.catalogs[lang] ?? [:]).keys.filter {
                $0.hasPrefix("error.") && $0.dropFirst(6).contains { ".:_".contains($0) } && !keys.contains($0)
            }
            #expect(orphans.isEmpty, "sentences for no code in \(lang): \(orphans.sorted())")
        }
        // A message key names one sentence; two members with one key would be one sentence spelled twice.
        let byKey = Dictionary(grouping: ErrorCode.all, by: \.messageKey)
        #expect(byKey.filter { $0.value.count > 1 }.isEmpty)
    }

    @Test func argumentsFillTheSentence() {
        let e = AppError(.uscc.check, ["expected": "3", "found": "Z"])
        #expect(e.message.en == "Wrong check character in the unified social credit code: expected “3”, got “Z”")
        #expect(e.message.zh.contains("3") && !e.message.zh.contains("{"))
        #expect(e.status == .unprocessableContent)
    }

    @Test func thePublishedListIsCurrent() throws {
        let file = try String(contentsOf: Self.root.appendingPathComponent("docs/ERRORS.md"), encoding: .utf8)
        #expect(file == ErrorCatalog.markdown(), "docs/ERRORS.md is out of date: run `swift run xuke errors > docs/ERRORS.md`")
    }

    /// Codes are declared only in the catalog: anywhere else a code is one of its members.
    @Test func noCodeIsDeclaredOutsideTheCatalog() throws {
        let sources = Self.root.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "swift" && !$0.path.contains("/XukeDomain/Errors/") }
        #expect(files.count > 100)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(!text.contains("ErrorCode(\""), "\(file.lastPathComponent) declares an error code outside the catalog")
        }
    }
}

@Suite struct EventCatalogTests {
    /// Histories and notifications name every event in both languages.
    @Test func everyEventTypeHasANameInBothLanguages() throws {
        let messages = try Messages.load()
        for type in EventType.allCases {
            #expect(messages.catalogs[.zh]?["event.\(type.rawValue)"] != nil, "no Chinese name for \(type.rawValue)")
            #expect(messages.catalogs[.en]?["event.\(type.rawValue)"] != nil, "no English name for \(type.rawValue)")
        }
        #expect(Set(EventType.allCases.map(\.rawValue)).count == EventType.allCases.count)
        // The old names are gone from the list, and each is renamed to a name of the list.
        #expect(Set(EventType.renamedFrom.keys).isDisjoint(with: EventType.allCases.map(\.rawValue)))
    }
}

import XukeDomain
import Foundation

/// The published list of error codes (docs/ERRORS.md), made from the catalog and its sentences so that it cannot
/// drift from what the platform says. `xuke errors` prints it; a test compares it with the file.
public enum ErrorCatalog {
    public static func markdown(_ messages: Messages = .shared) -> String {
        var out = """
            # Error codes

            Every refusal is answered with a stable code. The JSON API answers
            `{"error": {"code": "…", "message": "…", "problems": [{"line": 1, "message": "…"}]}}` (`problems` only when a
            form or file had several); pages show the message and carry the code in a `data-code` attribute. Programs
            match on `code`, never on `message`, which is in the caller's language and may be reworded. One code may have
            more than one sentence (a variant) when it is worth saying more precisely what went wrong; `{name}` stands for a
            value filled in at the time.

            This list is generated from the catalog (`Sources/XukeDomain/Errors`, sentences in
            `Sources/XukeApp/Resources/messages` under `error.<code>`) by `xuke errors`; a test fails when it is out of
            date. The OpenAPI document (`/openapi.json`) refers to it from its `Error` schema.


            """
        for (area, codes) in ErrorCode.byArea {
            out += "## \(area)\n\n| code | HTTP | 中文 | English |\n| --- | --- | --- | --- |\n"
            for code in codes {
                let text = messages.error(code, [:])
                out += "| `\(code.rawValue)` | \(code.status) | \(cell(text.zh)) | \(cell(text.en)) |\n"
            }
            if area == "Platform" {
                let other = messages.error(ErrorCode.http.other(400), [:])
                out += "| `http.<status>` | 4xx | \(cell(other.zh)) | any other client error the HTTP layer raises, in its own words |\n"
            }
            out += "\n"
        }
        return out
    }

    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}

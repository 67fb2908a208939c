import SQLKit
import Foundation
import XukeDomain

extension Migrations {
    /// Event payloads in one convention: every stored payload is read as its type's struct and written again in
    /// snake_case. Payloads that do not read as their type are left as they are.
    static let v18EventPayloads = Migration(version: 18, name: "event_payloads", statements: [], rewrite: { sql in
        var after = 0
        while true {
            let rows = try await sql.raw("SELECT id, type, payload FROM events WHERE id > \(bind: after) ORDER BY id LIMIT 1000").all()
            guard let last = rows.last else { return }
            after = try last.decode(column: "id", as: Int.self)
            for row in rows {
                guard let type = EventType(rawValue: try row.decode(column: "type", as: String.self)) else { continue }
                let stored = try row.decode(column: "payload", as: String.self)
                guard let normal = Events.normalized(stored, as: type.payloadType), normal != stored else { continue }
                try await sql.raw("UPDATE events SET payload = \(bind: normal) WHERE id = \(bind: try row.decode(column: "id", as: Int.self))").run()
            }
        }
    })
}

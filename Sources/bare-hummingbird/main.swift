// A Hummingbird server with one route and nothing else: the yardstick scripts/load-verify holds the
// public verify endpoint against. It answers GET and POST alike, so both runs send the same requests.
import Hummingbird

let port = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 8081
let router = Router()
router.get("/") { _, _ in "ok" }
router.post("/") { _, _ in "ok" }
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()

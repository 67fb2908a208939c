public import Foundation

/// Tools this project did not write, for the interop tests. `scripts/test` installs them and sets
/// XUKE_INTEROP=1; a bare `swift test` skips those checks rather than pretending they passed.
public enum Interop {
    public static let enabled = ProcessInfo.processInfo.environment["XUKE_INTEROP"] == "1"

    public struct Result {
        public var status: Int32
        public var stdout: Data
        public var stderr: String
        public var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    public static func run(_ executable: String, _ arguments: [String], stdin: Data? = nil, env: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [executable] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment.merge(env) { _, new in new }
        p.environment = environment
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: data, stderr: String(decoding: errData, as: UTF8.self))
    }

    public static func temporaryFile(_ name: String, _ data: Data) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xuke-interop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try data.write(to: url)
        return url
    }

    /// The Python with PyJWT that `scripts/interop-setup` prepares.
    public static var python: String {
        ProcessInfo.processInfo.environment["XUKE_INTEROP_PYTHON"] ?? "python3"
    }

    /// The design's reference scripts (dr_v1.py, rfc6962.py), which live outside this repository: XUKE_REFERENCE_DIR,
    /// or ../shared/design/reference beside the checkout. Nil when neither is there; checks that need them are skipped.
    public static let reference: String? = {
        let sibling = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/design/reference").path
        return [ProcessInfo.processInfo.environment["XUKE_REFERENCE_DIR"], sibling].compactMap { $0 }
            .first { FileManager.default.fileExists(atPath: $0 + "/dr_v1.py") }
    }()

    /// The directory of the project's interop scripts.
    public static var scripts: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/interop").path
    }
}

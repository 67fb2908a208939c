import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Prints a page of our own to PDF with headless Chromium, when the machine has it (`XUKE_CHROMIUM`, else `chromium`
/// or `chromium-browser` on the PATH; `scripts/interop-setup` installs Debian's). The page is written to a private
/// temporary directory and opened as a file, so the browser fetches nothing; two print at a time, each within a minute.
/// Without Chromium, pages still print from the reader's own browser.
actor PDFPrinter {
    let binary: String?
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    static let concurrent = 2
    /// Prints that may wait their turn; more are refused at once rather than queued without end.
    static let queue = 20
    static let timeout: Duration = .seconds(60)

    init(configured: String) {
        binary = Self.find(configured)
    }

    static func find(_ configured: String) -> String? {
        if !configured.isEmpty { return FileManager.default.isExecutableFile(atPath: configured) ? configured : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser"] where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
                return "\(dir)/\(name)"
            }
        }
        return nil
    }

    enum Failure: Error { case unavailable, busy, failed(String) }

    func print(html: String) async throws -> Data {
        guard let binary else { throw Failure.unavailable }
        guard waiting.count < Self.queue else { throw Failure.busy }
        await enter()
        defer { leave() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xuke-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("page.html"), output = dir.appendingPathComponent("page.pdf")
        try Data(html.utf8).write(to: input)
        var arguments = ["--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                         "--disable-background-networking", "--disable-sync", "--mute-audio", "--no-pdf-header-footer",
                         "--user-data-dir=\(dir.appendingPathComponent("profile").path)", "--print-to-pdf=\(output.path)"]
        // Chromium will not start its sandbox as root (a container, CI); as any other user it keeps it.
        if geteuid() == 0 { arguments.append("--no-sandbox") }
        arguments.append(input.absoluteString)
        try await Self.run(binary, arguments)
        guard let pdf = try? Data(contentsOf: output), pdf.starts(with: Array("%PDF-".utf8)) else { throw Failure.failed("no PDF came out") }
        return pdf
    }

    private func enter() async {
        if running < Self.concurrent {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func leave() {
        if waiting.isEmpty { running -= 1 } else { waiting.removeFirst().resume() }
    }

    /// Runs the browser to its end, or stops it at the time limit.
    static func run(_ binary: String, _ arguments: [String]) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { done in
            process.terminationHandler = { done.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                done.resume(throwing: Failure.failed("cannot start \(binary): \(error)"))
                return
            }
            Task {
                try? await Task.sleep(for: timeout)
                if process.isRunning { process.terminate() }
            }
        }
        guard status == 0 else { throw Failure.failed("\(binary) exited with \(status)") }
    }
}

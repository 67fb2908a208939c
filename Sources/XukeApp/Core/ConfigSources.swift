import Configuration
public import Foundation
import SystemPackage

/// Where settings come from (swift-configuration), first match winning:
/// 1. a secret file named by `XUKE_<NAME>_FILE` (a mounted secret: the database URL with its password, say);
/// 2. the environment, `XUKE_<NAME>`;
/// 3. the JSON file `XUKE_CONFIG_FILE`, one flat object whose keys are the names without `XUKE_`, lower-case,
///    with dashes: `{"database-url": "postgres://…", "port": 8080, "trusted-proxies": ["10.0.0.0/8"]}`.
/// Every value is then checked as before (`fromEnvironment`).
extension AppConfig {
    /// Settings whose values are secrets: never logged or shown by swift-configuration.
    static let secretNames: Set<String> = ["XUKE_DATABASE_URL", "XUKE_DATABASE_READ_URL", "XUKE_SMTP_URL", "XUKE_METRICS_TOKEN"]

    public static func load(environment env: [String: String] = ProcessInfo.processInfo.environment) async throws -> AppConfig {
        var secrets: [AbsoluteConfigKey: ConfigValue] = [:]
        for (name, _) in variables {
            guard let path = env[name + "_FILE"], !path.isEmpty else { continue }
            guard env[name]?.isEmpty ?? true else { throw ConfigError(variable: name + "_FILE", value: "set \(name) or \(name)_FILE, not both") }
            secrets[AbsoluteConfigKey(key(name))] = ConfigValue(.string(try secret(name + "_FILE", path)), isSecret: true)
        }
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "secret files", values: secrets),
            EnvironmentVariablesProvider(environmentVariables: env, secretsSpecifier: .specific(secretNames)),
        ]
        if let file = env["XUKE_CONFIG_FILE"], !file.isEmpty {
            try checkKeys(file)
            providers.append(try await FileProvider<JSONSnapshot>(filePath: FilePath(file)).mapKeys { AbsoluteConfigKey(Array($0.components.dropFirst())) })
        }
        let reader = ConfigReader(providers: providers)
        var flat: [String: String] = [:]
        for (name, _) in variables {
            let k = key(name), hidden = secretNames.contains(name)
            if let v = reader.string(forKey: k, isSecret: hidden) { flat[name] = v }
            else if let v = reader.int(forKey: k) { flat[name] = String(v) }
            else if let v = reader.bool(forKey: k) { flat[name] = String(v) }
            else if let v = reader.stringArray(forKey: k) { flat[name] = v.joined(separator: ",") }
        }
        return try fromEnvironment(flat)
    }

    /// `XUKE_DB_MAX_CONNECTIONS` → `xuke.db-max-connections`, which the environment provider spells back the same.
    static func key(_ name: String) -> ConfigKey {
        ConfigKey(["xuke", name.dropFirst("XUKE_".count).lowercased().replacingOccurrences(of: "_", with: "-")])
    }

    static func fileKey(_ name: String) -> String { key(name).components[1] }

    /// A secret file's text without its final line break, at most 64 KiB.
    static func secret(_ variable: String, _ path: String) throws -> String {
        guard let data = bounded(path, 65_536),
              var text = String(data: data, encoding: .utf8) else { throw ConfigError(variable: variable, value: "\(path) is unreadable or larger than 64 KiB") }
        while text.last?.isNewline == true { text.removeLast() }
        return text
    }

    /// At most `limit` bytes of a file, or nil when it is longer or unreadable (read no further: it may be endless).
    static func bounded(_ path: String, _ limit: Int) -> Data? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: limit + 1), data.count <= limit else { return nil }
        return data
    }

    /// A misspelt key would be ignored without a word; refuse the file instead.
    static func checkKeys(_ path: String) throws {
        guard let data = bounded(path, 1 << 20),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ConfigError(variable: "XUKE_CONFIG_FILE", value: "\(path) is not a readable JSON object")
        }
        let known = Set(variables.map { fileKey($0.name) }).subtracting(["config-file"])
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw ConfigError(variable: "XUKE_CONFIG_FILE", value: "\(path) names an unknown setting “\(unknown)”")
        }
    }
}

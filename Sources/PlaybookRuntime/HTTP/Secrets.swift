import Foundation
import PlaybookLanguage

/// Where a run finds the values of the secrets its connections name.
public protocol SecretSource: Sendable {
    /// The value of the secret called `name`, or nil when this source has none.
    func value(of name: SecretName) -> String?
    /// The value of the secret called `name` where the connection needs it to be a `kind`; a
    /// source of stand-in values gives one of that kind.
    func value(of name: SecretName, as kind: SecretKind) -> String?
}

extension SecretSource {
    public func value(of name: SecretName, as kind: SecretKind) -> String? { value(of: name) }
}

/// What a connection needs a secret's value to be.
public enum SecretKind: Sendable, Hashable {
    /// Any text: a token, a password, an address.
    case text
    /// A service account's JSON key, which a connection signs its token requests with.
    case serviceAccountKey
}

/// Secrets from environment variables of the same name (`HUBSPOT_TOKEN=… playbook run …`).
public struct EnvironmentSecrets: SecretSource {
    private let environment: [String: String]

    /// The secrets of the process's environment.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public func value(of name: SecretName) -> String? {
        environment[name.rawValue].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// Secrets from a file of `NAME=value` lines, as given by `--secrets FILE`: blank lines and lines
/// starting with `#` are skipped, a value may be wrapped in single or double quotes, and spaces
/// around the name and the value are trimmed.
public struct SecretsFile: SecretSource {
    /// The path as given, for messages.
    public let path: String
    private let values: [String: String]

    /// Reads and checks the file. Errors name the line, never the value written on it.
    public init(path: String) throws(SecretsFileError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw SecretsFileError(path: path, line: nil, problem: "cannot be read") }
        guard let text = String(data: data, encoding: .utf8) else { throw SecretsFileError(path: path, line: nil, problem: "is not UTF-8 text") }
        try self.init(path: path, text: text)
    }

    /// Reads secrets from `text`, as if it were the file at `path`.
    public init(path: String, text: String) throws(SecretsFileError) {
        self.path = path
        var values: [String: String] = [:]
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            if line.isEmpty || line.hasPrefix("#") { continue }
            let number = offset + 1
            guard let equals = line.firstIndex(of: "=") else {
                throw SecretsFileError(path: path, line: number, problem: "is not NAME=value")
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw SecretsFileError(path: path, line: number, problem: "has a name that is not letters, digits and underscores")
            }
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            guard values[name] == nil else { throw SecretsFileError(path: path, line: number, problem: "gives \(name) a second time") }
            values[name] = value
        }
        self.values = values
    }

    public func value(of name: SecretName) -> String? {
        values[name.rawValue].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// A secrets file that cannot be used; says where, never what the value is.
public struct SecretsFileError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var line: Int?
    public var problem: String

    public var description: String {
        if let line { return "\(path):\(line): the line \(problem)" }
        return "\(path) \(problem)"
    }
}

/// The first source that has a secret wins: a `--secrets` file before the environment.
public struct LayeredSecrets: SecretSource {
    private let sources: [any SecretSource]

    public init(_ sources: [any SecretSource]) { self.sources = sources }

    public func value(of name: SecretName) -> String? {
        value(of: name, as: .text)
    }

    public func value(of name: SecretName, as kind: SecretKind) -> String? {
        for source in sources {
            if let value = source.value(of: name, as: kind) { return value }
        }
        return nil
    }
}

/// Every secret has a stand-in value: for runs against the sandbox, which accepts any credential.
/// A name that says it holds an address gets one the sandbox serves; a service account key is one
/// of a made-up account, with a key made for the process.
public struct SandboxSecrets: SecretSource {
    public init() {}

    public func value(of name: SecretName) -> String? {
        let lowered = name.rawValue.lowercased()
        if lowered.contains("webhook") || lowered.hasSuffix("_url") { return "https://hooks.slack.com/services/TSANDBOX/BSANDBOX/sandbox" }
        return "sandbox-\(lowered)"
    }

    public func value(of name: SecretName, as kind: SecretKind) -> String? {
        switch kind {
        case .text: value(of: name)
        case .serviceAccountKey: ServiceAccountKey.throwaway ?? value(of: name)
        }
    }
}

/// A secret that a run needs and no source has.
public struct MissingSecret: Error, CustomStringConvertible, Equatable {
    public var secret: SecretName
    public var connection: ConnectionName
    public var field: String

    public var description: String {
        "the secret \(secret) (the '\(field)' of the connection '\(connection)') is not set: "
            + "set the environment variable \(secret), or give it in a file with --secrets FILE"
    }
}

/// Removes secret values from text that leaves the run (errors, the summary, dead letters, logs):
/// each value is replaced as written, URL-encoded and base64-encoded (as in a basic-auth header).
public struct SecretRedactor: Sendable {
    /// What a secret's value is replaced by.
    public static let mask = "[secret]"
    private let forms: [String]

    /// A redactor of `values`. Values shorter than 4 characters are masked too, though they would
    /// mostly match ordinary text; a credential that short is a placeholder.
    public init(values: some Sequence<String>) {
        self.init(forms: Self.forms(of: values))
    }

    private init(forms: Set<String>) {
        // Longest first, so that a value containing another is masked whole.
        self.forms = forms.sorted { $0.count > $1.count }
    }

    private static func forms(of values: some Sequence<String>) -> Set<String> {
        var forms = Set<String>()
        for value in values where !value.isEmpty {
            forms.insert(value)
            if let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) { forms.insert(encoded) }
            if let encoded = value.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) { forms.insert(encoded) }
            forms.insert(Data(value.utf8).base64EncodedString())
        }
        return forms
    }

    /// This redactor, masking `values` too: secrets a connection makes as it goes (a signed JWT).
    public func adding(_ values: some Sequence<String>) -> SecretRedactor {
        SecretRedactor(forms: Set(forms).union(Self.forms(of: values)))
    }

    /// No secrets.
    public static let none = SecretRedactor(values: [])

    /// `text` with every secret masked.
    public func redact(_ text: String) -> String {
        guard !forms.isEmpty else { return text }
        var result = text
        for form in forms where result.contains(form) {
            result = result.replacingOccurrences(of: form, with: Self.mask)
        }
        return result
    }
}

import Diagnostics
import Foundation
import Logging
import PlaybookLanguage
import PlaybookRuntime
import Synchronization

/// How the server writes its log: one JSON object per line (for a log collector), or plain lines
/// (for a person at a terminal). Either way every line goes through the redactor, so that the value
/// of a secret the served playbooks name never reaches the log.
public enum ServerLogFormat: String, Sendable, CaseIterable {
    case json, text
}

/// The secrets' values to mask in log lines, replaced whenever the playbooks are loaded again.
public final class LogRedaction: Sendable {
    private let current = Mutex(SecretRedactor.none)

    public init() {}

    public var redactor: SecretRedactor { current.withLock { $0 } }

    /// Masks the values of every secret `playbooks` name, as `secrets` gives them.
    public func update(playbooks: [ServedPlaybook], secrets: any SecretSource) {
        var values: [String] = []
        for playbook in playbooks {
            for connection in playbook.plan.connections {
                for auth in connection.auth {
                    if let value = secrets.value(of: auth.secret) { values.append(value) }
                }
            }
            for hook in playbook.webhooks {
                for name in [hook.webhook.signingSecret?.value, hook.webhook.verifyToken?.value].compactMap({ $0 }) {
                    if let value = secrets.value(of: name) { values.append(value) }
                }
            }
        }
        let made = SecretRedactor(values: values)
        current.withLock { $0 = made }
    }
}

/// A log handler writing lines to a file handle (standard error by default).
public struct ServerLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let format: ServerLogFormat
    private let redaction: LogRedaction
    private let output: FileHandle

    public init(label: String, format: ServerLogFormat, level: Logger.Level, redaction: LogRedaction, output: FileHandle = .standardError) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.redaction = redaction
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let given = event.metadata { merged.merge(given) { $1 } }
        let redactor = redaction.redactor
        let time = Date().formatted(Self.timeFormat)
        let message = redactor.redact(event.message.description)
        let line: String
        switch format {
        case .json:
            var fields: [(String, JSONValue)] = [("time", .string(time)), ("level", .string(event.level.rawValue)), ("message", .string(message))]
            for key in merged.keys.sorted() {
                fields.append((key, .string(redactor.redact(merged[key]!.description))))
            }
            line = JSONValue.object(fields).text
        case .text:
            let pairs = merged.keys.sorted().map { "\($0)=\(redactor.redact(merged[$0]!.description))" }
            line = ([time, event.level.rawValue.uppercased(), message] + pairs).joined(separator: " ")
        }
        output.write(Data((line + "\n").utf8))
    }

    private static let timeFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}

import Diagnostics
import Foundation
import PlaybookLanguage

/// Turns validation results into `textDocument/publishDiagnostics` notifications: the same
/// diagnostics `playbook validate` prints, with its help and notes in the message.
enum DiagnosticsPublisher {
    /// The notification for one file's diagnostics.
    static func notification(uri: String, version: Int?, diagnostics: FileDiagnostics, encoding: PositionEncoding) -> JSONValue {
        let map = PositionMap(file: diagnostics.file, encoding: encoding)
        var params: [(String, JSONValue)] = [("uri", .string(uri))]
        if let version { params.append(("version", .int(version))) }
        params.append(("diagnostics", .array(diagnostics.diagnostics.map { encode($0, uri: uri, map: map) })))
        return RPC.notification("textDocument/publishDiagnostics", .object(params))
    }

    /// The notification that clears a file's diagnostics.
    static func clearing(uri: String) -> JSONValue {
        RPC.notification("textDocument/publishDiagnostics", .object([("uri", .string(uri)), ("diagnostics", .array([]))]))
    }

    /// The message as `validate` words it, followed by its notes, help and fixes, one per line.
    static func messageText(of diagnostic: Diagnostic) -> String {
        var lines = [diagnostic.message]
        for note in diagnostic.notes { lines.append("note: \(note.message)") }
        if let help = diagnostic.help { lines.append("help: \(help)") }
        for fixIt in diagnostic.fixIts { lines.append("fix: \(fixIt.message)") }
        return lines.joined(separator: "\n")
    }

    /// The `file:` URI of a path, for diagnostics in connector spec files.
    static func uri(ofPath path: String) -> String { URL(fileURLWithPath: path).absoluteString }

    /// One diagnostic as the protocol writes it.
    static func encode(_ diagnostic: Diagnostic, uri: String, map: PositionMap) -> JSONValue {
        let severity = switch diagnostic.severity {
        case .error: 1
        case .warning: 2
        case .note: 3
        }
        var members: [(String, JSONValue)] = [
            ("range", map.range(diagnostic.range)),
            ("severity", .int(severity)),
            ("code", .string(diagnostic.code.rawValue)),
            ("source", .string("playbook")),
            ("message", .string(messageText(of: diagnostic))),
        ]
        let related = diagnostic.notes.compactMap { note -> JSONValue? in
            guard let range = note.range else { return nil }
            return .object([
                ("location", .object([("uri", .string(uri)), ("range", map.range(range))])),
                ("message", .string(note.message)),
            ])
        }
        if !related.isEmpty { members.append(("relatedInformation", .array(related))) }
        return .object(members)
    }
}

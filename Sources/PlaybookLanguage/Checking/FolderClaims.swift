import Diagnostics

/// What a playbook claims for itself among the playbooks of one folder: its name, and the webhook
/// paths it answers. `playbook validate` and `playbook serve` apply the same rule: a later file (in
/// path order) may not claim what an earlier one already holds.
public struct PlaybookClaims: Sendable {
    public var name: Located<String>
    public var webhookPaths: [Located<String>]

    public init(_ playbook: Playbook) {
        name = playbook.name
        webhookPaths = playbook.triggers.compactMap { trigger in
            if case .webhook(let webhook) = trigger.kind { return webhook.path }
            return nil
        }
    }
}

/// The first thing a playbook claims that an earlier file of the folder already holds.
public struct ClaimClash: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case name(String)
        case webhookPath(String)
    }

    public var kind: Kind
    /// Where the later playbook writes the clashing name or path.
    public var range: SourceRange
    /// The earlier file that holds it.
    public var heldBy: String

    /// The clash as a located error in the later file.
    public var diagnostic: Diagnostic {
        let message: LanguageMessage = switch kind {
        case .name(let name): .nameHeldByAnotherFile(name, file: heldBy)
        case .webhookPath(let path): .webhookPathHeldByAnotherFile(path, file: heldBy)
        }
        return .error(LanguageDiagnosticCode.claimedByAnotherFile, message, at: range)
    }

    /// The clash in one line, after the file's path, as the server reports a playbook it does not load.
    public var summary: String {
        let message = diagnostic
        return message.help.map { "\(message.message); \($0)" } ?? message.message
    }
}

/// The names and webhook paths the playbooks of a folder hold so far, file by file in path order.
public struct FolderClaims: Sendable {
    private var names: [String: String] = [:]
    private var paths: [String: String] = [:]

    public init() {}

    /// The first clash of `claims` with what earlier files hold: the name first, then the paths in
    /// file order.
    public func clash(of claims: PlaybookClaims) -> ClaimClash? {
        if let holder = names[claims.name.value] {
            return ClaimClash(kind: .name(claims.name.value), range: claims.name.range, heldBy: holder)
        }
        for path in claims.webhookPaths {
            if let holder = paths[path.value] {
                return ClaimClash(kind: .webhookPath(path.value), range: path.range, heldBy: holder)
            }
        }
        return nil
    }

    /// Records what `file` holds; names and paths already held keep their first holder.
    public mutating func record(_ claims: PlaybookClaims, of file: String) {
        if names[claims.name.value] == nil { names[claims.name.value] = file }
        for path in claims.webhookPaths where paths[path.value] == nil { paths[path.value] = file }
    }
}

extension FolderClaims {
    /// The clash of each file with the files before it, in order (nil for a file without one, or
    /// that could not be read as a playbook). A file that clashes holds nothing, as in `playbook serve`,
    /// where it is not loaded.
    public static func clashes(in files: [(path: String, claims: PlaybookClaims?)]) -> [ClaimClash?] {
        var held = FolderClaims()
        return files.map { file in
            guard let claims = file.claims else { return nil }
            if let clash = held.clash(of: claims) { return clash }
            held.record(claims, of: file.path)
            return nil
        }
    }
}

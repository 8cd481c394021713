import Diagnostics
import YAML

/// Turns a YAML node tree into a `Playbook`, reporting every structural problem at once.
public struct PlaybookDecoder: Sendable {
    public init() {}

    /// Decodes the root node of a playbook file. The playbook is nil when the file cannot be read as
    /// one at all (not a mapping, or a language version this build does not know).
    public func decode(_ root: YAMLNode, in file: SourceFile) -> (playbook: Playbook?, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        guard root.mapping != nil else {
            diagnostics.append(.error(
                LanguageDiagnosticCode.wrongType, .notAPlaybook(found: root.isNull ? nil : root.kindDescription), at: root.isNull ? .at(0) : root.range
            ))
            return (nil, diagnostics)
        }
        if let problem = versionProblem(root) {
            return (nil, [problem])
        }
        var checker = ShapeChecker(file: file)
        checker.check(root, against: Grammar.playbook, owner: nil)
        diagnostics.append(contentsOf: checker.diagnostics.diagnostics)
        if let steps = root.mapping?.first(where: { $0.key.scalar == "steps" }), steps.value.mapping?.isEmpty == true {
            diagnostics.append(.error(LanguageDiagnosticCode.noSteps, .noSteps, at: steps.key.range))
        }
        let builder = ASTBuilder(file: file, expressionsWithBraces: checker.expressionsWithBraces)
        let (playbook, problems) = builder.playbook(root)
        return (playbook, diagnostics + problems)
    }

    /// A missing or unknown version stops decoding: a newer language's fields would only produce noise.
    private func versionProblem(_ root: YAMLNode) -> Diagnostic? {
        guard let pair = root.mapping?.first(where: { $0.key.scalar == "version" }) else {
            return .error(LanguageDiagnosticCode.missingField, .missingVersion, at: root.mapping?.first?.key.range ?? root.range)
        }
        let node = pair.value
        if let text = node.scalar, let style = node.scalarStyle, let version = ScalarReading.integer(text, style: style) {
            if Grammar.supportedVersions.contains(version) { return nil }
            return .error(LanguageDiagnosticCode.unsupportedVersion, .unsupportedVersion(version), at: node.range)
        }
        return .error(
            LanguageDiagnosticCode.unsupportedVersion, .versionNotANumber(found: node.scalar.map { "'\($0)'" } ?? node.kindDescription), at: node.range
        )
    }
}

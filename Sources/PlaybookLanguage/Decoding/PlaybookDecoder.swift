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
                LanguageDiagnosticCode.wrongType,
                root.isNull ? "the file is empty" : "a playbook must be a mapping, found \(root.kindDescription)",
                at: root.isNull ? .at(0) : root.range,
                help: "a playbook starts with 'version: 1' and 'name: …' on their own lines"
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
            diagnostics.append(.error(LanguageDiagnosticCode.noSteps, "the playbook has no steps", at: steps.key.range,
                                      help: "add at least one step under 'steps:'"))
        }
        let builder = ASTBuilder(file: file, expressionsWithBraces: checker.expressionsWithBraces)
        let (playbook, problems) = builder.playbook(root)
        return (playbook, diagnostics + problems)
    }

    /// A missing or unknown version stops decoding: a newer language's fields would only produce noise.
    private func versionProblem(_ root: YAMLNode) -> Diagnostic? {
        let supported = Grammar.supportedVersions
        let supportedText = supported.count == 1 ? "version \(supported.lowerBound)" : "versions \(supported.lowerBound) to \(supported.upperBound)"
        guard let pair = root.mapping?.first(where: { $0.key.scalar == "version" }) else {
            return .error(
                LanguageDiagnosticCode.missingField,
                "playbook is missing the required field 'version'",
                at: root.mapping?.first?.key.range ?? root.range,
                help: "add 'version: 1' as the first line; this build of Playbook reads \(supportedText)"
            )
        }
        let node = pair.value
        if let text = node.scalar, let style = node.scalarStyle, let version = ScalarReading.integer(text, style: style) {
            if supported.contains(version) { return nil }
            return .error(
                LanguageDiagnosticCode.unsupportedVersion,
                "playbook language version \(version) is not supported",
                at: node.range,
                help: "this build of Playbook reads \(supportedText)" + (version > supported.upperBound ? "; upgrade Playbook to read newer playbooks" : "")
            )
        }
        return .error(
            LanguageDiagnosticCode.unsupportedVersion,
            "'version' must be a whole number, found \(node.scalar.map { "'\($0)'" } ?? node.kindDescription)",
            at: node.range,
            help: "write 'version: 1'; this build of Playbook reads \(supportedText)"
        )
    }
}

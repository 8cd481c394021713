import Diagnostics
import YAML

/// Checks a YAML mapping against an object shape the way playbooks are checked (unknown fields with
/// "did you mean", missing fields, wrong kinds of values), for other files written in the same
/// style, such as playbook test files.
public enum ShapeValidation {
    /// Every structural problem of `node` against `object`, located in `file`.
    public static func diagnostics(of node: YAMLNode, against object: ObjectShape, in file: SourceFile) -> [Diagnostic] {
        var checker = ShapeChecker(file: file)
        checker.check(node, against: object, owner: nil)
        return checker.diagnostics.diagnostics
    }
}

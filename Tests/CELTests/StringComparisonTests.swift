import CEL
import Diagnostics
import Foundation
import Testing

/// Strings compare by their bytes (code points), never by Swift's canonical equivalence, whether
/// they are stored inline (15 bytes or fewer), in a buffer of their own, or bridged.
@Suite struct StringComparisonTests {
    static let composed = "caf\u{E9}"
    static let decomposed = "cafe\u{301}"
    static let long = "a much longer value than fifteen bytes"

    @Test(arguments: [
        ("a == b", true), ("a.startsWith(b)", true), ("a.endsWith(b)", true), ("a.startsWith('')", true), ("a.endsWith('')", true),
    ])
    func equalStringsMatch(expression: String, expected: Bool) {
        for value in ["", "DE", Self.composed, Self.long] {
            #expect(truth(evaluate(expression, ["a": .string(value), "b": .string(String(decoding: Array(value.utf8), as: UTF8.self))])) == expected)
        }
    }

    @Test func canonicallyEquivalentStringsDiffer() {
        #expect(Self.composed == Self.decomposed, "Swift's own == treats them as equal")
        let variables: [String: CELValue] = ["a": .string(Self.composed), "b": .string(Self.decomposed)]
        #expect(truth(evaluate("a == b", variables)) == false)
        #expect(truth(evaluate("a != b", variables)) == true)
        #expect(truth(evaluate("a.endsWith('e\u{301}')", variables)) == false)
        #expect(truth(evaluate("b.endsWith('e\u{301}')", variables)) == true)
        #expect(evaluate("{'caf\u{E9}': 1}[b]", variables).isError)
        #expect(!Self.composed.hasSameBytes(as: Self.decomposed))
    }

    /// `a in [...]` with a constant list of strings compares bytes, like `==`; a value of another
    /// type is in no such list, and a list of mixed types compares as CEL does.
    @Test func aValueIsLookedForInAConstantListByItsBytes() {
        let cases: [(CELValue, String, Bool)] = [
            (.string("DE"), "['PL', 'DE']", true), (.string("de"), "['PL', 'DE']", false), (.string(""), "['', 'x']", true),
            (.string(Self.composed), "['cafe\u{301}']", false), (.string(Self.decomposed), "['cafe\u{301}']", true),
            (.string(Self.long), "['\(Self.long)']", true), (.string(Self.long + "!"), "['\(Self.long)']", false),
            (.int(1), "['PL', 'DE']", false), (.int(1), "['PL', 1]", true), (.double(1), "['PL', 1]", true), (.string("1"), "[1, 2]", false),
        ]
        for (value, list, expected) in cases {
            #expect(truth(evaluate("a in \(list)", ["a": value], types: ["a": .dyn])) == expected, "\(value.rendered) in \(list)")
        }
    }

    @Test(arguments: [
        ("'DE' == 'PL'", false), ("'DE' in ['PL', 'DE']", true), ("'de' in ['PL', 'DE']", false),
        ("'google'.startsWith('goog')", true), ("'goo'.startsWith('goog')", false), ("'google'.startsWith('oogl')", false),
        ("'Ann.Smith@Example.com'.endsWith('@Example.com')", true), ("'com'.endsWith('.com')", false),
        ("'\(long)'.startsWith('a much longer value')", true), ("'\(long)'.endsWith('fifteen bytes')", true),
        ("'\(long)'.endsWith('fifteen bytez')", false), ("'\(long)' == '\(long)!'", false),
    ])
    func literalComparisons(expression: String, expected: Bool) {
        #expect(truth(evaluate(expression)) == expected)
    }

    @Test func bridgedStringsCompareByBytes() {
        let bridged = NSString(string: Self.long) as String
        #expect(bridged.hasSameBytes(as: Self.long))
        #expect(!bridged.hasSameBytes(as: Self.long.uppercased()))
        #expect(truth(evaluate("a == b && a.startsWith('a much') && a.endsWith('bytes')", ["a": .string(bridged), "b": .string(Self.long)])) == true)
    }
}

/// The result when it is a bool, nil otherwise (an error, another type).
private func truth(_ value: CELValue) -> Bool? {
    if case .bool(let bool) = value { return bool }
    return nil
}

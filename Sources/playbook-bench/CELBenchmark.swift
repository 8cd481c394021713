import Foundation
import CEL

/// `playbook-bench cel`: nanoseconds per evaluation of typical playbook expressions, each compiled
/// once and evaluated 100,000 times. Run with `swift run -c release playbook-bench cel`.
enum CELBenchmark {
    static let iterations = 100_000

    static let cases = [
        #"lead.score >= 80 && lead.country in ["PL", "DE"]"#,
        #"contact.email.lowerAscii().endsWith("@example.com")"#,
        #"contact.tags.exists(t, t == "vip")"#,
        #"size(events.filter(e, e.type == "open")) * 5 + int(visits)"#,
        #"first_name + " " + last_name"#,
        #"score > 50 ? "hot" : "cold""#,
        #"has(lead.utm) && lead.utm.source.startsWith("goog")"#,
        #"timestamp(lead.created_at) > now - duration("24h")"#,
        #"contact.email.matches("(?i)@example\\.(com|org)$")"#,
        #"lead.phone.matches("^\\+48[0-9]{9}$")"#,
        #"contact.email.matches(domain_pattern)"#,
    ]

    /// Runs every case, or only those containing `filter`.
    static func run(filter: String? = nil) {
        let utmType = CELType.object(name: "utm", fields: ["source": .string, "medium": .string])
        let types: [String: CELType] = [
            "lead": .object(name: "lead", fields: ["score": .int, "country": .string, "utm": utmType, "created_at": .string, "phone": .string]),
            "contact": .object(name: "contact", fields: ["email": .string, "tags": .list(.string)]),
            "events": .list(.map(.string, .string)),
            "visits": .double, "first_name": .string, "last_name": .string, "score": .int, "now": .timestamp,
            "domain_pattern": .string,
        ]
        let events = (0..<12).map { i in CELValue.map(CELMap(["type": .string(i % 3 == 0 ? "open" : "click"), "id": .string("e\(i)")])) }
        let now = CELEnvironment().compile(#"timestamp("2024-06-01T12:00:00Z")"#).program!.evaluate()
        let activation = CELActivation([
            "lead": .map(CELMap([
                "score": .int(91), "country": .string("DE"), "created_at": .string("2024-06-01T08:30:00Z"),
                "phone": .string("+48601234567"),
                "utm": .map(CELMap(["source": .string("google"), "medium": .string("cpc")])),
            ])),
            "contact": .map(CELMap(["email": .string("Ann.Smith@Example.com"), "tags": .list([.string("new"), .string("b2b"), .string("vip")])])),
            "events": .list(events), "visits": .double(7), "first_name": .string("Ann"), "last_name": .string("Smith"),
            "score": .int(64), "now": now, "domain_pattern": .string("(?i)@example\\.com$"),
        ])
        let environment = CELEnvironment(variables: types)
        print("CEL evaluation, \(iterations) runs each (ns per evaluation):")
        for source in cases where filter.map(source.contains) ?? true {
            let compiled = environment.compile(source)
            guard let program = compiled.program else {
                print("  compile failed for \(source): \(compiled.diagnostics.map(\.message))")
                continue
            }
            let result = program.evaluate(activation)
            // Warm up caches and the allocator before timing.
            for _ in 0..<1000 { _ = program.evaluate(activation) }
            var sink = 0
            let clock = ContinuousClock()
            let elapsed = clock.measure {
                for _ in 0..<iterations {
                    if case .bool(true) = program.evaluate(activation) { sink &+= 1 }
                }
            }
            let nanos = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
            let perEvaluation = nanos / Double(iterations)
            let padded = source.padding(toLength: 62, withPad: " ", startingAt: 0)
            print("  \(padded) \(String(format: "%8.1f", perEvaluation)) ns   = \(result.rendered)\(sink < 0 ? "" : "")")
        }
        // What `playbook validate` pays per expression: type-checking without planning (a plain path
        // such as `lead.utm.source` is typed without being parsed).
        print("CEL parse and check, \(checkIterations) runs each (µs per check):")
        for source in cases + pathCases where filter.map(source.contains) ?? true {
            let clock = ContinuousClock()
            var errors = 0
            let elapsed = clock.measure {
                for _ in 0..<checkIterations where environment.typeCheck(source).hasErrors { errors += 1 }
            }
            let micros = (Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9) / 1e3 / Double(checkIterations)
            print("  \(source.padding(toLength: 62, withPad: " ", startingAt: 0)) \(String(format: "%8.2f", micros)) µs\(errors > 0 ? "  (errors)" : "")")
        }
    }

    static let checkIterations = 10_000
    /// Checked but not evaluated: plain paths, as in most template interpolations.
    static let pathCases = ["lead.utm.source"]
}

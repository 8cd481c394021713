import Foundation
import CEL

/// `playbook-bench cel`: nanoseconds per evaluation of typical playbook expressions, each compiled
/// once and evaluated 100,000 times. Run with `swift run -c release playbook-bench cel`;
/// `cel --peer` compares with the Rust implementation of CEL (see `CELPeerBenchmark`).
enum CELBenchmark {
    static let iterations = 100_000

    /// The expressions, by the short names the tables use.
    static let cases: [(name: String, source: String)] = [
        ("score_country", #"lead.score >= 80 && lead.country in ["PL", "DE"]"#),
        ("email_domain", #"contact.email.lowerAscii().endsWith("@example.com")"#),
        ("vip_tag", #"contact.tags.exists(t, t == "vip")"#),
        ("open_events", #"size(events.filter(e, e.type == "open")) * 5 + int(visits)"#),
        ("full_name", #"first_name + " " + last_name"#),
        ("tier_ternary", #"score > 50 ? "hot" : "cold""#),
        ("utm_source", #"has(lead.utm) && lead.utm.source.startsWith("goog")"#),
        ("recent_lead", #"timestamp(lead.created_at) > now - duration("24h")"#),
        ("email_regex", #"contact.email.matches("(?i)@example\\.(com|org)$")"#),
        ("phone_prefix", #"lead.phone.matches("^\\+48[0-9]{9}$")"#),
        ("dynamic_regex", #"contact.email.matches(domain_pattern)"#),
    ]

    /// The variables' declarations. `Benchmarks/cel_peer.py` binds the same values for the Rust peer.
    static let environment: CELEnvironment = {
        let utmType = CELType.object(name: "utm", fields: ["source": .string, "medium": .string])
        return CELEnvironment(variables: [
            "lead": .object(name: "lead", fields: ["score": .int, "country": .string, "utm": utmType, "created_at": .string, "phone": .string]),
            "contact": .object(name: "contact", fields: ["email": .string, "tags": .list(.string)]),
            "events": .list(.map(.string, .string)),
            "visits": .double, "first_name": .string, "last_name": .string, "score": .int, "now": .timestamp,
            "domain_pattern": .string,
        ])
    }()

    /// The variables' values.
    static let activation: CELActivation = {
        let events = (0..<12).map { i in CELValue.map(CELMap(["type": .string(i % 3 == 0 ? "open" : "click"), "id": .string("e\(i)")])) }
        let now = CELEnvironment().compile(#"timestamp("2024-06-01T12:00:00Z")"#).program!.evaluate()
        return CELActivation([
            "lead": .map(CELMap([
                "score": .int(91), "country": .string("DE"), "created_at": .string("2024-06-01T08:30:00Z"),
                "phone": .string("+48601234567"),
                "utm": .map(CELMap(["source": .string("google"), "medium": .string("cpc")])),
            ])),
            "contact": .map(CELMap(["email": .string("Ann.Smith@Example.com"), "tags": .list([.string("new"), .string("b2b"), .string("vip")])])),
            "events": .list(events), "visits": .double(7), "first_name": .string("Ann"), "last_name": .string("Smith"),
            "score": .int(64), "now": now, "domain_pattern": .string("(?i)@example\\.com$"),
        ])
    }()

    /// The cases whose name or text contains `filter`, all when it is nil.
    static func selected(_ filter: String?) -> [(name: String, source: String)] {
        cases.filter { filter.map($0.name.contains) ?? true || filter.map($0.source.contains) ?? true }
    }

    /// The case's program; exits when it does not compile.
    static func compiledProgram(_ source: String) -> CELProgram {
        let compiled = environment.compile(source)
        guard let program = compiled.program else {
            fatalError("compile failed for \(source): \(compiled.diagnostics.map(\.message))")
        }
        return program
    }

    /// Runs every case, or only those whose name or text contains `filter`.
    static func run(filter: String? = nil) {
        print("CEL evaluation, \(iterations) runs each (ns per evaluation):")
        for (name, source) in selected(filter) {
            let program = compiledProgram(source)
            let result = program.evaluate(activation)
            let perEvaluation = measure { if case .bool(true) = program.evaluate(activation) { true } else { false } }
            print("  \(name.padding(toLength: 14, withPad: " ", startingAt: 0)) \(source.padding(toLength: 62, withPad: " ", startingAt: 0)) \(String(format: "%8.1f", perEvaluation)) ns   = \(result.rendered)")
        }
        runRecords(filter: filter)
        // What `playbook validate` pays per expression: type-checking without planning (a plain path
        // such as `lead.utm.source` is typed without being parsed).
        print("CEL parse and check, \(checkIterations) runs each (µs per check):")
        for source in selected(filter).map(\.source) + pathCases where filter.map(source.contains) ?? true {
            let clock = ContinuousClock()
            var errors = 0
            let elapsed = clock.measure {
                for _ in 0..<checkIterations where environment.typeCheck(source).hasErrors { errors += 1 }
            }
            let micros = (Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9) / 1e3 / Double(checkIterations)
            print("  \(source.padding(toLength: 62, withPad: " ", startingAt: 0)) \(String(format: "%8.2f", micros)) µs\(errors > 0 ? "  (errors)" : "")")
        }
    }

    /// Evaluates the case `name` `runs` times, for a profiler to watch.
    static func loop(_ name: String, runs: Int) {
        guard let source = cases.first(where: { $0.name == name })?.source else {
            print("no case named \(name); the cases: \(cases.map(\.name).joined(separator: ", "))")
            return
        }
        let program = compiledProgram(source)
        var sink = 0
        let elapsed = ContinuousClock().measure {
            for _ in 0..<runs {
                if case .bool(true) = program.evaluate(activation) { sink &+= 1 }
            }
        }
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        print("\(name): \(runs) evaluations, \(String(format: "%.1f", nanoseconds / Double(runs))) ns each\(sink < 0 ? "" : "")")
    }

    /// Nanoseconds per run of `body`, after a warm-up.
    static func measure(_ body: () -> Bool) -> Double {
        for _ in 0..<1000 { _ = body() }
        var sink = 0
        let elapsed = ContinuousClock().measure {
            for _ in 0..<iterations where body() { sink &+= 1 }
        }
        return (Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9) / Double(iterations) + (sink < 0 ? 1 : 0)
    }

    /// A 20-field record, as a step hands each one to its expressions: read through the planned
    /// slot layout or by name, and built either way.
    static func runRecords(filter: String?) {
        let fields = ["id", "email", "first_name", "last_name", "company", "title", "phone", "city", "country", "region",
                      "source", "medium", "campaign", "created_at", "updated_at", "lifecycle", "owner", "tags", "visits", "score"]
        let schema = CELRecordSchema(fieldNames: fields)
        var fieldTypes: [String: CELType] = [:]
        for name in fields { fieldTypes[name] = .string }
        fieldTypes["visits"] = .int
        fieldTypes["score"] = .int
        fieldTypes["tags"] = .list(.string)
        let environment = CELEnvironment(variables: ["record": .object(name: "contact", fields: fieldTypes), "params": .map(.string, .int)])
        let values: [CELValue?] = fields.map { name in
            switch name {
            case "visits": .int(7)
            case "score": .int(91)
            case "tags": .list([.string("vip")])
            case "phone": nil
            default: .string("\(name)-value")
            }
        }
        var byName: [String: CELValue] = [:]
        for (name, value) in zip(fields, values) where value != nil { byName[name] = value }
        let slotRecord = CELValue.map(CELMap(schema: schema, values: values))
        let namedRecord = CELValue.map(CELMap(byName))
        let run = CELActivation(["params": .map(CELMap(["min_score": .int(80)]))])
        let source = #"record.score >= params.min_score && record.country == "country-value" && record.email.endsWith("-value")"#
        guard let checked = environment.check(source).checked else { return }
        let slotted = environment.program(for: checked, recordLayouts: ["record": schema])
        let plain = environment.program(for: checked)
        print("CEL on a 20-field record, \(iterations) runs each (ns per run):")
        let cases: [(String, () -> Bool)] = [
            ("record by slot, evaluate(record:in:)", { if case .bool(true) = slotted.evaluate(record: slotRecord, in: run) { true } else { false } }),
            ("record by name, evaluate(record:in:)", { if case .bool(true) = plain.evaluate(record: namedRecord, in: run) { true } else { false } }),
            ("record by name, dictionary activation", {
                if case .bool(true) = plain.evaluate(["record": namedRecord, "params": run.variables["params"]!]) { true } else { false }
            }),
            // Each builds its storage afresh, as a connector decoding a response would.
            ("build record: CELMap(schema:values:)", { CELMap(schema: schema, values: values.map { $0 }).count == 19 }),
            ("build map: CELMap([String: CELValue])", { CELMap(byName.mapValues { $0 }).count == 19 }),
        ]
        for (name, body) in cases where filter.map(name.contains) ?? true {
            print("  \(name.padding(toLength: 62, withPad: " ", startingAt: 0)) \(String(format: "%8.1f", measure(body))) ns")
        }
    }

    static let checkIterations = 10_000
    /// Checked but not evaluated: plain paths, as in most template interpolations.
    static let pathCases = ["lead.utm.source"]
}

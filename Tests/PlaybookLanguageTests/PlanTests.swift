import CEL
import Diagnostics
import Testing
@testable import PlaybookLanguage

/// The plan is what the runtime executes: typed operations with programs planned from the checks
/// that validation ran, resolved connections and settings.
struct PlanTests {
    static let playbook = """
        version: 1
        name: plan-example
        params:
          min_score: { type: int, default: 80 }
          window: { type: duration, default: 36h }
          since: { type: timestamp, default: "2026-01-01T09:30:00Z" }
          countries: { type: list, default: [PL, DE, 3] }
        connections:
          crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } }, rate_limit: 50/10s }
          chat: { connector: slack, auth: { webhook_url: { secret: SLACK_WEBHOOK } } }
        steps:
          contacts:
            fetch: { connection: crm, resource: contacts, incremental: { cursor: updated_at, start: "2026-01-01" }, page_size: 100 }
          scored:
            transform:
              from: contacts
              set:
                score: record.page_views * 2
                doubled: record.score * 2
              drop: [phone]
              dedupe: { by: record.email, keep: last }
          tiers:
            segment:
              from: scored
              segments:
                hot: record.score >= params.min_score
              otherwise: rest
          tell:
            notify: { from: tiers.hot, connection: chat, message: "Hot: {{ record.email }} ({{ record.score }})", once_per: record.email }
          write:
            sync: { from: [tiers.hot, tiers.rest], connection: crm, resource: contacts, mode: upsert, match_on: email }
        """

    static func plan() throws -> Plan {
        let result = validate(playbook)
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.message))")
        return try #require(result.plan)
    }

    @Test func stepsAreInExecutionOrderWithInputsAndConsumers() throws {
        let plan = try Self.plan()
        #expect(plan.steps.map(\.id) == ["contacts", "scored", "tiers", "tell", "write"])
        #expect(plan.steps.map(\.level) == [0, 1, 2, 3, 3])
        let tiers = try #require(plan.step("tiers"))
        #expect(tiers.inputs == [PlanInput(step: "scored", segment: nil)])
        #expect(tiers.consumers == ["tell", "write"])
        let write = try #require(plan.step("write"))
        #expect(write.inputs.map(\.description) == ["tiers.hot", "tiers.rest"])
        #expect(write.consumers.isEmpty)
    }

    @Test func operationsAreTyped() throws {
        let plan = try Self.plan()
        guard case .fetch(let fetch) = try #require(plan.step("contacts")).operation,
              case .connection(let connection, let resource, let descriptor) = fetch.source else {
            Issue.record("contacts is not a connector fetch")
            return
        }
        #expect(connection == "crm")
        #expect(resource == "contacts")
        #expect(descriptor?.name == "contacts")
        #expect(fetch.incremental?.cursor == "updated_at")
        #expect(fetch.incremental?.start?.value == .string("2026-01-01"))
        #expect(fetch.pageSize == 100)

        guard case .transform(let transform) = try #require(plan.step("scored")).operation else {
            Issue.record("scored is not a transform")
            return
        }
        #expect(transform.set.map(\.field) == ["score", "doubled"])
        #expect(transform.drop == ["phone"])
        #expect(transform.dedupe?.keep == .last)

        guard case .segment(let segment) = try #require(plan.step("tiers")).operation else {
            Issue.record("tiers is not a segment")
            return
        }
        #expect(segment.segmentNames == ["hot", "rest"])

        guard case .sync(let sync) = try #require(plan.step("write")).operation else {
            Issue.record("write is not a sync")
            return
        }
        #expect(sync.mode == .upsert)
        #expect(sync.matchOn == "email")
        // No batch_size given: the platform's limit.
        #expect(sync.batchSize == 100)
    }

    @Test func compiledExpressionsEvaluateRecords() throws {
        let plan = try Self.plan()
        guard case .transform(let transform) = try #require(plan.step("scored")).operation,
              case .segment(let segment) = try #require(plan.step("tiers")).operation,
              case .notify(let notify) = try #require(plan.step("tell")).operation else {
            Issue.record("unexpected operations")
            return
        }
        let score = transform.set[0].value
        #expect(score.resultType == .int)
        #expect(score.source.text == "record.page_views * 2")
        let record = CELValue.map(CELMap(["page_views": .int(45), "email": .string("ann@example.com")]))
        #expect(score.program.evaluate(["record": record]).isEqual(to: .int(90)))

        let params = CELValue.map(CELMap(["min_score": .int(80)]))
        let hot = segment.segments[0].condition
        #expect(hot.program.evaluate(["record": .map(CELMap(["score": .int(90)])), "params": params]).isEqual(to: .bool(true)))
        #expect(hot.program.evaluate(["record": .map(CELMap(["score": .int(10)])), "params": params]).isEqual(to: .bool(false)))

        let message = notify.message.template.render(["record": .map(CELMap(["email": .string("ann@example.com"), "score": .int(90)]))])
        #expect(try message.get() == "Hot: ann@example.com (90)")
        #expect(notify.oncePer?.source.text == "record.email")
    }

    @Test func expressionsKeepTheirPlaceInTheFile() throws {
        let plan = try Self.plan()
        guard case .transform(let transform) = try #require(plan.step("scored")).operation else { return }
        let source = transform.set[1].value.source
        #expect(plan.file.text(in: source.range) == "record.score * 2")
    }

    @Test func paramDefaultsHaveTheDeclaredType() throws {
        let plan = try Self.plan()
        let defaults = Dictionary(uniqueKeysWithValues: plan.params.compactMap { param in param.defaultValue.map { (param.name.value, $0.value) } })
        #expect(defaults["min_score"]?.isEqual(to: .int(80)) == true)
        #expect(defaults["window"]?.isEqual(to: .duration(CELDuration(nanos: 36 * 3_600 * 1_000_000_000))) == true)
        #expect(defaults["since"]?.isEqual(to: .timestamp(CELTimestamp(rfc3339: "2026-01-01T09:30:00Z")!)) == true)
        #expect(defaults["countries"]?.isEqual(to: .list([.string("PL"), .string("DE"), .int(3)])) == true)
    }

    @Test func connectionsHaveTheirConnectorAndLimits() throws {
        let plan = try Self.plan()
        let crm = try #require(plan.connection("crm"))
        #expect(crm.connector.name == "hubspot")
        #expect(crm.rateLimit == RateLimit(count: 50, per: DurationLiteral(milliseconds: 10_000)))
        #expect(crm.auth.map(\.secret) == [SecretName("HUBSPOT_TOKEN")])
        // Not set in the playbook: the platform's documented limit.
        #expect(plan.connection("chat")?.rateLimit?.description == "1/s")
    }

    @Test func optionsAreTypedAsYAMLCoreSchemaReadsThem() throws {
        let result = validate("""
            version: 1
            name: options
            connections:
              google:
                connector: google_ads
                auth:
                  developer_token: { secret: T1 }
                  client_id: { secret: T2 }
                  client_secret: { secret: T3 }
                  refresh_token: { secret: T4 }
                options: { customer_id: "1234567890", login_customer_id: 1234567891 }
            steps:
              rows:
                fetch: { connection: google, resource: campaign_performance, params: { date_range: LAST_7_DAYS } }
              out:
                sync: { from: rows, connection: google, resource: campaign_budgets, mode: update, match_on: campaign_id }
            """)
        let options = try #require(result.playbook?.connections.first?.options)
        #expect(options.map(\.value.value) == [.string("1234567890"), .int(1_234_567_891)])
    }

    @Test func describedPlanNamesWhatRuns() throws {
        let description = PlanDescription(try Self.plan())
        #expect(description.steps.map(\.action) == [
            "read hubspot contacts via 'crm', incrementally by updated_at, 100 per page",
            "set score, doubled; drop phone; dedupe by record.email keeping the last",
            "route each record to the first matching segment of hot, otherwise rest",
            "send a message per record through 'chat' (slack), once per record.email",
            "upsert into hubspot contacts via 'crm' matched on email, in batches of 100",
        ])
        #expect(description.edges.map { "\($0.from)→\($0.to)" } == ["contacts→scored", "scored→tiers", "tiers→tell", "tiers→write", "tiers→write"])
        #expect(description.connections.map(\.rateLimit) == ["50/10s", "1/s"])
    }

    @Test func recordsLaidOutOnTheSchemaAreReadBySlot() throws {
        let plan = try Self.plan()
        guard case .transform(let transform) = try #require(plan.step("scored")).operation else { return }
        let score = transform.set[0].value
        let schema = try #require(score.recordSchema)
        guard case .object(let fields) = try #require(plan.step("scored")).inputRecord else {
            Issue.record("contacts records have known fields")
            return
        }
        #expect(schema.fieldNames == fields.map(\.name))
        var values = [CELValue?](repeating: nil, count: schema.fieldNames.count)
        values[try #require(schema.index(of: "page_views"))] = .int(21)
        let record = CELValue.map(CELMap(schema: schema, values: values))
        #expect(score.program.evaluate(record: record, named: "record", in: CELActivation()).isEqual(to: .int(42)))
        // The next expression sees the record with `score` set, a layout of its own.
        #expect(transform.set[1].value.recordSchema?.fieldNames.last == "score")
    }

    @Test func runTimeErrorsAreLocatedInTheFile() throws {
        let result = validate("""
            version: 1
            name: located
            connections:
              files: { connector: file }
            steps:
              rows:
                fetch: { file: rows.jsonl, fields: { visits: int } }
              ratio:
                transform:
                  from: rows
                  set:
                    per_visit: "100 / record.visits"
              out:
                sync: { from: ratio, connection: files, resource: out.jsonl, mode: insert }
            """)
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.message))")
        let plan = try #require(result.plan)
        guard case .transform(let transform) = try #require(plan.step("ratio")).operation else { return }
        let perVisit = transform.set[0].value
        let outcome = perVisit.program.evaluate(["record": .map(CELMap(["visits": .int(0)]))])
        guard case .error(let error) = outcome else {
            Issue.record("dividing by zero is an error, got \(outcome)")
            return
        }
        let range = try #require(perVisit.location(of: error, in: plan.file))
        #expect(plan.file.text(in: range) == "100 / record.visits")
    }

    @Test func noPlanWithoutCheckedExpressions() {
        let result = PlaybookValidator(checksExpressions: false).validate(SourceFile(path: "p.yaml", text: Self.playbook))
        #expect(!result.hasErrors)
        #expect(result.plan == nil)
    }
}

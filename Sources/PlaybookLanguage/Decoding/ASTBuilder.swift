import CEL
import Diagnostics
import YAML

/// Reads the typed AST out of a node tree that `ShapeChecker` has already checked: no YAML node
/// and no text where a type exists passes beyond it.
///
/// A value that is malformed was reported by the checker, so here it is skipped (or replaced by its
/// default) and the rest of the playbook is still built for the later passes. Only what the grammar
/// cannot say is reported here: a param default that does not have the param's declared type.
struct ASTBuilder {
    let file: SourceFile
    /// Expression fields the checker found `{{` in.
    var expressionsWithBraces = Set<YAMLNode>()

    func playbook(_ root: YAMLNode) -> (Playbook, [Diagnostic]) {
        let version = root[field: "version"].flatMap { node in integer(node).map { Located($0, at: node.range) } }
        let nameNode = root[field: "name"]
        var problems: [Diagnostic] = []
        let params = pairs(root[field: "params"]).compactMap { param($0, problems: &problems) }
        var playbook = Playbook(
            version: version ?? Located(Grammar.supportedVersions.lowerBound, at: .at(0)),
            name: nameNode.flatMap(locatedText) ?? Located("", at: .at(0)),
            description: root[field: "description"].flatMap(text),
            labels: pairs(root[field: "labels"]).compactMap { pair in text(pair.value).map { (pair.key.scalar ?? "", $0) } },
            triggers: items(root[field: "triggers"]).compactMap(trigger),
            params: params,
            connections: pairs(root[field: "connections"]).compactMap(connection),
            defaults: defaults(root[field: "defaults"]),
            steps: pairs(root[field: "steps"]).compactMap(step),
            alerts: items(root[field: "alerts"]).compactMap(alert)
        )
        playbook.writtenStepIDs = Set(pairs(root[field: "steps"]).compactMap { $0.key.scalar.map { StepID($0) } })
        playbook.writtenWebhookPaths = items(root[field: "triggers"]).compactMap { trigger in
            trigger[field: "webhook"]?[field: "path"].flatMap(text)
        }
        return (playbook, problems)
    }

    // MARK: Triggers

    private func trigger(_ node: YAMLNode) -> Trigger? {
        guard node.mapping != nil else { return nil }
        let concurrency = choice(node[field: "concurrency"], ConcurrencyPolicy.self) ?? .forbid
        if let cronNode = node[field: "schedule"], let cronText = text(cronNode) {
            // An invalid schedule was reported by the shape check; the trigger is left out.
            guard case .success(let cron) = CronSchedule.parse(cronText) else { return nil }
            let schedule = Schedule(
                cron: Located(cron, at: cronNode.range),
                timeZone: node[field: "timezone"].flatMap { zone in
                    text(zone).flatMap { TimeZoneName.parse($0).value }.map { Located($0, at: zone.range) }
                },
                catchUp: choice(node[field: "catch_up"], CatchUpPolicy.self) ?? .latest,
                catchUpLimit: node[field: "catch_up_limit"].flatMap(integer)
            )
            return Trigger(kind: .schedule(schedule), concurrency: concurrency, range: node.range)
        }
        if let hook = node[field: "webhook"], hook.mapping != nil {
            guard let path = hook[field: "path"].flatMap(locatedText),
                  let verifyNode = hook[field: "verify"], let verify = choice(verifyNode, WebhookVerification.self) else { return nil }
            let webhook = Webhook(
                path: path,
                verify: Located(verify, at: verifyNode.range),
                signingSecret: hook[field: "signing_secret"].flatMap(secretReference),
                verifyToken: hook[field: "verify_token"].flatMap(secretReference),
                signatureHeader: hook[field: "signature_header"].flatMap(text),
                tolerance: hook[field: "tolerance"].flatMap(duration),
                maxBodyBytes: hook[field: "max_body"].flatMap(integer)
            )
            return Trigger(kind: .webhook(webhook), concurrency: concurrency, range: node.range)
        }
        if node[field: "manual"] != nil {
            return Trigger(kind: .manual, concurrency: concurrency, range: node.range)
        }
        return nil
    }

    // MARK: Params and connections

    private func param(_ pair: YAMLPair, problems: inout [Diagnostic]) -> Param? {
        guard let name = locatedText(pair.key), let type = choice(pair.value[field: "type"], ParamType.self) else { return nil }
        var defaultValue: Located<CELValue>?
        if let node = pair.value[field: "default"] {
            switch ParamDefaults.value(of: node, as: type) {
            case .success(let value): defaultValue = value.map { Located($0, at: node.range) }
            case .failure(let problem): problems.append(ParamDefaults.diagnostic(problem, name: name.value, type: type, at: node.range))
            }
        }
        return Param(
            name: name,
            type: type,
            defaultValue: defaultValue,
            required: pair.value[field: "required"].flatMap(boolean) ?? false,
            description: pair.value[field: "description"].flatMap(text)
        )
    }

    private func connection(_ pair: YAMLPair) -> Connection? {
        guard let name = locatedText(pair.key), let connector = pair.value[field: "connector"].flatMap(locatedText) else { return nil }
        return Connection(
            name: Located(ConnectionName(name.value), at: name.range),
            connector: connector,
            auth: pairs(pair.value[field: "auth"]).compactMap { auth in
                guard let field = locatedText(auth.key), let secret = secretReference(auth.value) else { return nil }
                return (field, secret)
            },
            authFields: pairs(pair.value[field: "auth"]).compactMap { locatedText($0.key) },
            options: resourceParameters(pair.value[field: "options"]),
            rateLimit: pair.value[field: "rate_limit"].flatMap { node in
                text(node).flatMap { RateLimit.parse($0).value }.map { Located($0, at: node.range) }
            },
            concurrency: pair.value[field: "concurrency"].flatMap(integer)
        )
    }

    private func defaults(_ node: YAMLNode?) -> Defaults {
        Defaults(retry: node?[field: "retry"].flatMap(retry), timeout: node?[field: "timeout"].flatMap(duration))
    }

    private func retry(_ node: YAMLNode) -> RetrySettings? {
        guard node.mapping != nil else { return nil }
        var settings = RetrySettings()
        settings.maxAttempts = node[field: "max_attempts"].flatMap(integer)
        settings.backoff = choice(node[field: "backoff"], Backoff.self)
        settings.initialDelay = node[field: "initial_delay"].flatMap(duration)
        settings.multiplier = node[field: "multiplier"].flatMap(number)
        settings.maxDelay = node[field: "max_delay"].flatMap(duration)
        settings.jitter = choice(node[field: "jitter"], Jitter.self)
        settings.maxElapsed = node[field: "max_elapsed"].flatMap(duration)
        return settings
    }

    // MARK: Steps

    private func step(_ pair: YAMLPair) -> Step? {
        guard let id = locatedText(pair.key), let fields = pair.value.mapping else { return nil }
        // With several kind keys (already reported), the first one is used so later passes still see the step.
        let stepKinds = Grammar.stepKinds
        guard let kindPosition = fields.indices.first(where: { position in stepKinds.contains { fields.keyIs($0, at: position) } }) else { return nil }
        let kindKey = fields.key(at: kindPosition)
        let body = fields.value(at: kindPosition)
        guard body.mapping != nil else { return nil }
        let kind: StepKind?
        switch fields.keyText(at: kindPosition) {
        case "fetch": kind = fetch(body).map(StepKind.fetch)
        case "transform": kind = .transform(transform(body))
        case "segment": kind = .segment(segment(body))
        case "sync": kind = sync(body, matchOnBelow: body.isFlow ? nil : fieldBelow("match_on", after: kindPosition, in: fields)).map(StepKind.sync)
        case "notify": kind = notify(body).map(StepKind.notify)
        default: kind = nil
        }
        guard let kind else { return nil }
        return Step(
            id: Located(StepID(id.value), at: id.range),
            description: pair.value[field: "description"].flatMap(text),
            kind: kind,
            kindRange: kindKey.range,
            inputs: stepReferences(body[field: "from"]),
            after: stepReferences(body[field: "after"]),
            condition: body[field: "if"].flatMap { expression($0, .condition) },
            retry: body[field: "retry"].flatMap(retry),
            timeout: body[field: "timeout"].flatMap(duration),
            onError: choice(body[field: "on_error"], OnError.self) ?? .fail,
            onRecordError: choice(body[field: "on_record_error"], OnRecordError.self) ?? .fail
        )
    }

    private func fetch(_ body: YAMLNode) -> FetchStep? {
        let source: FetchStep.Source
        if let connection = body[field: "connection"].flatMap(connectionName) {
            guard let resource = body[field: "resource"].flatMap(locatedText) else { return nil }
            source = .connection(connection, resource: resource)
        } else if let path = body[field: "file"].flatMap(locatedText) {
            let format = choice(body[field: "format"], FileFormat.self)
                ?? (path.value.lowercased().hasSuffix(".csv") ? .csv : .jsonl)
            source = .file(path, format: format)
        } else if let path = body[field: "webhook"].flatMap(locatedText) {
            source = .webhook(path, records: body[field: "records"].flatMap { expression($0, .records) })
        } else {
            return nil
        }
        return FetchStep(
            source: source,
            params: resourceParameters(body[field: "params"]),
            lookup: body[field: "from"] == nil ? [] : pairs(body[field: "params"]).compactMap { pair in
                guard let name = locatedText(pair.key), let value = expression(pair.value, .value) else { return nil }
                return (name, value)
            },
            incrementalCursor: body[field: "incremental"]?[field: "cursor"].flatMap(locatedText),
            incrementalStart: body[field: "incremental"]?[field: "start"].flatMap(locatedValue),
            declaredFields: body[field: "fields"].map { node in
                pairs(node).compactMap { pair in
                    guard let name = locatedText(pair.key), let type = pair.value.scalar else { return nil }
                    return DeclaredField(name: name, type: Self.declaredType(type))
                }
            },
            declaredFieldsKey: body.mapping.flatMap { keys in keys.indices.first { keys.keyIs("fields", at: $0) }.map { keys.key(at: $0).range } },
            pageSize: body[field: "page_size"].flatMap(integer),
            maxPages: body[field: "max_pages"].flatMap(integer),
            maxRecords: body[field: "max_records"].flatMap(integer)
        )
    }

    static func declaredType(_ name: String) -> ValueType {
        switch name {
        case "string": .string
        case "int": .int
        case "double": .double
        case "bool": .bool
        case "timestamp": .timestamp
        case "duration": .duration
        case "list": .list(.dyn)
        case "map": .map(.dyn)
        default: .dyn
        }
    }

    private func transform(_ body: YAMLNode) -> TransformStep {
        var join: TransformStep.Join?
        if let node = body[field: "join"], let with = node[field: "with"].flatMap(stepReference) {
            let left = node[field: "on"].flatMap(locatedText) ?? node[field: "left_on"].flatMap(locatedText)
            let right = node[field: "on"].flatMap(locatedText) ?? node[field: "right_on"].flatMap(locatedText)
            if let left, let right {
                join = TransformStep.Join(
                    with: with,
                    leftField: left,
                    rightField: right,
                    field: node[field: "as"].flatMap(text) ?? with.step.rawValue,
                    kind: choice(node[field: "type"], TransformStep.JoinKind.self) ?? .left
                )
            }
        }
        var aggregate: TransformStep.Aggregate?
        if let node = body[field: "aggregate"], node.mapping != nil {
            aggregate = TransformStep.Aggregate(
                groupBy: items(node[field: "group_by"]).compactMap(locatedText),
                compute: pairs(node[field: "compute"]).compactMap(computed)
            )
        }
        return TransformStep(
            join: join,
            set: pairs(body[field: "set"]).compactMap { pair in
                guard let field = locatedText(pair.key), let value = expression(pair.value, .value) else { return nil }
                return (field, value)
            },
            rename: pairs(body[field: "rename"]).compactMap { pair in
                guard let from = locatedText(pair.key), let to = locatedText(pair.value) else { return nil }
                return (from, to)
            },
            drop: items(body[field: "drop"]).compactMap(locatedText),
            select: body[field: "select"].map { items($0).compactMap(locatedText) },
            dedupe: body[field: "dedupe"].flatMap { node in
                node[field: "by"].flatMap { expression($0, .key) }.map {
                    TransformStep.Dedupe(by: $0, keep: choice(node[field: "keep"], TransformStep.DedupeKeep.self) ?? .first)
                }
            },
            aggregate: aggregate
        )
    }

    private func computed(_ pair: YAMLPair) -> TransformStep.Computed? {
        guard let name = locatedText(pair.key),
              let functionPair = pair.value.mapping?.first,
              let function = functionPair.key.scalar.flatMap(TransformStep.AggregateFunction.init(rawValue:)) else { return nil }
        if function == .count, boolean(functionPair.value) != nil {
            return TransformStep.Computed(name: name, function: .count, expression: nil)
        }
        let role: ExpressionRole = function == .count ? .condition : .value
        guard let value = expression(functionPair.value, role) else { return nil }
        return TransformStep.Computed(name: name, function: function, expression: value)
    }

    private func segment(_ body: YAMLNode) -> SegmentStep {
        SegmentStep(
            filter: body[field: "where"].flatMap { expression($0, .condition) },
            segments: pairs(body[field: "segments"]).compactMap { pair in
                guard let name = locatedText(pair.key), let condition = expression(pair.value, .condition) else { return nil }
                return (name, condition)
            },
            otherwise: body[field: "otherwise"].flatMap(locatedText)
        )
    }

    /// The value of `name` written in a step after its kind's block at the block key's column: a
    /// field of the kind indented too little, reported as such by the shape checks.
    private func fieldBelow(_ name: String, after kindPosition: Int, in fields: YAMLPairs) -> YAMLNode? {
        fields.indices.dropFirst(kindPosition + 1).first { fields.keyIs(name, at: $0) }.map { fields.value(at: $0) }
    }

    /// `matchOnBelow` is a `match_on:` indented too little under the sync, already reported: read
    /// as meant, it is not reported missing as well.
    private func sync(_ body: YAMLNode, matchOnBelow: YAMLNode? = nil) -> SyncStep? {
        guard let connection = body[field: "connection"].flatMap(connectionName),
              let resource = body[field: "resource"].flatMap(locatedText),
              let modeNode = body[field: "mode"], let mode = choice(modeNode, SyncMode.self) else { return nil }
        let matchOnNode = body[field: "match_on"] ?? matchOnBelow
        return SyncStep(
            connection: connection,
            resource: resource,
            mode: Located(mode, at: modeNode.range),
            matchOn: matchOnNode.flatMap(locatedText),
            matchOnWritten: matchOnNode != nil,
            fields: pairs(body[field: "fields"]).compactMap { pair in
                guard let field = locatedText(pair.key), let value = expression(pair.value, .value) else { return nil }
                return (field, value)
            },
            params: resourceParameters(body[field: "params"]),
            tags: items(body[field: "tags"]).compactMap(template),
            batchSize: body[field: "batch_size"].flatMap { node in integer(node).map { Located($0, at: node.range) } }
        )
    }

    private func notify(_ body: YAMLNode) -> NotifyStep? {
        guard let connection = body[field: "connection"].flatMap(connectionName),
              let message = body[field: "message"].flatMap(template) else { return nil }
        return NotifyStep(
            connection: connection,
            message: message,
            subject: body[field: "subject"].flatMap(template),
            title: body[field: "title"].flatMap(template),
            to: body[field: "to"].flatMap(template),
            channel: body[field: "channel"].flatMap(text),
            mode: choice(body[field: "mode"], NotifyMode.self) ?? .perRecord,
            modeIsKnown: body[field: "mode"].map { choice($0, NotifyMode.self) != nil } ?? true,
            oncePer: body[field: "once_per"].flatMap { expression($0, .key) },
            maxMessages: body[field: "max_messages"].flatMap(integer),
            delivery: body[field: "delivery"].flatMap { node in choice(node, NotifyDelivery.self).map { Located($0, at: node.range) } }
        )
    }

    private func alert(_ node: YAMLNode) -> Alert? {
        guard let when = node[field: "when"].flatMap({ expression($0, .condition) }),
              let notify = node[field: "notify"].flatMap(connectionName),
              let message = node[field: "message"].flatMap(template) else { return nil }
        return Alert(
            name: node[field: "name"].flatMap(text),
            when: when,
            notify: notify,
            message: message,
            subject: node[field: "subject"].flatMap(template),
            to: node[field: "to"].flatMap(template),
            range: node.range
        )
    }

    // MARK: Values

    /// A mapping's pairs; a key given twice (already reported) keeps its first value.
    private func pairs(_ node: YAMLNode?) -> UniquePairs {
        guard let node, let pairs = node.mapping else { return UniquePairs(pairs: nil, repeated: nil) }
        guard node.mayHaveDuplicateKeys, pairs.count > 1 else { return UniquePairs(pairs: pairs, repeated: nil) }
        var repeated = [Bool](repeating: false, count: pairs.count)
        // By bytes, as the loader compares keys.
        var seen = Set<[UInt8]>()
        for position in pairs.indices where !seen.insert(Array((pairs.keyText(at: position) ?? "").utf8)).inserted {
            repeated[position] = true
        }
        return UniquePairs(pairs: pairs, repeated: repeated)
    }

    private func items(_ node: YAMLNode?) -> [YAMLNode] { node?.sequence.map(Array.init) ?? [] }

    private func text(_ node: YAMLNode) -> String? {
        guard let text = node.scalar, !node.isNull else { return nil }
        return text
    }

    private func locatedText(_ node: YAMLNode) -> Located<String>? {
        text(node).map { Located($0, at: node.range) }
    }

    private func integer(_ node: YAMLNode) -> Int? {
        guard let text = node.scalar, let style = node.scalarStyle else { return nil }
        return ScalarReading.integer(text, style: style)
    }

    private func number(_ node: YAMLNode) -> Double? {
        guard let text = node.scalar, let style = node.scalarStyle else { return nil }
        return ScalarReading.number(text, style: style)
    }

    private func boolean(_ node: YAMLNode) -> Bool? {
        guard let text = node.scalar, let style = node.scalarStyle else { return nil }
        return ScalarReading.boolean(text, style: style)
    }

    private func connectionName(_ node: YAMLNode) -> Located<ConnectionName>? {
        text(node).map { Located(ConnectionName($0), at: node.range) }
    }

    private func duration(_ node: YAMLNode) -> Duration? {
        text(node).flatMap { DurationLiteral.parse($0).value?.duration }
    }

    private func locatedValue(_ node: YAMLNode) -> Located<JSONValue>? {
        YAMLValue.json(node).map { Located($0, at: node.range) }
    }

    /// Named values (`params:`, `options:`), typed as YAML's core schema reads them.
    private func resourceParameters(_ node: YAMLNode?) -> [ResourceParameter] {
        pairs(node).compactMap { pair in
            guard let name = locatedText(pair.key), let value = locatedValue(pair.value) else { return nil }
            return (name, value)
        }
    }

    private func choice<Value: RawRepresentable>(_ node: YAMLNode?, _ type: Value.Type) -> Value? where Value.RawValue == String {
        node.flatMap(text).flatMap(Value.init(rawValue:))
    }

    private func expression(_ node: YAMLNode, _ role: ExpressionRole) -> Expression? {
        // A value under a tag other than `!!str` was reported as a tag; its text is not the expression meant.
        if let tag = node.tag, tag != "!", tag != "tag:yaml.org,2002:str" { return nil }
        guard node.scalarLength != nil, !node.isNull else { return nil }
        return Expression(
            source: sourceText(node), role: role,
            holdsTemplateBraces: !expressionsWithBraces.isEmpty && expressionsWithBraces.contains(node)
        )
    }

    private func template(_ node: YAMLNode) -> Template? {
        guard node.scalarLength != nil else { return nil }
        return Template(source: sourceText(node))
    }

    private func sourceText(_ node: YAMLNode) -> SourceText {
        SourceText(text: node.scalar ?? "", range: node.range, style: node.scalarStyle ?? .plain)
    }

    private func secretReference(_ node: YAMLNode) -> Located<SecretName>? {
        guard let pairs = node.mapping, pairs.count == 1, pairs[0].key.scalar == "secret",
              let name = text(pairs[0].value), TextFormat.secretName.accepts(name) else { return nil }
        return Located(SecretName(name), at: pairs[0].value.range)
    }

    /// `step` or `step.segment`, checked and split in one pass over the scalar's bytes; nil when the
    /// text is not a valid reference (reported by the shape check).
    private func stepReference(_ node: YAMLNode) -> StepReference? {
        guard !node.isNull else { return nil }
        let names = node.withScalarUTF8 { bytes -> (step: String, segment: String?)? in
            guard let parts = TextFormat.stepReferenceParts(bytes) else { return nil }
            return (String(decoding: parts.step, as: UTF8.self), parts.segment.map { String(decoding: $0, as: UTF8.self) })
        }
        guard let names = names ?? nil else { return nil }
        return StepReference(step: StepID(names.step), segment: names.segment, range: node.range)
    }

    private func stepReferences(_ node: YAMLNode?) -> [StepReference] {
        guard let node else { return [] }
        if let list = node.sequence { return list.compactMap(stepReference) }
        return stepReference(node).map { [$0] } ?? []
    }
}

/// The pairs of a mapping without those whose key repeats an earlier one, read in place.
struct UniquePairs: Sequence {
    let pairs: YAMLPairs?
    /// Positions to skip; nil when no key repeats.
    let repeated: [Bool]?

    struct Iterator: IteratorProtocol {
        let pairs: YAMLPairs?
        let repeated: [Bool]?
        var position = 0

        mutating func next() -> YAMLPair? {
            guard let pairs else { return nil }
            while position < pairs.count {
                defer { position += 1 }
                if let repeated, repeated[position] { continue }
                return pairs[position]
            }
            return nil
        }
    }

    func makeIterator() -> Iterator { Iterator(pairs: pairs, repeated: repeated) }

    var underestimatedCount: Int { repeated == nil ? pairs?.count ?? 0 : 0 }
}

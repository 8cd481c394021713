import CEL
import Diagnostics
import Foundation
import YAML

/// Builds a connector descriptor from a connector spec's YAML, after the shape checker has run, and
/// reports what needs the whole spec to see: type names, names that refer to other parts of the spec,
/// template placeholders and pagination styles without their keys. Reads leniently: anything
/// malformed was reported by the shape checker and is skipped here.
struct ConnectorSpecDecoder {
    private(set) var bag = DiagnosticBag()

    mutating func decode(_ root: YAMLNode) -> ConnectorDescriptor {
        let authSchemes = root.items("auth").map { authScheme($0) }
        reportDuplicates(root.items("auth"), kind: "auth scheme")
        let options = root.items("options").map { option($0) }
        reportDuplicates(root.items("options"), kind: "option")
        let optionNames = options.map(\.name)
        for (scheme, node) in zip(authSchemes, root.items("auth")) {
            for (name, nameNode) in zip(scheme.requiredOptions, node.items("required_options")) where !optionNames.contains(name) {
                unknownReference(ConnectorSpecMessage.unknownRequiredOption(name), name: name, at: nameNode.range, candidates: optionNames)
            }
        }
        let scope = TemplateScope(options: optionNames, authFields: authSchemes.flatMap(\.allFields))
        let resources = root.items("resources").map { resource($0, scope: scope) }
        reportDuplicates(root.items("resources"), kind: "resource")
        let generic = root["generic_resource"].map { resource($0, scope: scope, isGeneric: true) }
        var http: ConnectorHTTP?
        if let node = root["http"], node.mapping != nil {
            http = connectorHTTP(node, schemes: authSchemes.map(\.name), scope: scope)
        }
        return ConnectorDescriptor(
            name: root.text("name") ?? "",
            title: root.text("title") ?? "",
            summary: root.text("summary") ?? "",
            capabilities: Set(root.texts("capabilities").compactMap(ConnectorCapability.init(rawValue:))),
            authSchemes: authSchemes,
            options: options,
            defaultRateLimit: root.text("default_rate_limit"),
            maxConcurrency: root.int("max_concurrency"),
            resources: resources,
            acceptsAnyResource: root.bool("accepts_any_resource") ?? false,
            notifyNeedsSubject: root.bool("notify_needs_subject") ?? false,
            notifyNeedsRecipient: root.bool("notify_needs_recipient") ?? false,
            genericResource: generic,
            http: http
        )
    }

    // MARK: Catalogue

    private func authScheme(_ node: YAMLNode) -> AuthScheme {
        AuthScheme(
            name: node.text("name") ?? "",
            summary: node.text("summary") ?? "",
            requiredFields: node.texts("fields"),
            optionalFields: node.texts("optional_fields"),
            requiredOptions: node.texts("required_options")
        )
    }

    private mutating func option(_ node: YAMLNode) -> ConnectorOption {
        var option = ConnectorOption(
            node.text("name") ?? "", type(of: node), required: node.bool("required") ?? false, node.text("summary") ?? "",
            default: node.text("default"), lookupField: node.text("lookup_field")
        )
        option.values = node.texts("values")
        option.valuePrefixes = node.texts("value_prefixes")
        option.patternHelp = node.text("pattern_help")
        if let patternNode = node["pattern"], let text = patternNode.scalar {
            option.pattern = text
            if (try? Regex(text)) == nil {
                bag.error(ConnectorSpecDiagnosticCode.wrongKind, "'\(text)' is not a regular expression", at: patternNode.range,
                          help: "write the form a whole value has, e.g. [0-9]{10}")
            }
        }
        if let typeNode = node["record_fields"], let text = typeNode.scalar {
            option.recordFieldType = ValueTypeName.parse(text, record: nil)
            if option.recordFieldType == nil {
                bag.error(ConnectorSpecDiagnosticCode.unknownType, ConnectorSpecMessage.unknownType(text), at: typeNode.range, help: ConnectorSpecMessage.typeHelp)
            }
        }
        return option
    }

    private mutating func field(_ node: YAMLNode) -> ValueType.Field {
        ValueType.Field(node.text("name") ?? "", type(of: node), node.text("summary") ?? "")
    }

    /// The type of a field or option: its `type`, with its own `fields` for a `record`.
    private mutating func type(of node: YAMLNode) -> ValueType {
        guard let typeNode = node["type"], let text = typeNode.scalar else { return .dyn }
        var record: ValueType?
        if text.contains("record") {
            reportDuplicates(node.items("fields"), kind: "field")
            record = .object(node.items("fields").map { field($0) })
        }
        guard let type = ValueTypeName.parse(text, record: record) else {
            bag.error(ConnectorSpecDiagnosticCode.unknownType, ConnectorSpecMessage.unknownType(text), at: typeNode.range, help: ConnectorSpecMessage.typeHelp)
            return .dyn
        }
        return type
    }

    private mutating func resource(_ node: YAMLNode, scope connectorScope: TemplateScope, isGeneric: Bool = false) -> ResourceDescriptor {
        let name = node.text("name") ?? ""
        reportDuplicates(node.items("fields"), kind: "field")
        let fields = node.items("fields").map { field($0) }
        let fieldNames = fields.map(\.name)
        let syncModes = node.texts("sync_modes").compactMap(SyncMode.init(rawValue:))
        for key in ["cursor_fields", "match_fields"] where !fields.isEmpty {
            for item in node.items(key) {
                guard let field = item.scalar, !fieldNames.contains(field) else { continue }
                unknownReference(ConnectorSpecMessage.unknownField(field, resource: name, key: key), name: field, at: item.range, candidates: fieldNames)
            }
        }
        let parameters = node.items("parameters").map { option($0) }
        reportDuplicates(node.items("parameters"), kind: "parameter")
        let syncParameters = node.items("sync_parameters").map { option($0) }
        reportDuplicates(node.items("sync_parameters"), kind: "sync parameter")
        var scope = connectorScope
        // A freely named resource passes on whatever parameters the step gives.
        scope.params = isGeneric ? nil : (parameters + syncParameters).map(\.name)
        scope.acceptsAnyParameter = isGeneric
        var http: ResourceHTTP?
        if let httpNode = node["http"], httpNode.mapping != nil {
            http = resourceHTTP(httpNode, resource: name, fields: fieldNames, syncModes: syncModes, scope: scope)
        }
        return ResourceDescriptor(
            name: name,
            summary: node.text("summary") ?? "",
            readable: node.bool("readable") ?? true,
            syncModes: syncModes,
            fields: fields,
            cursorFields: node.texts("cursor_fields"),
            matchFields: node.texts("match_fields"),
            readOnlyFields: node.items("fields").filter { $0.bool("read_only") == true }.compactMap { $0.text("name") },
            mayBeAbsentFields: node.items("fields").filter { $0.bool("may_be_absent") == true }.compactMap { $0.text("name") },
            customFieldsMap: node.items("fields").first { $0.bool("custom") == true }?.text("name"),
            parameters: parameters,
            maxBatchSize: node.int("batch_limit"),
            notifies: node.bool("notifies") ?? false,
            syncParameters: syncParameters,
            http: http
        )
    }

    // MARK: HTTP of the connector

    private mutating func connectorHTTP(_ node: YAMLNode, schemes: [String], scope: TemplateScope) -> ConnectorHTTP {
        var auth: [String: HTTPAuth] = [:]
        for pair in YAMLNode.pairs(node["auth"]) {
            guard let name = pair.key.scalar else { continue }
            if !schemes.contains(name) {
                unknownReference(ConnectorSpecMessage.unknownScheme(name), name: name, at: pair.key.range, candidates: schemes)
            }
            if let value = httpAuth(pair.value, scope: scope) { auth[name] = value }
        }
        var errors = HTTPErrorRules()
        if let rules = node["errors"] {
            if rules["message_paths"] != nil { errors.messagePaths = rules.texts("message_paths") }
            if rules["code_paths"] != nil { errors.codePaths = rules.texts("code_paths") }
            errors.successFlag = rules.text("success_flag")
        }
        let baseURL = node["base_url"].map { template($0, scope) } ?? ""
        return ConnectorHTTP(
            baseURL: baseURL,
            headers: headers(node["headers"], scope),
            auth: auth,
            rateLimitSignals: node["rate_limit_signals"] == nil ? [.retryAfter(unit: .seconds)] : node.items("rate_limit_signals").compactMap { rateLimitSignal($0) },
            errors: errors
        )
    }

    private mutating func httpAuth(_ node: YAMLNode, scope: TemplateScope) -> HTTPAuth? {
        guard let pair = node.mapping?.first, pair.key.scalar != nil else { return nil }
        let value = pair.value
        switch pair.key.scalar {
        case "header": return headers(value, scope).first.map(HTTPAuth.header)
        case "query": return headers(value, scope).first.map { HTTPAuth.query(name: $0.name, value: $0.value) }
        case "basic":
            return .basic(user: value["user"].map { template($0, scope) } ?? "", password: value["password"].map { template($0, scope) } ?? "")
        case "url": return .url(template(value, scope))
        case "oauth2":
            var tokenScope = scope
            tokenScope.allowsToken = true
            let grant = value.text("grant").flatMap(OAuth2Flow.Grant.init(rawValue:)) ?? .refreshToken
            var flow = OAuth2Flow(grant: grant, tokenURL: value["token_url"].map { template($0, scope) } ?? "",
                                  scope: value.text("scope"), keyField: value.text("key_field"))
            if grant == .jwtBearer { checkKeyField(value, authFields: scope.authFields) }
            if let send = headers(value["send"], tokenScope).first { flow.send = send }
            return .oauth2(flow)
        default: return nil
        }
    }

    /// A JWT bearer grant signs with a key that a secret of the connection holds: `key_field` must
    /// name one of the connector's auth fields.
    private mutating func checkKeyField(_ flow: YAMLNode, authFields: [String]) {
        guard let node = flow["key_field"] else {
            bag.error(ConnectorSpecDiagnosticCode.missingKey, ConnectorSpecMessage.missingKeyField, at: flow["grant"]?.range ?? flow.range)
            return
        }
        guard let field = node.scalar, !authFields.contains(field) else { return }
        unknownReference(ConnectorSpecMessage.unknownKeyField(field), name: field, at: node.range, candidates: authFields)
    }

    private func rateLimitSignal(_ node: YAMLNode) -> RateLimitSignal? {
        if let bare = node.scalar { return Self.bareSignal(bare) }
        guard let pair = node.mapping?.first else { return nil }
        let value = pair.value
        switch pair.key.scalar {
        case "retry_after": return value.scalar.flatMap(TimeUnit.init(rawValue:)).map { .retryAfter(unit: $0) }
        case "rate_limit_headers":
            return .rateLimitHeaders(
                limit: value.text("limit") ?? "", remaining: value.text("remaining") ?? "", reset: value.text("reset") ?? "",
                resetIsEpoch: value.bool("reset_is_epoch") ?? false)
        case "usage_headers": return .usageHeaders(headers: value.texts("headers"), errorCodes: value.texts("error_codes").compactMap { Int($0) })
        case "usage_counter": return .usageCounter(header: value.text("header") ?? "", errorCode: value.text("error_code") ?? "")
        case let name?: return value.scalarIs("true") ? Self.bareSignal(name) : nil
        case nil: return nil
        }
    }

    private static func bareSignal(_ name: String) -> RateLimitSignal? {
        switch name {
        case "google_retry_delay": .googleRetryDelay
        case "bare_429": .bare429
        default: nil
        }
    }

    // MARK: HTTP of a resource

    private mutating func resourceHTTP(_ node: YAMLNode, resource: String, fields: [String], syncModes: [SyncMode], scope: TemplateScope) -> ResourceHTTP {
        var fieldPaths: [String: String] = [:]
        var fieldFormats: [String: HTTPFieldFormat] = [:]
        for key in ["field_paths", "field_formats"] {
            for pair in YAMLNode.pairs(node[key]) {
                guard let name = pair.key.scalar, let value = pair.value.scalar else { continue }
                if !fields.isEmpty, !fields.contains(name) {
                    unknownReference(ConnectorSpecMessage.unknownField(name, resource: resource, key: key), name: name, at: pair.key.range, candidates: fields)
                }
                if key == "field_paths" { fieldPaths[name] = value } else if let format = HTTPFieldFormat(rawValue: value) { fieldFormats[name] = format }
            }
        }
        var fieldExpressions: [String: String] = [:]
        for pair in YAMLNode.pairs(node["field_expressions"]) {
            guard let name = pair.key.scalar, let source = pair.value.scalar else { continue }
            if !fields.isEmpty, !fields.contains(name) {
                unknownReference(ConnectorSpecMessage.unknownField(name, resource: resource, key: "field_expressions"), name: name, at: pair.key.range, candidates: fields)
            }
            let compiled = CELEnvironment(variables: ["item": .dyn, "params": .dyn, "lookups": .dyn]).compile(source)
            if let problem = compiled.diagnostics.first(where: { $0.severity == .error }) {
                bag.error(ConnectorSpecDiagnosticCode.wrongKind, "the expression of '\(name)' does not compile: \(problem.message)", at: pair.value.range)
                continue
            }
            fieldExpressions[name] = source
        }
        var itemLookups: [HTTPItemLookup] = []
        for pair in YAMLNode.pairs(node["item_lookups"]) {
            var lookupScope = scope
            lookupScope.allowsKey = true
            guard let name = pair.key.scalar, let request = request(pair.value["request"], lookupScope) else { continue }
            itemLookups.append(HTTPItemLookup(name: name, key: pair.value.text("key") ?? "", request: request))
        }
        var writes: [SyncMode: HTTPWrite] = [:]
        for pair in YAMLNode.pairs(node["writes"]) {
            guard let name = pair.key.scalar else { continue }
            guard let mode = SyncMode(rawValue: name), syncModes.contains(mode) else {
                unknownReference(ConnectorSpecMessage.undeclaredSyncMode(name, resource: resource), name: name, at: pair.key.range, candidates: syncModes.map(\.rawValue))
                continue
            }
            if let write = write(pair.value, scope) { writes[mode] = write }
        }
        return ResourceHTTP(
            fieldPaths: fieldPaths,
            fieldFormats: fieldFormats,
            fieldExpressions: fieldExpressions,
            itemLookups: itemLookups,
            read: node["read"].flatMap { read($0, scope) },
            writes: writes,
            send: node["send"].flatMap { write($0, scope) }
        )
    }

    private mutating func request(_ node: YAMLNode?, _ scope: TemplateScope) -> HTTPRequestTemplate? {
        guard let node, node.mapping != nil else { return nil }
        var body: JSONValue?
        if let bodyNode = node["body"] {
            body = YAMLValue.json(bodyNode)
            checkTemplates(in: bodyNode, scope)
        }
        return HTTPRequestTemplate(
            method: node.text("method") ?? "GET",
            path: node["path"].map { template($0, scope) } ?? "",
            query: headers(node["query"], scope),
            headers: headers(node["headers"], scope),
            body: body,
            form: node.bool("form") ?? false
        )
    }

    private mutating func read(_ node: YAMLNode, _ scope: TemplateScope) -> HTTPRead? {
        guard let request = request(node["request"], scope) else { return nil }
        var job: HTTPAsyncJob?
        if let jobNode = node["async_job"], let start = self.request(jobNode["start"], scope), let poll = self.request(jobNode["poll"], scope) {
            job = HTTPAsyncJob(
                start: start, jobID: jobNode.text("job_id") ?? "", poll: poll, status: jobNode.text("status") ?? "",
                completed: jobNode.texts("completed"), failed: jobNode.texts("failed"))
        }
        return HTTPRead(
            request: request,
            records: node.text("records") ?? "",
            pagination: node["pagination"].map { pagination($0) } ?? .none,
            shortPageIsLast: node.bool("short_page_is_last") ?? false,
            defaultPageSize: node.int("default_page_size"),
            maxPageSize: node.int("max_page_size"),
            asyncJob: job,
            columns: node["columns"].flatMap { columns in
                HTTPColumns(headers: columns.texts("headers"), values: columns.texts("values"),
                            name: columns.text("name") ?? "name", value: columns.text("value") ?? "value")
            },
            lastPageWithout: node.text("last_page_without")
        )
    }

    private mutating func pagination(_ node: YAMLNode) -> HTTPPagination {
        guard let styleNode = node["style"], let style = styleNode.scalar else { return .none }
        let needed: [String] = switch style {
        case "token": ["next", "send_as"]
        case "next_url": ["next"]
        case "offset": ["offset", "size"]
        default: []
        }
        let missing = needed.filter { node[$0] == nil }
        if !missing.isEmpty {
            bag.error(ConnectorSpecDiagnosticCode.incompletePagination, ConnectorSpecMessage.incompletePagination(style, missing: missing), at: styleNode.range)
            return .none
        }
        switch style {
        case "token":
            guard let sendAs = placement(node["send_as"]) else { return .none }
            return .token(next: node.text("next") ?? "", sendAs: sendAs)
        case "next_url":
            return .nextURL(next: node.text("next") ?? "", done: node.text("done"))
        case "offset":
            guard let offset = placement(node["offset"]), let size = placement(node["size"]) else { return .none }
            return .offset(offset: offset, size: size, total: node.text("total"))
        default:
            return .none
        }
    }

    private func placement(_ node: YAMLNode?) -> HTTPPlacement? {
        guard let pair = node?.mapping?.first, let name = pair.value.scalar else { return nil }
        switch pair.key.scalar {
        case "query": return .query(name)
        case "body": return .body(name)
        default: return nil
        }
    }

    private mutating func write(_ node: YAMLNode, _ scope: TemplateScope) -> HTTPWrite? {
        var start: HTTPWriteStart?
        var scope = scope
        if let startNode = node["start"], let startRequest = request(startNode["request"], scope) {
            let keep = YAMLNode.pairs(startNode["keep"]).compactMap { pair in
                pair.key.scalar.map { HTTPKeptValue(name: $0, path: pair.value.scalar ?? "") }
            }
            start = HTTPWriteStart(request: startRequest, keep: keep)
            scope.started = keep.map(\.name)
        }
        guard let request = request(node["request"], scope) else { return nil }
        let finish = node["finish"].flatMap { self.request($0, scope) }
        var item: JSONValue?
        if let itemNode = node["item"] {
            item = YAMLValue.json(itemNode)
            checkTemplates(in: itemNode, scope)
        }
        var refusals: HTTPRefusals?
        if let pair = node["refusals"]?.mapping?.first {
            let value = pair.value
            switch pair.key.scalar {
            case "per_record":
                refusals = .perRecord(results: value.text("results") ?? "", success: value.text("success") ?? "", reason: value.text("reason") ?? "")
            case "listed":
                refusals = .listed(errors: value.text("errors") ?? "", key: value.text("key") ?? "", reason: value.text("reason") ?? "")
            default:
                break
            }
        }
        let signing = node["signing"]?["standard_webhooks"].map { HTTPSigning.standardWebhooks(secret: template($0, scope)) }
        return HTTPWrite(start: start, request: request, finish: finish, item: item, refusals: refusals, signing: signing)
    }

    // MARK: Templates

    private mutating func headers(_ node: YAMLNode?, _ scope: TemplateScope) -> [HTTPHeaderTemplate] {
        (YAMLNode.pairs(node)).compactMap { pair in
            guard let name = pair.key.scalar, pair.value.scalar != nil else { return nil }
            return HTTPHeaderTemplate(name, template(pair.value, scope))
        }
    }

    /// The text of a template scalar, its placeholders checked.
    private mutating func template(_ node: YAMLNode, _ scope: TemplateScope) -> String {
        guard let text = node.scalar else { return "" }
        check(text, at: node, scope)
        return text
    }

    /// Checks every string in a JSON template.
    private mutating func checkTemplates(in node: YAMLNode, _ scope: TemplateScope) {
        switch node.content {
        case .scalar(let text, _): check(text, at: node, scope)
        case .sequence(let items, _): for item in items { checkTemplates(in: item, scope) }
        case .mapping(let pairs, _): for pair in pairs { checkTemplates(in: pair.value, scope) }
        case .alias: break
        }
    }

    private mutating func check(_ text: String, at node: YAMLNode, _ scope: TemplateScope) {
        for placeholder in TemplatePlaceholders.find(in: text) {
            let range = node.range(ofText: placeholder.range, in: text)
            switch scope.verdict(placeholder.name) {
            case .known:
                break
            case .unknownRoot(let roots):
                let suggestion = Suggestions.closest(to: placeholder.root, in: roots)
                bag.error(
                    ConnectorSpecDiagnosticCode.unknownPlaceholder, ConnectorSpecMessage.unknownPlaceholder(placeholder.name), at: range,
                    help: suggestion.map { "did you mean '{\(placeholder.name.replacingOccurrences(of: placeholder.root, with: $0, options: .anchored))}'?" }
                        ?? "placeholders start with \(Suggestions.list(roots))"
                )
            case .unknownName(let kind, let names):
                let last = Self.wrongWord(in: placeholder.name, kind: kind, scope)
                bag.error(
                    ConnectorSpecDiagnosticCode.unknownPlaceholder, ConnectorSpecMessage.unknownPlaceholderName(placeholder.name, kind: kind), at: range,
                    help: Suggestions.didYouMean(last, in: names) ?? (names.isEmpty ? nil : "known: \(names.joined(separator: ", "))")
                )
            }
        }
    }

    /// The word of a placeholder to suggest a correction for: the filter's name for a filter, else
    /// the last part of the name, or of its `or:` alternative, that the scope does not know.
    private static func wrongWord(in placeholder: String, kind: String, _ scope: TemplateScope) -> String {
        let pieces = placeholder.split(separator: "|").map(String.init)
        if kind == "filter" {
            let filters = pieces.dropFirst().map { String($0.prefix { $0 != ":" }) }
            let known = TemplateScope.filters.map { String($0.prefix { $0 != ":" }) }
            return filters.first { !known.contains($0) } ?? ""
        }
        let names = [pieces[0]] + pieces.dropFirst().filter { $0.hasPrefix("or:") }.map { String($0.dropFirst(3)) }
        for name in names {
            if case .known = scope.verdict(name) { continue }
            return String(name.split(separator: ".").last ?? "")
        }
        return ""
    }

    // MARK: Reporting

    private mutating func unknownReference(_ message: String, name: String, at range: SourceRange, candidates: [String]) {
        let suggestion = Suggestions.closest(to: name, in: candidates)
        bag.error(
            ConnectorSpecDiagnosticCode.unknownReference, message, at: range,
            help: suggestion.map { "did you mean '\($0)'?" } ?? (candidates.isEmpty ? nil : "known: \(candidates.joined(separator: ", "))"),
            fixIts: suggestion.map { [FixIt.replace(range, with: $0, "use '\($0)'")] } ?? []
        )
    }

    private mutating func reportDuplicates(_ items: [YAMLNode], kind: String) {
        var first: [String: YAMLNode] = [:]
        for item in items {
            guard let nameNode = item["name"], let name = nameNode.scalar else { continue }
            if let earlier = first[name] {
                bag.error(
                    ConnectorSpecDiagnosticCode.duplicateName, ConnectorSpecMessage.duplicateName(name, kind: kind), at: nameNode.range,
                    notes: [DiagnosticNote(ConnectorSpecMessage.firstDeclared, at: earlier.range)]
                )
            } else {
                first[name] = nameNode
            }
        }
    }
}

/// What a template may name: its placeholders' roots and, where they are closed sets, their names.
struct TemplateScope {
    var options: [String]
    var authFields: [String]
    /// Parameters and sync parameters of the resource; nil outside a resource.
    var params: [String]?
    /// Whether `{token}` (an OAuth 2 access token) may appear.
    var allowsToken = false
    /// Whether any `{params.NAME}` may appear (a generic resource's parameters are not declared).
    var acceptsAnyParameter = false
    /// The names a write's `start` keeps, as `{started.NAME}`; nil outside such a write.
    var started: [String]?
    /// Whether `{key}` may appear: in an item lookup's request.
    var allowsKey = false

    init(options: [String], authFields: [String]) {
        self.options = options
        self.authFields = authFields
    }

    enum Verdict {
        case known
        case unknownRoot([String])
        case unknownName(kind: String, [String])
    }

    static let fixedNames: [String: [String]] = [
        "page": ["size", "token", "offset"],
        "job": ["id"],
        "match": ["name", "value", "md5"],
        "message": ["text", "subject", "to", "channel", "id", "timestamp", "data"],
        "cursor": ["value"],
    ]

    static let filters = ["wrap:KEY", "strip_prefix:TEXT", "digits", "or:PLACEHOLDER", "after_last:TEXT", "trim_lower", "sha256"]

    func verdict(_ written: String) -> Verdict {
        let pieces = written.split(separator: "|").map(String.init)
        for filter in pieces.dropFirst() {
            if filter.hasPrefix("or:") {
                let alternative = verdict(String(filter.dropFirst(3)))
                if case .known = alternative { continue }
                return alternative
            }
            let plain = ["digits", "trim_lower", "sha256"]
            guard filter.hasPrefix("wrap:") || filter.hasPrefix("strip_prefix:") || filter.hasPrefix("after_last:") || plain.contains(filter) else {
                return .unknownName(kind: "filter", Self.filters)
            }
        }
        let placeholder = pieces.first ?? written
        let parts = placeholder.split(separator: ".", maxSplits: 1).map(String.init)
        let root = parts[0]
        let path = parts.count > 1 ? parts[1] : nil
        // Options and parameters are named by their first segment; a record parameter's parts follow it.
        let rest = ["options", "params"].contains(root) ? path.map { String($0.split(separator: ".")[0]) } : path
        var roots = ["options", "auth", "page", "job", "items", "record", "fields", "match", "message", "cursor"]
        if params != nil || acceptsAnyParameter { roots.insert("params", at: 1) }
        if allowsToken { roots.append("token") }
        if started != nil { roots.append("started") }
        if allowsKey { roots.append("key") }
        switch root {
        case "options": return rest.map { options.contains($0) } == true ? .known : .unknownName(kind: "option", options)
        case "auth": return rest.map { authFields.contains($0) } == true ? .known : .unknownName(kind: "auth field", authFields)
        case "params" where acceptsAnyParameter:
            return rest != nil ? .known : .unknownRoot(roots)
        case "params" where params != nil:
            return rest.map { params!.contains($0) } == true ? .known : .unknownName(kind: "parameter", params!)
        case "items": return rest == nil ? .known : .unknownRoot(roots)
        case "token" where allowsToken: return rest == nil ? .known : .unknownRoot(roots)
        case "key" where allowsKey: return rest == nil ? .known : .unknownRoot(roots)
        case "started" where started != nil:
            return rest.map { started!.contains($0) } == true ? .known : .unknownName(kind: "kept value", started!)
        case "record", "fields": return .known
        default:
            guard let names = Self.fixedNames[root] else { return .unknownRoot(roots) }
            return rest.map { names.contains($0) } == true ? .known : .unknownName(kind: "\(root) value", names)
        }
    }
}

/// The `{name.path}` placeholders of a template; braces around anything else (JSON in a query item)
/// are text.
enum TemplatePlaceholders {
    struct Found {
        var name: String
        /// Where the placeholder, braces included, is in the template's UTF-8.
        var range: Range<Int>
        var root: String { String(name.split(separator: ".", maxSplits: 1)[0]) }
    }

    static func find(in text: String) -> [Found] {
        let bytes = Array(text.utf8)
        var found: [Found] = []
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "{") else { index += 1; continue }
            var end = index + 1
            while end < bytes.count, isNameByte(bytes[end], first: end == index + 1) { end += 1 }
            if end < bytes.count, bytes[end] == UInt8(ascii: "}"), end > index + 1, bytes[end - 1] != UInt8(ascii: ".") {
                found.append(Found(name: String(decoding: bytes[(index + 1)..<end], as: UTF8.self), range: index..<(end + 1)))
                index = end + 1
            } else {
                index += 1
            }
        }
        return found
    }

    private static func isNameByte(_ byte: UInt8, first: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"): true
        // Filters follow a name: `|wrap:name`, `|after_last:-`.
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "|"), UInt8(ascii: ":"), UInt8(ascii: "-"): !first
        default: false
        }
    }
}

/// Type names as written in playbooks and connector specs.
enum ValueTypeName {
    /// The type `text` names; `record` stands for `record`, the type its `fields:` declare.
    static func parse(_ text: String, record: ValueType? = nil) -> ValueType? {
        let name = text.trimmingCharacters(in: .whitespaces)
        switch name {
        case "record": return record
        case "string": return .string
        case "int": return .int
        case "double": return .double
        case "bool": return .bool
        case "timestamp": return .timestamp
        case "duration": return .duration
        case "bytes": return .bytes
        case "dyn": return .dyn
        default: break
        }
        if name.hasPrefix("list("), name.hasSuffix(")") {
            return parse(String(name.dropFirst(5).dropLast()), record: record).map(ValueType.list)
        }
        if name.hasPrefix("map("), name.hasSuffix(")") {
            let inner = name.dropFirst(4).dropLast()
            guard let comma = inner.firstIndex(of: ","), inner[..<comma].trimmingCharacters(in: .whitespaces) == "string" else { return nil }
            return parse(String(inner[inner.index(after: comma)...]), record: record).map(ValueType.map)
        }
        return nil
    }
}

extension YAMLNode {
    /// The pairs of a mapping; none for anything else.
    static func pairs(_ node: YAMLNode?) -> [YAMLPair] { node?.mapping.map(Array.init) ?? [] }

    /// The text under `key`, when it is text.
    func text(_ key: String) -> String? {
        guard let node = self[key], !node.isNull else { return nil }
        return node.scalar
    }

    func bool(_ key: String) -> Bool? {
        guard let node = self[key] else { return nil }
        return node.scalarIs("true") ? true : node.scalarIs("false") ? false : nil
    }

    func int(_ key: String) -> Int? { text(key).flatMap { Int($0) } }

    /// The items of the list under `key`; none when it is not a list.
    func items(_ key: String) -> [YAMLNode] { self[key]?.sequence.map(Array.init) ?? [] }

    /// The text items of the list under `key`.
    func texts(_ key: String) -> [String] { items(key).compactMap(\.scalar) }

    /// Where `bytes` of a scalar's text are in the file, when the scalar is written as its text
    /// (plain, or quoted without escapes, on one line); the whole scalar otherwise.
    func range(ofText bytes: Range<Int>, in text: String) -> SourceRange {
        let quotes = scalarStyle == .plain ? 0 : scalarStyle == .singleQuoted || scalarStyle == .doubleQuoted ? 1 : -1
        guard quotes >= 0, range.length == text.utf8.count + 2 * quotes else { return range }
        return SourceRange(start: range.start + quotes + bytes.lowerBound, end: range.start + quotes + bytes.upperBound)
    }
}

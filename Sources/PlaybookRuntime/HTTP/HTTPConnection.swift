import Diagnostics
import Foundation
import PlaybookLanguage
import Synchronization

/// One connection of a run, as its connector spec describes it: where calls go, how they are
/// authenticated, paced and judged. Shared by every step that uses the connection, so that its
/// rate limit and its OAuth token are too.
final class HTTPConnection: Sendable {
    let name: ConnectionName
    let connector: ConnectorDescriptor
    let http: ConnectorHTTP
    /// The spec's base URL as far as the connection's options fill it; see `platformBase`.
    private let writtenBase: URLParts?
    /// The connection's `options.base_url`, which takes the place of the platform's origin.
    let override: URLParts?
    /// Options (with their defaults) and secrets for templates, and what a token answer taught
    /// (Salesforce's `instance_url`); see `values`.
    private let givenValues: TemplateValues
    private let learnedOptions = Mutex<[(String, JSONValue)]>([])
    let auth: HTTPAuth?
    let transport: any HTTPTransport
    /// Masks the connection's secrets, and those it makes as it goes (each signed JWT).
    private let redaction: Mutex<SecretRedactor>
    private let pace: ConnectionPace
    private let tokens: OAuthTokens?
    /// The key a JWT bearer grant signs with, read from its secret when the connection is made.
    private let serviceAccount: ServiceAccountKey?

    init(connection: PlanConnection, http: ConnectorHTTP, secrets: any SecretSource, transport: any HTTPTransport) throws {
        name = connection.name
        connector = connection.connector
        self.http = http
        self.transport = transport
        var options: [(String, JSONValue)] = []
        var baseOverride: String?
        for option in connection.options {
            if option.name == "base_url", case .string(let url) = option.value.value { baseOverride = url }
            options.append((option.name, option.value.value))
        }
        for option in connection.connector.options where !options.contains(where: { $0.0 == option.name }) {
            guard let written = option.defaultValue else { continue }
            let value: JSONValue = option.type == .string ? .string(written) : ((try? JSONValue(parsing: written)) ?? .string(written))
            options.append((option.name, value))
        }
        // The scheme in use is the most specific one whose credentials are all given, as the checker decides.
        let given = Set(connection.auth.map(\.field))
        let scheme = connection.connector.authSchemes
            .filter { Set($0.requiredFields).isSubset(of: given) }
            .max { $0.requiredFields.count < $1.requiredFields.count }
        auth = scheme.flatMap { http.auth[$0.name] }
        var keyField: String?
        if case .oauth2(let flow)? = auth, flow.grant == .jwtBearer { keyField = flow.keyField }

        var secretValues: [(String, JSONValue)] = []
        var plain: [String] = []
        var serviceAccount: ServiceAccountKey?
        for entry in connection.auth {
            let isKey = entry.field == keyField
            guard let value = secrets.value(of: entry.secret, as: isKey ? .serviceAccountKey : .text) else {
                throw MissingSecret(secret: entry.secret, connection: connection.name, field: entry.field)
            }
            secretValues.append((entry.field, .string(value)))
            plain.append(value)
            // An address that is a secret (a Slack webhook) keeps its secret in its path, which
            // stays when the address moves to a connection's `base_url`.
            if let parts = URLParts(value), parts.pathAndQuery.count >= 8 { plain.append(parts.pathAndQuery) }
            if isKey {
                do {
                    let key = try ServiceAccountKey(json: value)
                    // The key file escapes the line breaks of its private key; the key read has them.
                    plain.append(key.privateKeyPEM)
                    serviceAccount = key
                } catch {
                    throw UnusableServiceAccountKey(secret: entry.secret, connection: connection.name, field: entry.field, problem: error.description)
                }
            }
        }
        self.serviceAccount = serviceAccount
        var values = TemplateValues()
        values["options"] = .object(options)
        values["auth"] = .object(secretValues)
        self.givenValues = values

        if case .basic(let user, let password)? = auth {
            // A basic-auth header carries the pair encoded together; mask that form too.
            plain.append("\(Template.text(user, values)):\(Template.text(password, values))")
        }
        let redactor = SecretRedactor(values: plain)
        redaction = Mutex(redactor)

        let filledBase = Template.text(http.baseURL, values)
        writtenBase = URLParts(filledBase)
        if writtenBase == nil {
            // An OAuth token answer may name the host (Salesforce's `instance_url`); otherwise the
            // options must.
            guard case .oauth2? = auth else {
                throw ConnectorUnavailable("the connection '\(connection.name)' has no address for \(connector.name): its base URL is '\(redactor.redact(filledBase))'; set the options it names")
            }
        }
        if let baseOverride {
            guard let parts = URLParts(baseOverride) else { throw ConnectorUnavailable("the base_url of the connection '\(name)' is not an http or https address: \(baseOverride)") }
            override = parts
        } else {
            override = nil
        }
        pace = ConnectionPace(limit: connection.rateLimit, maxInFlight: connection.concurrency ?? connection.connector.maxConcurrency)
        if case .oauth2(let flow)? = auth { tokens = OAuthTokens(flow: flow) } else { tokens = nil }
    }

    /// Masks the connection's secrets in text that leaves the run.
    var redactor: SecretRedactor { redaction.withLock { $0 } }

    /// Options, secrets and what a token answer taught, for templates.
    var values: TemplateValues {
        let learned = learnedOptions.withLock { $0 }
        guard !learned.isEmpty, case .object(var options)? = givenValues["options"] else { return givenValues }
        for (name, value) in learned where !options.contains(where: { $0.0 == name && $0.1 != JSONValue.string("") }) {
            options.removeAll { $0.0 == name }
            options.append((name, value))
        }
        var values = givenValues
        values["options"] = .object(options)
        return values
    }

    /// The platform's base URL: as the options fill it, or once a token answer named the host.
    /// Its path alone is known before, from a placeholder origin.
    var platformBase: URLParts {
        if let writtenBase { return writtenBase }
        let filled = Template.text(http.baseURL, values)
        return URLParts(filled) ?? URLParts("https://platform.invalid" + (filled.hasPrefix("/") ? filled : "/" + filled))!
    }

    /// The address of `path` (a path after the base URL, a host-relative path, or a whole URL),
    /// moved to the connection's `base_url` when it has one.
    func address(of path: String) -> String {
        let platformBase = self.platformBase
        if path.hasPrefix("http://") || path.hasPrefix("https://") {
            guard let override, let parts = URLParts(path) else { return path }
            // An address on the platform's own host moves with the connection; any other is followed as given.
            guard parts.origin == platformBase.origin || parts.origin == override.origin else { return path }
            return parts.origin == override.origin ? path : override.origin + override.path + parts.pathAndQuery
        }
        // A base learned from a token answer may already be the connection's own address (the
        // sandbox names itself as the Salesforce instance): it is not moved twice.
        let origin = override.flatMap { $0.origin == platformBase.origin ? nil : $0.origin + $0.path } ?? platformBase.origin
        if path.hasPrefix("/"), !platformBase.path.isEmpty, path.hasPrefix(platformBase.path + "/") || path == platformBase.path {
            return origin + path
        }
        return origin + platformBase.path + (path.hasPrefix("/") || path.isEmpty ? path : "/" + path)
    }

    /// An address the connector names apart from its base URL (an OAuth token endpoint on a login
    /// host, a Slack webhook's address): it moves to the connection's `base_url` too, keeping its
    /// path, so that a run against the sandbox or a test server never calls the real platform.
    func movedWithConnection(_ url: String) -> String {
        guard let override, let parts = URLParts(url) else { return address(of: url) }
        return override.origin + override.path + parts.pathAndQuery
    }

    /// Makes the HTTP call of `request` filled with `values` (the connection's own added), retried
    /// and paced; returns the answer and its body as JSON (nil when empty or not JSON).
    func call(_ request: HTTPRequestTemplate, values extra: TemplateValues, calls: RemoteCalls, url fixedURL: String? = nil,
              signing: HTTPSigning? = nil) async throws -> (HTTPAnswer, JSONValue?) {
        var values = values
        for (root, value) in extra.roots { values[root] = value }
        var url = fixedURL ?? address(of: Template.text(request.path, values))
        if fixedURL == nil, case .url(let template)? = auth { url = movedWithConnection(Template.text(template, values)) }
        var query: [(String, String)] = []
        for item in request.query {
            let value = Template.text(item.value, values)
            if !value.isEmpty { query.append((item.name, value)) }
        }
        if case .query(let name, let template)? = auth { query.append((name, Template.text(template, values))) }
        if !query.isEmpty {
            url += (url.contains("?") ? "&" : "?") + query.map { "\(Self.percentEncoded($0.0))=\(Self.queryEncoded($0.1))" }.joined(separator: "&")
        }
        var headers: [(name: String, value: String)] = [("Accept", "application/json"), ("User-Agent", "playbook")]
        for header in http.headers + request.headers { headers.append((header.name, Template.text(header.value, values))) }
        var body: [UInt8]?
        if let template = request.body, let filled = Template.json(template, values) {
            if request.form {
                var pairs: [String] = []
                if case .object(let members) = filled {
                    for (key, value) in members {
                        let text: String = if case .string(let string) = value { string } else { value.text }
                        pairs.append("\(Self.percentEncoded(key))=\(Self.percentEncoded(text))")
                    }
                }
                body = Array(pairs.joined(separator: "&").utf8)
                headers.append(("Content-Type", "application/x-www-form-urlencoded"))
            } else {
                body = Array(filled.text.utf8)
                headers.append(("Content-Type", "application/json"))
            }
        }
        let shown = "\(request.method) \(redactor.redact(Self.withoutQuery(url)))"
        if case .standardWebhooks(let secretTemplate)? = signing {
            let secret = Template.text(secretTemplate, values)
            if !secret.isEmpty {
                let id = JSONPath.text(values.value(of: "message.id")) ?? UUID().uuidString
                let timestamp = Int64(Date().timeIntervalSince1970)
                guard let signature = StandardWebhookSignature.sign(secret: secret, id: id, timestamp: timestamp, body: body ?? []) else {
                    throw UnusableSigningSecret(connection: name.rawValue)
                }
                headers += [("webhook-id", id), ("webhook-timestamp", String(timestamp)), ("webhook-signature", signature)]
            }
        }
        let call = HTTPCall(method: request.method, url: url, headers: headers, body: body)
        return try await calls.perform(named: "\(name): \(shown)", connector: connector.name) { [self] in
            try await attempt(call, shown: shown, calls: calls)
        }
    }

    /// One attempt: paced, authenticated (an OAuth token fetched again once after a 401), judged.
    private func attempt(_ call: HTTPCall, shown: String, calls: RemoteCalls) async throws -> (HTTPAnswer, JSONValue?) {
        var refreshedToken = false
        while true {
            var call = call
            try await authenticate(&call, calls: calls)
            let answer = try await paced(call, shown: shown, timeout: calls.timeout)
            if answer.status == 401, let tokens, !refreshedToken {
                refreshedToken = true
                await tokens.forget()
                continue
            }
            return try judge(answer, shown: shown)
        }
    }

    /// Sends a call when the connection's pace allows it, counting it in flight until it is over.
    private func paced(_ call: HTTPCall, shown: String, timeout: Duration) async throws -> HTTPAnswer {
        let started = ContinuousClock.now
        try await pace.start()
        let wait = ContinuousClock.now - started
        // A wait shorter than a millisecond is the pace's own bookkeeping, not a limit.
        if wait > .milliseconds(1) { RuntimeMetrics.rateLimitWait(connector: connector.name, wait: wait) }
        do {
            let answer = try await transport.send(call, timeout: timeout)
            await pace.finished()
            RuntimeMetrics.call(connector: connector.name, status: String(answer.status))
            return answer
        } catch let failure as TransportFailure {
            await pace.finished()
            RuntimeMetrics.call(connector: connector.name, status: failure.metricsStatus)
            throw TransportFailureAt(connection: name.rawValue, call: shown, failure: failure)
        } catch {
            await pace.finished()
            throw error
        }
    }

    private func authenticate(_ call: inout HTTPCall, calls: RemoteCalls) async throws {
        switch auth {
        case .header(let header)?:
            call.headers.append((header.name, Template.text(header.value, values)))
        case .basic(let user, let password)?:
            let pair = "\(Template.text(user, values)):\(Template.text(password, values))"
            call.headers.append(("Authorization", "Basic " + Data(pair.utf8).base64EncodedString()))
        case .oauth2(let flow)?:
            guard let tokens else { return }
            let token = try await tokens.token { try await self.requestToken(flow, calls: calls) }
            var tokenValues = values
            tokenValues["token"] = .string(token)
            call.headers.append((flow.send.name, Template.text(flow.send.value, tokenValues)))
        case .query?, .url?, nil:
            break
        }
    }

    /// Asks the token endpoint for an access token and how long it lasts.
    private func requestToken(_ flow: OAuth2Flow, calls: RemoteCalls) async throws -> (token: String, lifetime: Duration) {
        // A token endpoint on another host (Salesforce's login host, Google's) moves with the
        // connection too, so that a run against the sandbox or a test server never calls the real one.
        let url: String
        var members: [(String, JSONValue)]
        switch flow.grant {
        case .jwtBearer:
            guard let serviceAccount else {
                throw ConnectorUnavailable("the connection '\(name)' has no service account key: its connector's key_field names no auth field it gives")
            }
            url = movedWithConnection(serviceAccount.tokenURI ?? Template.text(flow.tokenURL, values))
            let assertion: String
            do {
                assertion = try serviceAccount.assertion(scope: flow.scope, audience: url, issuedAt: Date())
            } catch {
                throw ConnectorUnavailable("the connection '\(name)' could not sign its token request with the service account key")
            }
            redaction.withLock { $0 = $0.adding([assertion]) }
            members = [("grant_type", .string("urn:ietf:params:oauth:grant-type:jwt-bearer")), ("assertion", .string(assertion))]
        case .clientCredentials, .refreshToken:
            url = movedWithConnection(Template.text(flow.tokenURL, values))
            members = [("grant_type", .string(flow.grant.rawValue))]
            for field in ["client_id", "client_secret", "refresh_token", "scope"] {
                if let value = values.value(of: "auth.\(field)"[...]) { members.append((field, value)) }
            }
            if let scope = flow.scope, !members.contains(where: { $0.0 == "scope" }) { members.append(("scope", .string(scope))) }
        }
        let body = members.map { member -> String in
            let text: String = if case .string(let string) = member.1 { string } else { member.1.text }
            return "\(Self.percentEncoded(member.0))=\(Self.percentEncoded(text))"
        }.joined(separator: "&")
        let call = HTTPCall(method: "POST", url: url, headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")], body: Array(body.utf8))
        let shown = "POST \(redactor.redact(Self.withoutQuery(url)))"
        let answer = try await paced(call, shown: shown, timeout: calls.timeout)
        let (_, json) = try judge(answer, shown: shown)
        guard let token = JSONPath.text(json?["access_token"]), !token.isEmpty else {
            throw UnreadableAnswer(connection: name.rawValue, call: shown, problem: "has no access_token", retryAdvice: .doNotRetry)
        }
        if let instance = JSONPath.text(json?["instance_url"]), !instance.isEmpty {
            learnedOptions.withLock { $0 = [("instance_url", .string(instance))] }
        }
        let seconds: Int64 = switch json?["expires_in"] {
        case .int(let number)?: number
        case .string(let text)?: Int64(text) ?? 3600
        case .double(let number)?: Int64(number)
        default: 3600
        }
        return (token, .seconds(seconds))
    }

    /// The answer as JSON when it is a success, else the platform's error.
    private func judge(_ answer: HTTPAnswer, shown: String) throws -> (HTTPAnswer, JSONValue?) {
        let json = Self.json(answer.body)
        let reading = AnswerReading(answer, json: json, signals: http.rateLimitSignals, now: Date())
        Task { [pace] in
            if let pause = reading.pause { await pace.pause(for: pause) }
            if let remaining = reading.remaining { await pace.observe(remaining: remaining.count, resetIn: remaining.resetIn) }
            if let wait = reading.retryAfter { await pace.pause(for: wait) }
        }
        var failed = !(200..<300).contains(answer.status) || reading.rateLimited
        if !failed, let flag = http.errors.successFlag, let json, case .bool(false)? = JSONPath.value(at: flag, in: json) { failed = true }
        if !failed {
            if !answer.body.isEmpty, json == nil, Self.declaresJSON(answer) {
                throw UnreadableAnswer(connection: name.rawValue, call: shown, problem: "is not valid JSON (\(answer.body.count) bytes, cut short or malformed)", retryAdvice: .retry)
            }
            return (answer, json)
        }
        let advice: RetryAdvice
        if reading.rateLimited {
            advice = reading.retryAfter.map { .retryAfter($0) } ?? .retry
        } else if answer.status >= 500 || answer.status == 408 {
            advice = .retry
        } else {
            advice = .doNotRetry
        }
        var message = Self.firstText(at: http.errors.messagePaths, in: json)
        if message == nil { message = String(decoding: answer.body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
        let code = Self.firstText(at: http.errors.codePaths, in: json)
        throw PlatformError(connection: name.rawValue, call: shown, status: answer.status, code: code.map { redactor.redact($0) },
                            message: redactor.redact(message ?? ""), retryAdvice: advice)
    }

    private static func firstText(at paths: [String], in json: JSONValue?) -> String? {
        guard let json else { return nil }
        for path in paths {
            if let text = JSONPath.text(JSONPath.value(at: path, in: json)), !text.isEmpty { return text }
        }
        return nil
    }

    static func json(_ body: [UInt8]) -> JSONValue? {
        guard let first = body.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }), first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else { return nil }
        return try? JSONValue(parsing: String(decoding: body, as: UTF8.self))
    }

    private static func declaresJSON(_ answer: HTTPAnswer) -> Bool {
        answer.header("Content-Type")?.lowercased().contains("json") ?? false
    }

    static func withoutQuery(_ url: String) -> String {
        url.firstIndex(of: "?").map { String(url[..<$0]) } ?? url
    }

    private static let unreserved = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))

    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// What a query value may hold as it is: besides the unreserved characters, the marks that
    /// structure values without ending them (LinkedIn's Rest.li `(key:value,…)`, lists `a,b`).
    private static let queryValueAllowed = unreserved.union(CharacterSet(charactersIn: "!$'()*,;:@/?"))

    /// A query value, encoded where it must be; an escape already written (`urn%3Ali`, as Rest.li
    /// wants URNs inside its syntax) is kept.
    static func queryEncoded(_ text: String) -> String {
        var result = ""
        var scalars = Array(text.unicodeScalars)[...]
        while let scalar = scalars.first {
            if scalar == "%", scalars.count >= 3,
               scalars.dropFirst().prefix(2).allSatisfy({ $0.properties.isASCIIHexDigit }) {
                result += String(String.UnicodeScalarView(scalars.prefix(3)))
                scalars = scalars.dropFirst(3)
                continue
            }
            result += String(scalar).addingPercentEncoding(withAllowedCharacters: queryValueAllowed) ?? String(scalar)
            scalars = scalars.dropFirst()
        }
        return result
    }
}

/// A transport failure, with the connection and the call it happened on.
public struct TransportFailureAt: RetryableError, CustomStringConvertible {
    public var connection: String
    public var call: String
    public var failure: TransportFailure

    public var retryAdvice: RetryAdvice { failure.retryAdvice }
    public var description: String { "\(connection): \(call): \(failure)" }
}

/// An OAuth access token, fetched when first needed and again shortly before it expires or after
/// the platform refused it.
actor OAuthTokens {
    let flow: OAuth2Flow
    private var current: (token: String, expires: ContinuousClock.Instant)?
    private var fetching: Task<(token: String, lifetime: Duration), any Error>?

    init(flow: OAuth2Flow) { self.flow = flow }

    func token(fetch: @escaping @Sendable () async throws -> (token: String, lifetime: Duration)) async throws -> String {
        let clock = ContinuousClock()
        if let current, clock.now < current.expires { return current.token }
        let task = fetching ?? Task { try await fetch() }
        fetching = task
        defer { fetching = nil }
        let fetched = try await task.value
        // Refreshed a minute early (or at half its life when shorter), so no call carries an expiring token.
        let margin = min(Duration.seconds(60), fetched.lifetime / 2)
        current = (fetched.token, clock.now + fetched.lifetime - margin)
        return fetched.token
    }

    func forget() { current = nil }
}

/// An http or https address cut at the path.
struct URLParts: Equatable {
    /// `scheme://host[:port]`.
    var origin: String
    /// The path without a trailing slash, possibly empty.
    var path: String
    /// The path and query as written.
    var pathAndQuery: String

    init?(_ text: String) {
        guard let schemeEnd = text.range(of: "://") else { return nil }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let rest = text[schemeEnd.upperBound...]
        let pathStart = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        guard pathStart > rest.startIndex else { return nil }
        origin = scheme + "://" + rest[..<pathStart]
        pathAndQuery = String(rest[pathStart...])
        var path = String(rest[pathStart...].prefix { $0 != "?" })
        while path.hasSuffix("/") { path.removeLast() }
        self.path = path
    }
}

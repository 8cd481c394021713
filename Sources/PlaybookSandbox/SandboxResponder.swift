import Diagnostics
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// The request context: Hummingbird's core storage plus the connection, which a `reset` fault closes.
struct SandboxRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// Sends each request to its platform by the first path segment, after drawing its fault.
final class SandboxResponder: HTTPResponder {
    typealias Context = SandboxRequestContext

    let platforms: [String: any SandboxPlatform]
    let journal: SandboxJournal
    let options: SandboxOptions
    let release: ReleaseSignal
    /// The sandbox's own address, `http://127.0.0.1:PORT`, known once the server listens.
    let origin: Mutex<String>
    private let requestCounter = Mutex<UInt64>(0)
    private let tokens = Mutex(SandboxTokenCounter())
    /// Platforms met under a prefix the sandbox does not imitate, made when first called.
    private let generic = Mutex<[String: GenericSandbox]>([:])
    private let inFlight = Mutex<[String: Int]>([:])
    static let maximumBodyBytes = 32 << 20

    init(platforms: [any SandboxPlatform], journal: SandboxJournal, options: SandboxOptions, release: ReleaseSignal) {
        self.platforms = Dictionary(uniqueKeysWithValues: platforms.map { ($0.name, $0) })
        self.journal = journal
        self.options = options
        self.release = release
        self.origin = Mutex("http://127.0.0.1")
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let rawSegments = request.uri.path.split(separator: "/", omittingEmptySubsequences: true).map {
            String($0).removingPercentEncoding ?? String($0)
        }
        guard let first = rawSegments.first else { return Self.response(notFound(path: "/")) }
        let body = try await request.body.collect(upTo: Self.maximumBodyBytes)
        let query = SandboxRequest.decodeQuery(request.uri.query ?? "")
        if first == "_sandbox" {
            return Self.response(control(Array(rawSegments.dropFirst()), query: query))
        }
        // A prefix the sandbox does not imitate (a connector of the user's own) is a platform that
        // accepts every write; a name that is no identifier is a wrong address.
        let known = platforms[first]
        guard known != nil || first.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
            return Self.response(notFound(path: request.uri.path))
        }
        let platform: any SandboxPlatform = known ?? generic.withLock { made in
            if let existing = made[first] { return existing }
            let created = GenericSandbox(name: first)
            made[first] = created
            return created
        }
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName.lowercased()
            if headers[name] == nil { headers[name] = field.value }
        }
        let sandboxRequest = SandboxRequest(
            method: SandboxRequest.Method(rawValue: request.method.rawValue) ?? .other,
            segments: Array(rawSegments.dropFirst()), query: query, headers: headers, body: Data(body.readableBytesView),
            baseURL: origin.withLock { $0 } + "/" + first)
        if SandboxTokenEndpoint.answers(sandboxRequest), first != "hubspot" {
            return Self.response(tokens.withLock { SandboxTokenEndpoint.reply(to: sandboxRequest, platform: first, ids: &$0, now: options.clock.now()) })
        }
        let reply = await answer(sandboxRequest, platform: platform)
        guard let reply else {
            // A reset or an expired hold: close the connection without an answer.
            try? await context.channel.close().get()
            return Response(status: .internalServerError)
        }
        return Self.response(reply)
    }

    /// The platform's answer, a fault in its place, or nil to close the connection unanswered.
    private func answer(_ request: SandboxRequest, platform: any SandboxPlatform) async -> SandboxReply? {
        let index = requestCounter.withLock { counter in
            defer { counter += 1 }
            return counter
        }
        let running = inFlight.withLock { counts in
            counts[platform.name, default: 0] += 1
            return counts[platform.name]!
        }
        defer { inFlight.withLock { $0[platform.name, default: 1] -= 1 } }
        if options.faults.latency > .zero { await release.wait(upTo: options.faults.latency) }
        let write = platform.write(of: request)
        let now = options.clock.now()
        let fault = options.faults.fault(forRequest: index, seed: options.seed)
        var reply: SandboxReply?
        var applied: SandboxReply?
        switch fault {
        case nil:
            reply = platform.handle(request, at: RequestMoment(now: now, inFlight: running))
        case .lost:
            applied = platform.handle(request, at: RequestMoment(now: now, inFlight: running))
            reply = nil
        case .rateLimited, .serverError:
            reply = platform.faultReply(fault!, to: request, at: now)
        case .malformed:
            reply = malformed(request, platform: platform, isWrite: write != nil, now: now, running: running)
        case .reset:
            reply = nil
        case .timeout:
            await release.wait(upTo: options.timeoutHold)
            reply = nil
        }
        if let write {
            journal.record(
                time: now, platform: platform.name, resource: write.resource, operation: write.operation, request: request,
                status: (reply ?? applied)?.status ?? 0, fault: fault)
        }
        return reply
    }

    /// A 200 whose JSON stops half-way: a read's real answer cut short, or for a write (which must not be
    /// applied) the start of a plausible answer.
    private func malformed(_ request: SandboxRequest, platform: any SandboxPlatform, isWrite: Bool, now: Date, running: Int) -> SandboxReply {
        var reply: SandboxReply
        if isWrite {
            reply = .json(200, ["status": "COMPLETE", "results": [["id": "1"]]])
        } else {
            reply = platform.handle(request, at: RequestMoment(now: now, inFlight: running))
        }
        reply.status = 200
        reply.headers.removeAll { $0.0.lowercased() == "content-type" }
        reply.headers.append(("Content-Type", "application/json; charset=utf-8"))
        let cut = max(1, min(reply.body.count / 2, reply.body.count - 1))
        reply.body = reply.body.isEmpty ? Data("{\"ok\":".utf8) : reply.body.prefix(cut)
        return reply
    }

    private func control(_ segments: [String], query: [String: String]) -> SandboxReply {
        switch segments {
        case ["journal"]:
            let since = query["since"].flatMap(Int.init) ?? 0
            return SandboxReply(
                status: 200, headers: [("Content-Type", "application/x-ndjson")], body: Data(journal.jsonLines(since: since).utf8))
        case ["health"]:
            return .json(200, ["status": "ok", "platforms": .array(platforms.keys.sorted().map(JSONValue.string))])
        default:
            return .json(404, ["error": "not_found", "message": "the sandbox serves /_sandbox/journal and /_sandbox/health"])
        }
    }

    private func notFound(path: String) -> SandboxReply {
        .json(
            404,
            [
                "error": "not_found",
                "message": .string("no platform is served at \(path); known prefixes: \(platforms.keys.sorted().map { "/" + $0 }.joined(separator: ", "))"),
            ])
    }

    static func response(_ reply: SandboxReply) -> Response {
        var fields = HTTPFields()
        for (name, value) in reply.headers {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        fields[.contentLength] = String(reply.body.count)
        return Response(
            status: HTTPResponse.Status(code: reply.status), headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// One HTTP request, ready to send.
public struct HTTPCall: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// An answer: status, headers and the whole body.
public struct HTTPAnswer: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of the header called `name`, compared without case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// The seam every remote call goes through: AsyncHTTPClient in runs, anything in a test.
public protocol HTTPTransport: Sendable {
    /// Sends `call` and reads the whole answer, within `timeout`.
    func send(_ call: HTTPCall, timeout: Duration) async throws -> HTTPAnswer
    /// Closes connections; called once when the run ends.
    func shutdown() async
}

/// A call that failed before an answer came: the network, a timeout, a body too large.
public struct TransportFailure: RetryableError, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The connection could not be opened (refused, DNS, TLS, no answer to connect): nothing
        /// was sent; worth retrying.
        case notConnected(String)
        /// The connection failed or closed once open: worth retrying.
        case network(String)
        /// No answer, or no more of it, in time: worth retrying.
        case timedOut
        /// Redirects that loop or never end: not worth retrying.
        case redirects(String)
        /// An answer larger than the limit: not worth retrying.
        case tooLarge(limit: Int)
        /// The address cannot be used.
        case badAddress(String)
    }

    public var kind: Kind

    public var retryAdvice: RetryAdvice {
        switch kind {
        case .notConnected, .network, .timedOut: .retry
        case .redirects, .tooLarge, .badAddress: .doNotRetry
        }
    }

    public var description: String {
        switch kind {
        case .notConnected(let what): "the connection could not be opened (\(what))"
        case .network(let what): "the connection failed (\(what))"
        case .timedOut: "no answer in time"
        case .redirects(let what): "the redirects \(what)"
        case .tooLarge(let limit): "the answer is larger than the limit of \(limit / 1_000_000) MB"
        case .badAddress(let what): "the address cannot be used (\(what))"
        }
    }

    /// The `status` of the call in the metrics, where an answer would give its HTTP status.
    var metricsStatus: String {
        switch kind {
        case .notConnected: "not_connected"
        case .network: "network"
        case .timedOut: "timeout"
        case .redirects: "redirects"
        case .tooLarge: "too_large"
        case .badAddress: "bad_address"
        }
    }
}

/// HTTP through AsyncHTTPClient: TLS, keep-alive pooling, gzip and deflate, at most 5 redirects
/// without cycles, and answers capped in size. The client is made at the first call, so a run
/// that calls no platform opens nothing.
public final class AsyncHTTPTransport: HTTPTransport {
    /// The largest answer read, in bytes.
    public let maxAnswerBytes: Int
    private let made = Mutex<(client: HTTPClient?, isShutDown: Bool)>((nil, false))

    /// A transport; `maxAnswerBytes` defaults to 32 MB.
    public init(maxAnswerBytes: Int = 32 * 1_000_000) {
        self.maxAnswerBytes = maxAnswerBytes
    }

    deinit {
        // A client must be shut down before it goes; one left open by an abandoned run is closed here.
        made.withLock { if let client = $0.client, !$0.isShutDown { client.shutdown { _ in } } }
    }

    private var client: HTTPClient {
        made.withLock { made in
            if let client = made.client { return client }
            var configuration = HTTPClient.Configuration(
                redirectConfiguration: .follow(max: 5, allowCycles: false),
                timeout: .init(connect: .seconds(10), read: .seconds(60)),
                decompression: .enabled(limit: .ratio(100))
            )
            configuration.connectionPool.idleTimeout = .seconds(30)
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            made.client = client
            return client
        }
    }

    public func send(_ call: HTTPCall, timeout: Duration) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: call.url)
        request.method = HTTPMethod(rawValue: call.method)
        for header in call.headers { request.headers.add(name: header.name, value: header.value) }
        if let body = call.body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let nanoseconds = timeout.nanoseconds
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(max(1, nanoseconds)))
            let buffer = try await response.body.collect(upTo: maxAnswerBytes)
            return HTTPAnswer(
                status: Int(response.status.code),
                headers: response.headers.map { (name: $0.name, value: $0.value) },
                body: Array(buffer.readableBytesView)
            )
        } catch let error as HTTPClientError {
            throw Self.failure(error)
        } catch is NIOTooManyBytesError {
            throw TransportFailure(kind: .tooLarge(limit: maxAnswerBytes))
        } catch let error as CancellationError {
            throw error
        } catch let error as NIOConnectionError {
            throw TransportFailure(kind: .notConnected(String(describing: error)))
        } catch let error as IOError where [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains(error.errnoCode) {
            throw TransportFailure(kind: .notConnected(String(describing: error)))
        } catch {
            throw TransportFailure(kind: .network(String(describing: error)))
        }
    }

    public func shutdown() async {
        let client = made.withLock { made -> HTTPClient? in
            guard !made.isShutDown else { return nil }
            made.isShutDown = true
            return made.client
        }
        try? await client?.shutdown()
    }

    static func failure(_ error: HTTPClientError) -> TransportFailure {
        switch error {
        // Waiting for a connection until the call's time was up (the machine too busy for the first
        // attempt to fail, say) sent nothing either.
        case .connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout:
            TransportFailure(kind: .notConnected(String(describing: error)))
        case .readTimeout, .deadlineExceeded, .writeTimeout:
            TransportFailure(kind: .timedOut)
        case .redirectCycleDetected:
            TransportFailure(kind: .redirects("go round in a circle"))
        case .redirectLimitReached:
            TransportFailure(kind: .redirects("go on for more than 5 hops"))
        case .invalidURL, .emptyHost, .emptyScheme:
            TransportFailure(kind: .badAddress(String(describing: error)))
        case .remoteConnectionClosed:
            TransportFailure(kind: .network("the server closed the connection"))
        default:
            TransportFailure(kind: .network(String(describing: error)))
        }
    }
}

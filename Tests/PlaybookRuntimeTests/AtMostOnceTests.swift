import AsyncHTTPClient
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
@testable import PlaybookLanguage
@testable import PlaybookRuntime
import Synchronization
import Testing

/// A call whose effect must not happen twice is tried again only when the platform certainly did
/// not act on it, and lets go of its key while it waits.
@Suite struct AtMostOnceTests {
    // The budget and the timeout only bound a hang: on a machine busy enough to starve the test
    // process, an attempt that fails at once can still take many seconds to be scheduled.
    private let calls = RemoteCalls(
        retry: RetryPolicy(maxAttempts: 4, backoff: .constant, initialDelay: .milliseconds(5), multiplier: 1,
                           maxDelay: .milliseconds(5), jitter: .none, maxElapsed: .seconds(600)),
        timeout: .seconds(300))

    private static func refused(_ status: Int) -> PlatformError {
        PlatformError(connection: "team", call: "POST /hooks", status: status, code: nil, message: "",
                      retryAdvice: status == 429 ? .retryAfter(.milliseconds(5)) : status >= 500 ? .retry : .doNotRetry)
    }

    /// Makes a call that fails with `failures` in turn, then succeeds; returns how many attempts it
    /// took and how it ended.
    private func attempts(failing failures: [any Error], under rule: AtMostOnce?) async -> (count: Int, error: (any Error)?) {
        let count = Mutex(0)
        do {
            _ = try await AtMostOnce.$current.withValue(rule) {
                try await calls.perform {
                    let attempt = count.withLock { number -> Int in number += 1; return number }
                    if attempt <= failures.count { throw failures[attempt - 1] }
                    return "ok"
                }
            }
            return (count.withLock { $0 }, nil)
        } catch {
            return (count.withLock { $0 }, error)
        }
    }

    @Test(arguments: [
        (CallTimedOut(timeout: .seconds(1)) as any Error, "a timeout"),
        (TransportFailureAt(connection: "team", call: "POST /hooks", failure: TransportFailure(kind: .network("the server closed the connection"))), "a dropped connection"),
        (refused(500), "a 500"),
        (refused(502), "a 502"),
        (refused(504), "a 504"),
        (UnreadableAnswer(connection: "team", call: "POST /hooks", problem: "is not valid JSON", retryAdvice: .retry), "an answer cut short"),
    ])
    func aFailureThatMayHaveDeliveredIsNotTriedAgain(failure: any Error, what: String) async {
        let once = await attempts(failing: [failure], under: AtMostOnce())
        #expect(once.count == 1, "\(what) was tried again")
        #expect(once.error is MayHaveTakenEffect, "\(what): \(String(describing: once.error))")
        #expect(String(describing: once.error!).hasSuffix("the request may have reached the platform, so it was not sent again"))
        // Without the rule the same failure is retried, as reads and upserts want.
        let repeatable = await attempts(failing: [failure], under: nil)
        #expect(repeatable.count == 2 && repeatable.error == nil, "\(what) without the rule")
    }

    @Test(arguments: [
        (refused(429) as any Error, "a 429"),
        (refused(503), "a 503"),
        (TransportFailureAt(connection: "team", call: "POST /hooks", failure: TransportFailure(kind: .notConnected("connection refused"))), "a connection that never opened"),
    ])
    func aRefusalIsTriedAgainWithTheKeyLetGoWhileWaiting(failure: any Error, what: String) async {
        let events = Mutex<[String]>([])
        let rule = AtMostOnce(refused: { events.withLock { $0.append("let go") } },
                              retrying: { events.withLock { $0.append("claimed") } })
        let outcome = await attempts(failing: [failure, failure], under: rule)
        #expect(outcome.count == 3 && outcome.error == nil, "\(what): \(String(describing: outcome.error))")
        #expect(events.withLock { $0 } == ["let go", "claimed", "let go", "claimed"], "\(what)")
    }

    @Test func aRefusalThenALostAnswerEndsUncertainAfterTheSecondAttempt() async {
        let outcome = await attempts(failing: [Self.refused(429), CallTimedOut(timeout: .seconds(1))], under: AtMostOnce())
        #expect(outcome.count == 2)
        #expect(outcome.error is MayHaveTakenEffect)
    }

    @Test func aRequestRefusedOutrightIsNotUncertain() async {
        let outcome = await attempts(failing: [Self.refused(400)], under: AtMostOnce())
        #expect(outcome.count == 1)
        #expect(outcome.error is PlatformError)
    }

    /// The HTTP client tries to connect again until the call's time is up, then says why it could not.
    @Test func aConnectionRefusedOnLoopbackIsKnownNotToHaveSentAnything() async throws {
        let port = try Self.portNobodyListensOn()
        let transport = AsyncHTTPTransport()
        defer { Task { await transport.shutdown() } }
        do {
            _ = try await transport.send(HTTPCall(method: "POST", url: "http://127.0.0.1:\(port)/hooks", headers: [], body: Array("{}".utf8)), timeout: .seconds(1))
            Issue.record("the call to a closed port succeeded")
        } catch let failure as TransportFailure {
            #expect(failure.mayHaveTakenEffect == false, "\(failure)")
            guard case .notConnected = failure.kind else { Issue.record("\(failure.kind)"); return }
        }
    }

    /// Whether a failed call may have reached the platform, for each way the HTTP client reports
    /// running out of time: only a call that had its connection may have.
    @Test func onlyACallThatWasConnectedMayHaveTakenEffect() {
        for error in [HTTPClientError.connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout] {
            #expect(AsyncHTTPTransport.failure(error).mayHaveTakenEffect == false, "\(error)")
        }
        for error in [HTTPClientError.readTimeout, .deadlineExceeded, .remoteConnectionClosed] {
            #expect(AsyncHTTPTransport.failure(error).mayHaveTakenEffect == true, "\(error)")
        }
    }

    /// A loopback port that was bound and closed again: nothing listens there.
    private static func portNobodyListensOn() throws -> Int {
        let socket = try ServerSocketProbe()
        return socket.port
    }
}

/// Binds a TCP socket to a free loopback port and closes it at once, leaving the port unused.
private struct ServerSocketProbe {
    let port: Int

    init() throws {
        let descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ConnectorUnavailable("no socket") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw ConnectorUnavailable("no free port") }
        port = Int(UInt16(bigEndian: address.sin_port))
    }
}

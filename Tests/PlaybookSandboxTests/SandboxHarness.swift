import AsyncHTTPClient
import Diagnostics
import Foundation
import NIOCore
import NIOHTTP1
import PlaybookSandbox

/// An answer as a test reads it.
struct Answer {
    let status: Int
    let headers: HTTPHeaders
    let body: Data

    var json: JSONValue? { JSONValue.parse(body) }
    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? { headers.first(name: name) }
}

/// A fixed instant the seeded data is laid out before, so assertions do not depend on today's date.
let referenceDate = Date(timeIntervalSince1970: 1_780_000_000)

/// Small data sets keep pagination tests quick while still spanning several pages.
func smallSizes() -> SandboxDataSizes {
    var sizes = SandboxDataSizes()
    sizes.hubSpotContacts = 250
    sizes.hubSpotCompanies = 30
    sizes.hubSpotDeals = 30
    sizes.salesforceLeads = 450
    sizes.salesforceContacts = 50
    sizes.mailchimpMembers = 120
    sizes.metaLeads = 10
    sizes.linkedInCampaigns = 230
    sizes.reportDays = 14
    return sizes
}

/// Starts a sandbox on a free loopback port, runs `body` with its origin, and always stops it.
func withSandbox<T>(
    seed: UInt64 = 1, faults: FaultSpec = .none, limits: SandboxLimits = SandboxLimits(), sizes: SandboxDataSizes = smallSizes(),
    timeoutHold: Duration = .seconds(60), _ body: (SandboxServer, String) async throws -> T
) async throws -> T {
    let server = SandboxServer(limits: limits, sizes: sizes, referenceDate: referenceDate, timeoutHold: timeoutHold)
    let origin = try await server.start(host: "127.0.0.1", port: 0, seed: seed, faults: faults)
    do {
        let result = try await body(server, origin.absoluteString)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// Sends one request over loopback HTTP.
func send(
    _ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], json: String? = nil, form: String? = nil,
    timeout: TimeAmount = .seconds(10)
) async throws -> Answer {
    var request = HTTPClientRequest(url: url)
    request.method = method
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    if let json {
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: json))
    } else if let form {
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: form))
    }
    let response = try await HTTPClient.shared.execute(request, timeout: timeout)
    let body = try await response.body.collect(upTo: 64 << 20)
    return Answer(status: Int(response.status.code), headers: response.headers, body: Data(body.readableBytesView))
}

let bearer = [("Authorization", "Bearer test-token")]

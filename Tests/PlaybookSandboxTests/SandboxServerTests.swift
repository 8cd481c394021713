import Foundation
import PlaybookSandbox
import Testing

@Suite struct SandboxServerTests {
    @Test func aBusyPortIsAClearStartError() async throws {
        try await withSandbox { _, origin in
            let port = try #require(URL(string: origin)?.port)
            let second = SandboxServer(sizes: smallSizes(), referenceDate: referenceDate)
            do {
                try await second.start(host: "127.0.0.1", port: port)
                await second.stop()
                Issue.record("a second sandbox started on a port already in use")
            } catch let error as SandboxStartError {
                #expect(error.description == "the sandbox could not listen on 127.0.0.1:\(port): the port is already in use")
            }
        }
    }

    @Test func stopIsSafeTwiceAndBaseURLsNamePlatforms() async throws {
        let server = SandboxServer(sizes: smallSizes(), referenceDate: referenceDate)
        let origin = try await server.start()
        #expect(server.baseURL(for: "hubspot")?.absoluteString == origin.absoluteString + "/hubspot")
        await server.stop()
        await server.stop()
        #expect(server.origin == nil)
    }
}

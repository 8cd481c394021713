import Testing

struct ConnectorsCommandTests {
    @Test func listsEveryConnectorWithWhatItCanDo() throws {
        let output = try CLI.run(["connectors"])
        #expect(output.status == 0)
        let lines = output.stdout.split(separator: "\n")
        #expect(lines.count == 12)
        #expect(lines.contains { $0.hasPrefix("hubspot") && $0.hasSuffix("HubSpot CRM (read, write)") })
        #expect(lines.contains { $0.hasPrefix("slack") && $0.hasSuffix("(notify)") })
    }

    @Test func showsOneConnectorsResourcesAndFields() throws {
        let output = try CLI.run(["connectors", "hubspot"])
        #expect(output.status == 0)
        #expect(output.stdout.hasPrefix("## hubspot"))
        #expect(output.stdout.contains("`contacts`"))
        #expect(output.stdout.contains("`email`"))
    }

    @Test func unknownConnectorSuggestsTheClosest() throws {
        let output = try CLI.run(["connectors", "hubspt"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("did you mean 'hubspot'?"))
    }
}

import Testing
@testable import PlaybookEditor

@Suite struct MessageFramerTests {
    private func framed(_ body: String) -> [UInt8] { Array("Content-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8) }

    private func drain(_ framer: inout MessageFramer) -> [MessageFramer.Frame] {
        var frames: [MessageFramer.Frame] = []
        while let frame = framer.next() { frames.append(frame) }
        return frames
    }

    @Test func messageArrivingOneByteAtATimeComesOutOnceWhole() {
        var framer = MessageFramer()
        var frames: [MessageFramer.Frame] = []
        for byte in framed(#"{"a":"ż"}"#) {
            framer.append([byte])
            frames += drain(&framer)
        }
        #expect(frames == [.message(Array(#"{"a":"ż"}"#.utf8))])
    }

    @Test func severalMessagesInOneReadComeOutInOrder() {
        var framer = MessageFramer()
        framer.append(framed("[1]") + framed("[2]") + framed("[3]").prefix(10))
        #expect(drain(&framer) == [.message(Array("[1]".utf8)), .message(Array("[2]".utf8))])
        framer.append(framed("[3]").dropFirst(10))
        #expect(drain(&framer) == [.message(Array("[3]".utf8))])
    }

    @Test func headerNamesAnyCaseAndOtherHeadersAreAccepted() {
        var framer = MessageFramer()
        framer.append(Array("content-length:  2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}".utf8))
        #expect(drain(&framer) == [.message(Array("{}".utf8))])
    }

    @Test(arguments: [
        ("Content-Type: text/plain\r\n\r\n", "without Content-Length"),
        ("Content-Length: lots\r\n\r\n", "'lots' is not a number"),
        ("Content-Length: -5\r\n\r\n", "'-5' is not a number"),
    ])
    func badHeaderIsReportedAndTheNextMessageStillRead(header: String, reason: String) {
        var framer = MessageFramer()
        framer.append(Array(header.utf8) + framed("{}"))
        let frames = drain(&framer)
        #expect(frames.count == 2)
        guard case .badHeader(let text) = frames.first else { Issue.record("expected a bad header, got \(frames)"); return }
        #expect(text.contains(reason))
        #expect(frames.last == .message(Array("{}".utf8)))
    }

    @Test func bodyOverTheLimitIsSkippedWithoutBeingKept() {
        var framer = MessageFramer(maximumContentLength: 8)
        framer.append(Array("Content-Length: 20\r\n\r\n0123456789".utf8))
        let first = drain(&framer)
        #expect(first.count == 1)
        guard case .badHeader(let reason) = first.first else { Issue.record("expected a refusal"); return }
        #expect(reason.contains("20 bytes"))
        framer.append(Array("0123456789".utf8) + framed("{}"))
        #expect(drain(&framer) == [.message(Array("{}".utf8))])
    }

    @Test func headerThatNeverEndsIsRefusedInsteadOfGrowingForever() {
        var framer = MessageFramer()
        framer.append([UInt8](repeating: UInt8(ascii: "x"), count: MessageFramer.maximumHeaderLength + 1))
        let frames = drain(&framer)
        #expect(frames.count == 1)
        if case .badHeader = frames.first {} else { Issue.record("expected a bad header, got \(frames)") }
        framer.append(framed("{}"))
        #expect(drain(&framer) == [.message(Array("{}".utf8))])
    }
}

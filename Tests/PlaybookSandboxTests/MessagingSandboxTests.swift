import Foundation
import PlaybookSandbox
import Testing

@Suite struct SlackSandboxTests {
    @Test func incomingWebhookAnswersPlainOk() async throws {
        try await withSandbox { _, origin in
            let answer = try await send(.POST, origin + "/slack/services/T000/B000/XXXX", json: #"{"text":"Hot lead: Anna"}"#)
            #expect(answer.status == 200)
            #expect(answer.text == "ok")
            #expect(answer.header("Content-Type")?.hasPrefix("text/plain") == true)
            let empty = try await send(.POST, origin + "/slack/services/T000/B000/XXXX", json: #"{"username":"x"}"#)
            #expect(empty.status == 400)
            #expect(empty.text == "invalid_payload")
        }
    }

    @Test func postMessageChecksTokenAndChannel() async throws {
        try await withSandbox { _, origin in
            let url = origin + "/slack/api/chat.postMessage"
            let unauthenticated = try await send(.POST, url, json: #"{"channel":"C1","text":"hi"}"#)
            #expect(unauthenticated.status == 200)
            #expect(unauthenticated.json?["error"]?.stringValue == "not_authed")
            let noChannel = try await send(.POST, url, headers: [("Authorization", "Bearer xoxb-1")], json: #"{"text":"hi"}"#)
            #expect(noChannel.json?["ok"]?.boolValue == false)
            #expect(noChannel.json?["error"]?.stringValue == "channel_not_found")
            let sent = try await send(.POST, url, headers: [("Authorization", "Bearer xoxb-1")], json: #"{"channel":"C0123","text":"hi"}"#)
            #expect(sent.json?["ok"]?.boolValue == true)
            #expect(sent.json?["channel"]?.stringValue == "C0123")
            #expect(sent.json?["ts"]?.stringValue?.contains(".") == true)
            #expect(sent.json?["message"]?["text"]?.stringValue == "hi")
        }
    }

    @Test func burstsBeyondTheLimitGet429WithRetryAfterSeconds() async throws {
        var limits = SandboxLimits()
        limits.slackMessagesPerWindow = 2
        limits.slackWindowSeconds = 30
        try await withSandbox(limits: limits) { _, origin in
            var statuses: [Int] = []
            var retryAfter: String?
            for _ in 0..<3 {
                let answer = try await send(.POST, origin + "/slack/services/T1/B1/secret", json: #"{"text":"x"}"#)
                statuses.append(answer.status)
                retryAfter = answer.header("Retry-After")
            }
            #expect(statuses == [200, 200, 429])
            let seconds = try #require(retryAfter.flatMap(Int.init))
            #expect(seconds >= 1 && seconds <= 30)
        }
    }
}

@Suite struct SendGridSandboxTests {
    static let mail = """
        {"personalizations":[{"to":[{"email":"anna@example.com","name":"Anna"}]}],"from":{"email":"team@example.com"},
         "subject":"Welcome","content":[{"type":"text/plain","value":"Hello"}]}
        """

    @Test func mailSendAccepts202WithMessageIdAndRateHeaders() async throws {
        try await withSandbox { _, origin in
            let answer = try await send(.POST, origin + "/sendgrid/v3/mail/send", headers: bearer, json: Self.mail)
            #expect(answer.status == 202)
            #expect(answer.body.isEmpty)
            #expect(answer.header("X-Message-Id")?.isEmpty == false)
            #expect(answer.header("X-RateLimit-Limit") == "600")
            #expect(answer.header("X-RateLimit-Remaining") == "599")
            let reset = try #require(answer.header("X-RateLimit-Reset").flatMap(Int.init))
            #expect(reset > Int(Date().timeIntervalSince1970))
        }
    }

    @Test func missingKeyAndInvalidBodiesGetSendGridErrors() async throws {
        try await withSandbox { _, origin in
            let unauthenticated = try await send(.POST, origin + "/sendgrid/v3/mail/send", json: Self.mail)
            #expect(unauthenticated.status == 401)
            #expect(unauthenticated.json?["errors"]?.arrayValue?.first?["message"]?.stringValue == "authorization required")
            let invalid = try await send(
                .POST, origin + "/sendgrid/v3/mail/send", headers: bearer,
                json: #"{"personalizations":[{"to":[{"email":"nobody"}]}],"from":{"email":"team@example.com"},"subject":"x","content":[{"type":"text/plain","value":"y"}]}"#)
            #expect(invalid.status == 400)
            let error = try #require(invalid.json?["errors"]?.arrayValue?.first)
            #expect(error["field"]?.stringValue == "personalizations.0.to.0.email")
            #expect(error["help"]?.stringValue?.isEmpty == false)
        }
    }

    @Test func overTheLimitGets429WithSendGridBody() async throws {
        var limits = SandboxLimits()
        limits.sendGridPerMinute = 1
        try await withSandbox(limits: limits) { _, origin in
            _ = try await send(.POST, origin + "/sendgrid/v3/mail/send", headers: bearer, json: Self.mail)
            let refused = try await send(.POST, origin + "/sendgrid/v3/mail/send", headers: bearer, json: Self.mail)
            #expect(refused.status == 429)
            #expect(refused.json?["errors"]?.arrayValue?.first?["message"]?.stringValue == "too many requests")
            #expect(refused.json?["errors"]?.arrayValue?.first?["field"] == .null)
            #expect(refused.header("X-RateLimit-Remaining") == "0")
        }
    }
}

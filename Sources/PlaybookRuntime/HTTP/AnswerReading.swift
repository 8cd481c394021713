import Diagnostics
import Foundation
import PlaybookLanguage

/// What an answer says about the connection's pace and about trying the call again, read by the
/// rate-limit signals the connector's platform sends.
struct AnswerReading: Equatable {
    /// The call failed because a limit was reached (even when the status is not 429).
    var rateLimited = false
    /// The platform asked for exactly this wait before the next call.
    var retryAfter: Duration?
    /// Every call of the connection should wait this long (a usage header near its ceiling).
    var pause: Duration?
    /// The platform's own counter: calls left until the reset.
    var remaining: (count: Int, resetIn: Duration)?

    static func == (lhs: AnswerReading, rhs: AnswerReading) -> Bool {
        lhs.rateLimited == rhs.rateLimited && lhs.retryAfter == rhs.retryAfter && lhs.pause == rhs.pause
            && lhs.remaining?.count == rhs.remaining?.count && lhs.remaining?.resetIn == rhs.remaining?.resetIn
    }

    /// Reads `answer` (with its body parsed as JSON when it is JSON) by `signals`; `now` is the
    /// wall-clock time, for resets given as epoch seconds and `Retry-After` dates.
    init(_ answer: HTTPAnswer, json: JSONValue?, signals: [RateLimitSignal], now: Date) {
        if answer.status == 429 { rateLimited = true }
        for signal in signals {
            switch signal {
            case .bare429:
                break
            case .retryAfter(let unit):
                guard answer.status == 429 || answer.status == 503, let header = answer.header("Retry-After") else { continue }
                rateLimited = true
                retryAfter = Self.retryAfter(header, unit: unit, now: now) ?? retryAfter
            case .rateLimitHeaders(_, let remainingHeader, let resetHeader, let resetIsEpoch):
                guard let remaining = answer.header(remainingHeader).flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) else { continue }
                var resetIn = Duration.seconds(1)
                if let reset = answer.header(resetHeader).flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }) {
                    resetIn = .seconds(max(0, resetIsEpoch ? reset - now.timeIntervalSince1970 : reset))
                }
                self.remaining = (remaining, resetIn)
                if answer.status == 429, remaining <= 0 { retryAfter = retryAfter ?? resetIn }
            case .googleRetryDelay:
                guard let error = json?["error"] else { continue }
                let status = JSONPath.text(error["status"])
                guard answer.status == 429 || status == "RESOURCE_EXHAUSTED" else { continue }
                rateLimited = true
                if let delay = Self.firstMember(named: "retryDelay", in: error).flatMap(JSONPath.text).flatMap(Self.googleDuration) {
                    retryAfter = delay
                }
            case .usageHeaders(let headers, let errorCodes):
                var highest = 0.0
                var regainMinutes = 0.0
                for name in headers {
                    guard let text = answer.header(name), let usage = try? JSONValue(parsing: text) else { continue }
                    highest = max(highest, Self.highestPercentage(in: usage))
                    regainMinutes = max(regainMinutes, Self.number(named: "estimated_time_to_regain_access", in: usage) ?? 0)
                }
                let regain: Duration? = regainMinutes > 0 ? .seconds(regainMinutes * 60) : nil
                if highest >= 95 { pause = regain ?? .seconds(60) }
                if let code = json?["error"]?["code"], case .int(let number) = code, errorCodes.contains(Int(number)) {
                    rateLimited = true
                    retryAfter = regain ?? retryAfter
                }
            case .usageCounter(let header, let errorCode):
                let usage = answer.header(header).flatMap(Self.usageCounter)
                let spent = usage.map { $0.used >= $0.limit } ?? true
                if let usage, usage.used >= usage.limit { pause = .seconds(3600) }
                if case .array(let errors)? = json, errors.contains(where: { JSONPath.text($0["errorCode"]) == errorCode }) {
                    rateLimited = true
                    // With the day's allowance spent (it is counted over a rolling day), waiting an hour is
                    // the least that can help; with some left, too many calls ran at once: back off.
                    if spent { retryAfter = .seconds(3600) }
                }
            }
        }
    }

    /// `Retry-After` as a number of `unit`s or an HTTP date.
    static func retryAfter(_ header: String, unit: TimeUnit, now: Date) -> Duration? {
        let text = header.trimmingCharacters(in: .whitespaces)
        if let number = Double(text), number >= 0, number.isFinite {
            return unit == .milliseconds ? .milliseconds(Int64(number)) : .seconds(number)
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        return .seconds(max(0, date.timeIntervalSince(now)))
    }

    /// Google's protobuf duration text, such as `"12s"` or `"0.5s"`.
    static func googleDuration(_ text: String) -> Duration? {
        guard text.hasSuffix("s"), let seconds = Double(text.dropLast()), seconds >= 0, seconds.isFinite else { return nil }
        return .seconds(seconds)
    }

    /// `api-usage=18/5000` as used and limit.
    static func usageCounter(_ text: String) -> (used: Int, limit: Int)? {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        let parts = text[text.index(after: equals)...].split(separator: "/")
        guard parts.count == 2, let used = Int(parts[0]), let limit = Int(parts[1].prefix { $0.isNumber }) else { return nil }
        return (used, limit)
    }

    private static let percentageKeys: Set<String> = ["call_count", "total_cputime", "total_time", "acc_id_util_pct", "app_id_util_pct"]

    private static func highestPercentage(in value: JSONValue) -> Double {
        switch value {
        case .object(let members):
            return members.reduce(0) { highest, member in
                if percentageKeys.contains(member.0), let number = numeric(member.1) { return max(highest, number) }
                return max(highest, highestPercentage(in: member.1))
            }
        case .array(let elements):
            return elements.reduce(0) { max($0, highestPercentage(in: $1)) }
        default:
            return 0
        }
    }

    private static func number(named name: String, in value: JSONValue) -> Double? {
        firstMember(named: name, in: value).flatMap(numeric)
    }

    private static func firstMember(named name: String, in value: JSONValue) -> JSONValue? {
        switch value {
        case .object(let members):
            for member in members {
                if member.0 == name { return member.1 }
                if let found = firstMember(named: name, in: member.1) { return found }
            }
            return nil
        case .array(let elements):
            for element in elements {
                if let found = firstMember(named: name, in: element) { return found }
            }
            return nil
        default:
            return nil
        }
    }

    private static func numeric(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .double(let number): number
        case .string(let text): Double(text)
        default: nil
        }
    }
}

/// A platform's answer that says the call failed.
public struct PlatformError: RetryableError, CustomStringConvertible {
    /// The connection called.
    public var connection: String
    /// The call, as `METHOD URL` with secrets masked.
    public var call: String
    public var status: Int
    /// The platform's error code, if it gave one.
    public var code: String?
    /// The platform's message, or the start of the body.
    public var message: String
    public var retryAdvice: RetryAdvice

    public var description: String {
        var text = "\(connection): \(call) answered \(status)"
        if let code { text += " \(code)" }
        if !message.isEmpty { text += ": \(message)" }
        return text
    }
}

/// An answer that cannot be read as the connector spec says it should be.
public struct UnreadableAnswer: RetryableError, CustomStringConvertible {
    public var connection: String
    public var call: String
    public var problem: String
    /// A truncated body is worth another try; a body of the wrong shape is not.
    public var retryAdvice: RetryAdvice

    public var description: String { "\(connection): the answer to \(call) \(problem)" }
}

/// A platform asked to wait longer than the step's retry budget allows: the call fails at once.
public struct RetryBudgetExceeded: Error, CustomStringConvertible {
    public var wait: Duration
    public var budget: Duration
    public var underlying: String

    public var description: String {
        "\(underlying); the platform asks to wait \(Self.seconds(wait)) s, longer than the retry budget (max_elapsed \(Self.seconds(budget)) s), so the call was not tried again"
    }

    private static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return value == value.rounded() ? String(Int64(value)) : String(format: "%.1f", value)
    }
}

import Diagnostics
import PlaybookLanguage

/// Where the reading of a paged resource stands, as a state machine: after each page it takes the
/// answer and the number of records on it, and says whether another page follows and how to ask
/// for it. The last page is known by the platform's own rule; a token or address that comes back
/// a second time is an error, never an endless loop.
struct Paginator {
    let pagination: HTTPPagination
    let shortPageIsLast: Bool
    let pageSize: Int?
    /// A path only pages followed by another have.
    var lastPageWithout: String?
    private(set) var token: String?
    private(set) var offset = 0
    private(set) var nextURL: String?
    private(set) var isFinished = false
    private var seen: Set<String> = []

    init(pagination: HTTPPagination, shortPageIsLast: Bool, pageSize: Int?) {
        self.pagination = pagination
        self.shortPageIsLast = shortPageIsLast
        self.pageSize = pageSize
    }

    /// Takes the answer of the page just read, with `count` records on it.
    mutating func advance(answer: JSONValue, count: Int) throws(PaginationLoop) {
        if shortPageIsLast, let pageSize, count < pageSize {
            isFinished = true
            return
        }
        if let lastPageWithout, JSONPath.text(JSONPath.value(at: lastPageWithout, in: answer)).map({ $0.isEmpty }) ?? true {
            isFinished = true
            return
        }
        switch pagination {
        case .none:
            isFinished = true
        case .token(let next, _):
            guard let value = JSONPath.text(JSONPath.value(at: next, in: answer)), !value.isEmpty else {
                isFinished = true
                return
            }
            guard seen.insert(value).inserted else { throw PaginationLoop(what: "page token", value: value) }
            token = value
        case .nextURL(let next, let done):
            if let done, case .bool(true)? = JSONPath.value(at: done, in: answer) {
                isFinished = true
                return
            }
            guard let value = JSONPath.text(JSONPath.value(at: next, in: answer)), !value.isEmpty else {
                isFinished = true
                return
            }
            guard seen.insert(value).inserted else { throw PaginationLoop(what: "next-page address", value: value) }
            nextURL = value
        case .offset(_, _, let total):
            offset += count
            if count == 0 {
                isFinished = true
            } else if let total {
                let known: Int? = switch JSONPath.value(at: total, in: answer) {
                case .int(let number)?: Int(number)
                case .string(let text)?: Int(text)
                default: nil
                }
                if let known { isFinished = offset >= known } else if let pageSize { isFinished = count < pageSize }
            } else if let pageSize {
                isFinished = count < pageSize
            }
        }
    }

    /// Where the read stands, to go on from in another process.
    var position: JSONValue {
        var members: [(String, JSONValue)] = [("offset", .int(Int64(offset))), ("finished", .bool(isFinished))]
        if let token { members.append(("token", .string(token))) }
        if let nextURL { members.append(("next_url", .string(nextURL))) }
        return .object(members)
    }

    /// Goes on from a position `position` gave.
    mutating func resume(at position: JSONValue) throws(UnusablePosition) {
        guard case .int(let offset)? = position["offset"], offset >= 0, case .bool(let finished)? = position["finished"] else {
            throw UnusablePosition(position: position.text)
        }
        self.offset = Int(offset)
        isFinished = finished
        token = JSONPath.text(position["token"])
        nextURL = JSONPath.text(position["next_url"])
    }

    /// The request of the next page: `request` with the page's position placed as the style says.
    func request(_ request: HTTPRequestTemplate) -> HTTPRequestTemplate {
        var request = request
        switch pagination {
        case .token(_, let placement) where token != nil:
            place("{page.token}", placement, in: &request)
        case .offset(let offsetPlacement, let sizePlacement, _):
            place("{page.offset}", offsetPlacement, in: &request)
            if pageSize != nil { place("{page.size}", sizePlacement, in: &request) }
        default:
            break
        }
        return request
    }

    /// The template values of the next page.
    var values: JSONValue {
        var members: [(String, JSONValue)] = [("offset", .int(offset))]
        if let pageSize { members.append(("size", .int(pageSize))) }
        if let token { members.append(("token", .string(token))) }
        return .object(members)
    }

    private func place(_ placeholder: String, _ placement: HTTPPlacement, in request: inout HTTPRequestTemplate) {
        switch placement {
        case .query(let name):
            request.query.removeAll { $0.name == name }
            request.query.append(HTTPHeaderTemplate(name, placeholder))
        case .body(let path):
            request.body = JSONPath.setting(.string(placeholder), at: path, in: request.body ?? .object([]))
        }
    }
}

/// A checkpoint that is not a position this reader gave (a state file written by hand, or damaged).
struct UnusablePosition: Error, CustomStringConvertible {
    var position: String
    var description: String { "the checkpoint \(LineProblem.cut(position)) is not a read position; run the playbook anew instead of resuming it" }
}

/// A platform sent the same page position twice.
struct PaginationLoop: Error, CustomStringConvertible {
    var what: String
    var value: String

    var description: String {
        "the platform sent the same \(what) twice (\(LineProblem.cut(value))); reading stopped instead of going round in a loop"
    }
}

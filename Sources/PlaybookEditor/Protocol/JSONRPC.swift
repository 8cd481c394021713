import Diagnostics

/// The error codes of JSON-RPC 2.0 and the Language Server Protocol that the server sends.
enum JSONRPCErrorCode: Int, Sendable {
    case parseError = -32700
    case invalidRequest = -32600
    case methodNotFound = -32601
    case invalidParams = -32602
    /// LSP: a request before `initialize`.
    case serverNotInitialized = -32002
}

/// One message from the client, as JSON-RPC 2.0 defines them.
enum IncomingMessage {
    /// A request: the client waits for a response with the same id.
    case request(id: JSONValue, method: String, params: JSONValue)
    /// A notification: no response.
    case notification(method: String, params: JSONValue)
    /// A response to a request of the server's; the server sends none, so these are ignored.
    case response

    /// Reads a message body, or gives the error response to send back.
    static func parse(_ body: [UInt8]) -> Result<IncomingMessage, RPCError> {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: String(decoding: body, as: UTF8.self))
        } catch {
            return .failure(RPCError(id: .null, code: .parseError, message: "the message is not JSON: \(error.message)"))
        }
        guard case .object = value else {
            return .failure(RPCError(id: .null, code: .invalidRequest, message: "a message must be a JSON object"))
        }
        let id = value["id"]
        if let id, !id.isValidID {
            return .failure(RPCError(id: .null, code: .invalidRequest, message: "a request id must be a number or a string"))
        }
        guard let method = value["method"] else {
            if value["result"] != nil || value["error"] != nil { return .success(.response) }
            return .failure(RPCError(id: id ?? .null, code: .invalidRequest, message: "a message without a method"))
        }
        guard case .string(let name) = method else {
            return .failure(RPCError(id: id ?? .null, code: .invalidRequest, message: "the method must be a string"))
        }
        let params = value["params"] ?? .null
        if let id { return .success(.request(id: id, method: name, params: params)) }
        return .success(.notification(method: name, params: params))
    }
}

/// An error answer to a request.
struct RPCError: Error {
    var id: JSONValue
    var code: JSONRPCErrorCode
    var message: String

    var response: JSONValue {
        .object([
            ("jsonrpc", .string("2.0")),
            ("id", id),
            ("error", .object([("code", .int(code.rawValue)), ("message", .string(message))])),
        ])
    }
}

enum RPC {
    static func response(id: JSONValue, result: JSONValue) -> JSONValue {
        .object([("jsonrpc", .string("2.0")), ("id", id), ("result", result)])
    }

    static func notification(_ method: String, _ params: JSONValue) -> JSONValue {
        .object([("jsonrpc", .string("2.0")), ("method", .string(method)), ("params", params)])
    }
}

extension JSONValue {
    var isValidID: Bool {
        switch self {
        case .int, .string, .null: true
        default: false
        }
    }

    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var intValue: Int? {
        switch self {
        case .int(let number): Int(exactly: number)
        case .double(let number): Int(exactly: number)
        default: nil
        }
    }

    var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    subscript(path first: String, _ rest: String...) -> JSONValue? {
        var value = self[first]
        for key in rest { value = value?[key] }
        return value
    }
}

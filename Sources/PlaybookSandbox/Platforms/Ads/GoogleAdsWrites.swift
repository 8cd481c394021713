import Diagnostics
import Foundation

/// Google Ads writes: campaign and budget mutates, click conversion uploads and Customer Match jobs, with
/// `partialFailure` as Google Ads answers it.
extension GoogleAdsSandbox {
    static let maximumMutateOperations = 10_000
    static let maximumConversions = 2_000

    /// One operation's error, placed at `operations[index]` (or `conversions[index]`).
    private func operationError(_ code: JSONValue, _ message: String, field: String, index: Int) -> JSONValue {
        [
            "errorCode": code, "message": .string(message),
            "location": ["fieldPathElements": [["fieldName": .string(field), "index": .int(index)]]],
        ]
    }

    private func partialFailureError(_ errors: [JSONValue], version: String) -> JSONValue {
        [
            "code": 3, "message": .string("Multiple errors in 'details'. First error: \(errors.first?["message"]?.stringValue ?? "")"),
            "details": [
                [
                    "@type": .string("type.googleapis.com/google.ads.googleads.\(version).errors.GoogleAdsFailure"),
                    "errors": .array(errors), "requestId": .string(ids.token(22)),
                ]
            ],
        ]
    }

    /// Applies valid operations when `partialFailure` is on; otherwise any error refuses the whole request.
    func mutate(resource: String, request: SandboxRequest, version: String) -> SandboxReply {
        guard let operations = request.json?["operations"]?.arrayValue, !operations.isEmpty else {
            return adsFailure(400, status: "INVALID_ARGUMENT", code: ["mutateError": "EMPTY_MUTATE_REQUEST"], message: "The request needs operations.", version: version)
        }
        guard operations.count <= Self.maximumMutateOperations else {
            return adsFailure(400, status: "INVALID_ARGUMENT", code: ["databaseError": "TOO_MANY_MUTATE_OPERATIONS"], message: "Too many mutate operations: at most \(Self.maximumMutateOperations).", version: version)
        }
        let partialFailure = request.json?["partialFailure"]?.boolValue ?? false
        let validateOnly = request.json?["validateOnly"]?.boolValue ?? false
        let prefix = "customers/\(Self.customerID)/\(resource)/"
        var changes: [(id: String, value: JSONValue)] = []
        var results: [JSONValue] = []
        var errors: [JSONValue] = []
        for (index, operation) in operations.enumerated() {
            guard let update = operation["update"], let name = update["resourceName"]?.stringValue, name.hasPrefix(prefix),
                campaignIDs.contains(String(name.dropFirst(prefix.count)))
            else {
                errors.append(operationError(["mutateError": "RESOURCE_NOT_FOUND"], "Resource was not found.", field: "operations", index: index))
                results.append([:])
                continue
            }
            let id = String(name.dropFirst(prefix.count))
            if resource == "campaigns" {
                guard let status = update["status"]?.stringValue, ["ENABLED", "PAUSED", "REMOVED"].contains(status) else {
                    errors.append(operationError(["fieldError": "INVALID_VALUE"], "The field's value is invalid: status must be ENABLED, PAUSED or REMOVED.", field: "operations", index: index))
                    results.append([:])
                    continue
                }
                changes.append((id, .string(status)))
            } else {
                guard let micros = update["amountMicros"]?.intValue, micros > 0, micros % 10_000 == 0 else {
                    errors.append(operationError(["campaignBudgetError": "NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT"], "The budget amount must be a positive multiple of the minimum currency unit.", field: "operations", index: index))
                    results.append([:])
                    continue
                }
                changes.append((id, .int(micros)))
            }
            results.append(["resourceName": .string(name)])
        }
        if !errors.isEmpty, !partialFailure {
            return .json(400, ["error": ["code": 400, "message": "Request contains an invalid argument.", "status": "INVALID_ARGUMENT", "details": partialFailureError(errors, version: version)["details"]!]])
        }
        if !validateOnly {
            state.withLock { state in
                for (id, value) in changes {
                    if resource == "campaigns" { state.statuses[id] = value.stringValue } else { state.budgets[id] = value.intValue }
                }
            }
        }
        var body: [(String, JSONValue)] = [("results", .array(results))]
        if !errors.isEmpty { body.append(("partialFailureError", partialFailureError(errors, version: version))) }
        return .json(200, .object(body))
    }

    /// Click conversions: a repeated `orderId` is dropped without error, as Google does, so retries are safe.
    func uploadClickConversions(_ request: SandboxRequest, version: String) -> SandboxReply {
        guard let conversions = request.json?["conversions"]?.arrayValue, !conversions.isEmpty else {
            return adsFailure(400, status: "INVALID_ARGUMENT", code: ["requestError": "REQUIRED_FIELD_MISSING"], message: "The request needs conversions.", version: version)
        }
        guard conversions.count <= Self.maximumConversions else {
            return adsFailure(400, status: "INVALID_ARGUMENT", code: ["conversionUploadError": "TOO_MANY_CONVERSIONS_IN_REQUEST"], message: "At most \(Self.maximumConversions) conversions per request.", version: version)
        }
        guard request.json?["partialFailure"]?.boolValue == true else {
            return adsFailure(400, status: "INVALID_ARGUMENT", code: ["requestError": "INVALID_INPUT"], message: "partialFailure must be true for uploadClickConversions.", version: version)
        }
        let pattern = #"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$"#
        var results: [JSONValue] = []
        var errors: [JSONValue] = []
        state.withLock { state in
            for (index, conversion) in conversions.enumerated() {
                guard let gclid = conversion["gclid"]?.stringValue, !gclid.isEmpty else {
                    errors.append(operationError(["conversionUploadError": "UNPARSEABLE_GCLID"], "The click id could not be parsed.", field: "conversions", index: index))
                    results.append([:])
                    continue
                }
                let time = conversion["conversionDateTime"]?.stringValue ?? ""
                guard time.range(of: pattern, options: .regularExpression) != nil else {
                    errors.append(operationError(["dateError": "INVALID_STRING_DATE_TIME_SECONDS_WITH_OFFSET"], "conversionDateTime must look like yyyy-mm-dd hh:mm:ss+hh:mm.", field: "conversions", index: index))
                    results.append([:])
                    continue
                }
                if let order = conversion["orderId"]?.stringValue, !order.isEmpty { state.orderIDs.insert(order) }
                results.append(["gclid": .string(gclid), "conversionAction": conversion["conversionAction"] ?? nil, "conversionDateTime": .string(time)])
            }
        }
        var body: [(String, JSONValue)] = [("results", .array(results))]
        if !errors.isEmpty { body.append(("partialFailureError", partialFailureError(errors, version: version))) }
        return .json(200, .object(body))
    }

    /// Customer Match: create a job, add operations (hashed identifiers), run it.
    func userDataJob(_ route: Route, request: SandboxRequest, version: String) -> SandboxReply {
        let prefix = "customers/\(Self.customerID)/offlineUserDataJobs/"
        switch route {
        case .createJob:
            guard request.json?["job"]?["type"]?.stringValue == "CUSTOMER_MATCH_USER_LIST" else {
                return adsFailure(400, status: "INVALID_ARGUMENT", code: ["offlineUserDataJobError": "INVALID_JOB_TYPE"], message: "The sandbox creates CUSTOMER_MATCH_USER_LIST jobs.", version: version)
            }
            let id = state.withLock { state -> String in
                let id = String(7_000_000 + state.nextJob)
                state.nextJob += 1
                state.jobs[id] = (0, false)
                return id
            }
            return .json(200, ["resourceName": .string(prefix + id)])
        case .addOperations(let job):
            let operations = request.json?["operations"]?.arrayValue ?? []
            let hashed = #"^[0-9a-f]{64}$"#
            let invalid = operations.firstIndex { operation in
                let identifiers = (operation["create"] ?? operation["remove"])?["userIdentifiers"]?.arrayValue ?? []
                return identifiers.isEmpty || identifiers.contains { identifier in
                    guard let value = identifier["hashedEmail"]?.stringValue ?? identifier["hashedPhoneNumber"]?.stringValue else {
                        return identifier["addressInfo"] == nil
                    }
                    return value.range(of: hashed, options: .regularExpression) == nil
                }
            }
            if let invalid {
                return adsFailure(400, status: "INVALID_ARGUMENT", code: ["offlineUserDataJobError": "INVALID_SHA256_FORMAT"], message: "operations[\(invalid)]: identifiers must be lower-case hex SHA-256.", version: version)
            }
            let found = state.withLock { state -> Bool in
                guard let current = state.jobs[job], !current.running else { return false }
                state.jobs[job] = (current.operations + operations.count, false)
                return true
            }
            return found ? .json(200, [:]) : adsFailure(400, status: "INVALID_ARGUMENT", code: ["offlineUserDataJobError": "INVALID_JOB_STATUS"], message: "The job does not exist or is already running.", version: version)
        case .runJob(let job):
            let found = state.withLock { state -> Bool in
                guard let current = state.jobs[job], !current.running else { return false }
                state.jobs[job] = (current.operations, true)
                return true
            }
            guard found else {
                return adsFailure(400, status: "INVALID_ARGUMENT", code: ["offlineUserDataJobError": "INVALID_JOB_STATUS"], message: "The job does not exist or is already running.", version: version)
            }
            return .json(200, ["name": .string("customers/\(Self.customerID)/operations/\(job)"), "done": true])
        case .search, .mutate, .uploadClickConversions:
            return googleError(404, status: "NOT_FOUND", message: "The requested URL was not found on this server.", version: version)
        }
    }
}

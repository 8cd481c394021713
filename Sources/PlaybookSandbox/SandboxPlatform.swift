import Foundation

/// What a write request does, for the journal.
struct WriteDescription: Sendable {
    let resource: String
    let operation: String
}

/// What a platform knows about the moment it answers.
struct RequestMoment: Sendable {
    let now: Date
    /// Requests to this platform in flight, this one included.
    let inFlight: Int
}

/// One imitated platform, served under `/<name>/` on the sandbox's port.
protocol SandboxPlatform: Sendable {
    /// The path prefix and the journal's platform name: `hubspot`, `slack`, …
    var name: String { get }
    /// A path to show beside the base URL when the sandbox starts, e.g. `crm/v3/objects/contacts`.
    var examplePath: String { get }
    /// The write `request` would make, or nil for a read.
    func write(of request: SandboxRequest) -> WriteDescription?
    /// The platform's answer; writes change the data.
    func handle(_ request: SandboxRequest, at moment: RequestMoment) -> SandboxReply
    /// An injected rate-limit or server-error answer in the platform's own shape.
    func faultReply(_ fault: InjectedFault, to request: SandboxRequest, at now: Date) -> SandboxReply
}

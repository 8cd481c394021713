import Diagnostics
import Foundation
import PlaybookLanguage
import PlaybookRuntime

/// A schedule trigger of a served playbook.
public struct ServedSchedule: Sendable {
    /// The schedule's name in the state file and in `trigger.schedule`: its cron text and time zone.
    public var key: ScheduleKey
    public var cron: CronSchedule
    public var timeZone: TimeZone
    public var catchUp: CatchUpPolicy
    /// The most missed runs `catch_up: all` replays.
    public var catchUpLimit: Int
    public var concurrency: ConcurrencyPolicy
}

/// A webhook trigger of a served playbook.
public struct ServedWebhook: Sendable {
    public var webhook: Webhook
    public var concurrency: ConcurrencyPolicy
    public var path: String { webhook.path.value }
    /// The largest body taken, in bytes.
    public var maxBody: Int { webhook.maxBodyBytes ?? WebhookLimits.defaultMaxBody }
}

/// A schedule's name: its cron text and time zone, such as `0 9 * * MON-FRI Europe/Warsaw`.
public struct ScheduleKey: Hashable, Sendable, CustomStringConvertible {
    public let text: String

    public init(_ schedule: Schedule) {
        text = schedule.cron.value.text + " " + (schedule.timeZone?.value.identifier ?? "UTC")
    }

    public var description: String { text }
}

/// A playbook the server runs: its file, its plan and its triggers.
public struct ServedPlaybook: Sendable {
    public let file: String
    public let plan: Plan
    /// The SHA-256 of the file, recorded with each run.
    public let contentHash: String
    public let schedules: [ServedSchedule]
    public let webhooks: [ServedWebhook]

    public var name: String { plan.name }
    /// The folder relative paths in the playbook start at.
    public var folder: String {
        let folder = (file as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    init(file: String, plan: Plan, contentHash: String) {
        self.file = file
        self.plan = plan
        self.contentHash = contentHash
        var schedules: [ServedSchedule] = []
        var webhooks: [ServedWebhook] = []
        for trigger in plan.triggers {
            switch trigger.kind {
            case .schedule(let schedule):
                schedules.append(ServedSchedule(
                    key: ScheduleKey(schedule), cron: schedule.cron.value,
                    timeZone: schedule.timeZone?.value.timeZone ?? TimeZone(identifier: "UTC")!,
                    catchUp: schedule.catchUp, catchUpLimit: schedule.catchUpLimit ?? ServedPlaybook.defaultCatchUpLimit,
                    concurrency: trigger.concurrency))
            case .webhook(let webhook):
                webhooks.append(ServedWebhook(webhook: webhook, concurrency: trigger.concurrency))
            case .manual:
                break
            }
        }
        self.schedules = schedules
        self.webhooks = webhooks
    }

    /// How many missed runs `catch_up: all` replays when the playbook does not say.
    public static let defaultCatchUpLimit = 10
}

/// A playbook file the server could not load, with why.
public struct RejectedPlaybook: Sendable {
    public let file: String
    /// The problems, as `playbook validate` prints them.
    public let problems: String
}

/// The playbooks of a folder, as the server loaded them at one moment.
public struct PlaybookCatalog: Sendable {
    public let folder: String
    public let playbooks: [ServedPlaybook]
    public let rejected: [RejectedPlaybook]
    /// Each webhook path, with its playbook and trigger.
    public let routes: [String: (playbook: ServedPlaybook, webhook: ServedWebhook)]
    /// A digest of every file's name and bytes, to tell when the folder changed.
    public let fingerprint: String

    /// An empty catalogue, before the first load.
    public static func empty(folder: String) -> PlaybookCatalog {
        PlaybookCatalog(folder: folder, playbooks: [], rejected: [], routes: [:], fingerprint: "")
    }

    /// Loads every playbook in `folder` (searched as `playbook validate` searches it). A playbook
    /// that is invalid, that needs a param no trigger can give, or whose name or webhook path an
    /// earlier file (in path order) already has, is rejected with the reason; the others are served.
    public static func load(folder: String) -> PlaybookCatalog {
        let files: [String]
        do {
            files = try FileCollection.playbookFiles(in: [folder])
        } catch let error as FileCollection.Unreadable {
            return PlaybookCatalog(folder: folder, playbooks: [], rejected: [RejectedPlaybook(file: error.path, problems: error.reason)],
                                   routes: [:], fingerprint: "unreadable")
        } catch {
            return PlaybookCatalog(folder: folder, playbooks: [], rejected: [RejectedPlaybook(file: folder, problems: "\(error)")],
                                   routes: [:], fingerprint: "unreadable")
        }
        var playbooks: [ServedPlaybook] = []
        var rejected: [RejectedPlaybook] = []
        var routes: [String: (playbook: ServedPlaybook, webhook: ServedWebhook)] = [:]
        var held = FolderClaims()
        var fingerprint: [String] = []
        for file in files {
            guard let bytes = FileCollection.contents(of: file) else {
                rejected.append(RejectedPlaybook(file: file, problems: "\(file): cannot be read"))
                continue
            }
            let hash = RunSession.contentHash(of: bytes)
            fingerprint.append(file + " " + hash)
            let result = PlaybookValidator().validate(SourceFile(path: file, bytes: bytes))
            let errors = result.allFileDiagnostics.contains { $0.diagnostics.contains { $0.severity == .error } }
            guard let plan = result.plan, !errors else {
                let report = DiagnosticReport(files: result.allFileDiagnostics, catalogue: PlaybookDiagnostics.catalogue, maxPerFile: 20)
                rejected.append(RejectedPlaybook(file: file, problems: TextRenderer(colour: false).render(report)))
                continue
            }
            let served = ServedPlaybook(file: file, plan: plan, contentHash: hash)
            let claims = result.playbook.map { PlaybookClaims($0) }
            if let claims, let clash = held.clash(of: claims) {
                rejected.append(RejectedPlaybook(file: file, problems: "\(file): \(clash.summary)"))
                continue
            }
            if let needed = plan.params.first(where: { $0.required && $0.defaultValue == nil }), !(served.schedules.isEmpty && served.webhooks.isEmpty) {
                rejected.append(RejectedPlaybook(file: file, problems: "\(file): the param '\(needed.name.value)' is required and has no default, and a schedule or webhook cannot give it; give it a `default:`"))
                continue
            }
            if let claims { held.record(claims, of: file) }
            for webhook in served.webhooks { routes[webhook.path] = (served, webhook) }
            playbooks.append(served)
        }
        return PlaybookCatalog(folder: folder, playbooks: playbooks, rejected: rejected, routes: routes,
                               fingerprint: RunSession.contentHash(of: Array(fingerprint.joined(separator: "\n").utf8)))
    }
}

import Foundation

/// Where the state file lives when `--state` is not given.
///
/// It is `.playbook/state.sqlite` in the playbook's folder, beside the dead-letter files: the state
/// belongs to the project, not to the person running it, so a colleague, a CI job and `playbook
/// serve` on that folder all find the same cursors and ledger, and two checkouts of a project never
/// share (and spoil) each other's. A CI job that keeps `.playbook/` between jobs (a cache, a volume)
/// keeps its incremental cursors.
public enum StateLocation {
    /// The folder, relative to the playbook's folder.
    public static let folderName = ".playbook"
    /// The file's name.
    public static let fileName = "state.sqlite"

    /// The default state file for a playbook file: `.playbook/state.sqlite` in the playbook's folder.
    public static func defaultPath(forPlaybookAt playbookPath: String) -> String {
        defaultPath(inDirectory: (playbookPath as NSString).deletingLastPathComponent)
    }

    /// The default state file for the playbooks of a folder (`playbook serve DIR`).
    public static func defaultPath(inDirectory directory: String) -> String {
        let relative = folderName + "/" + fileName
        return directory.isEmpty || directory == "." ? relative : (directory as NSString).appendingPathComponent(relative)
    }
}

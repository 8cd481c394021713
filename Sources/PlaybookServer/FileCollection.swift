import Foundation

/// Expands the paths given on the command line into playbook files, in a stable order.
public enum FileCollection {
    /// A path that does not exist or a folder that cannot be listed.
    public struct Unreadable: Error {
        public let path: String
        public let reason: String
    }

    /// Files are kept as given; folders are searched recursively for `*.yaml` and `*.yml`, following
    /// symbolic links (each real folder once) and skipping hidden entries such as `.git`. Test files
    /// (`*.test.yaml`, `*.test.yml`) found in folders are not playbooks and are left out, and so are
    /// folders named `connectors`, which hold connector specs (checked through the playbooks naming them).
    public static func playbookFiles(in paths: [String]) throws -> [String] {
        try files(in: paths, skippingFolders: ["connectors"]) { isYAML($0) && !isTestFile($0) }
    }

    /// Test files: files are kept as given; folders are searched as for playbooks, for
    /// `*.test.yaml` and `*.test.yml`.
    public static func testFiles(in paths: [String]) throws -> [String] {
        try files(in: paths, matching: isTestFile)
    }

    private static func isYAML(_ name: String) -> Bool {
        ["yaml", "yml"].contains((name as NSString).pathExtension.lowercased())
    }

    private static func isTestFile(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return lowered.hasSuffix(".test.yaml") || lowered.hasSuffix(".test.yml")
    }

    private static func files(in paths: [String], skippingFolders skipped: Set<String> = [], matching wanted: (String) -> Bool) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw Unreadable(path: path, reason: "no such file or directory")
            }
            if isDirectory.boolValue {
                var visited = Set<String>()
                files += try search(path, skipping: skipped, matching: wanted, visited: &visited).sorted()
            } else {
                files.append(path)
            }
        }
        return files
    }

    /// A file's bytes, read through a handle so pipes and process substitution (`<(…)`) work too.
    public static func contents(of path: String) -> [UInt8]? {
        guard let handle = FileHandle(forReadingAtPath: path), let data = try? handle.readToEnd() ?? Data() else { return nil }
        return Array(data)
    }

    private static func search(
        _ directory: String, skipping skipped: Set<String>, matching wanted: (String) -> Bool, visited: inout Set<String>
    ) throws -> [String] {
        let real = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        guard visited.insert(real).inserted else { return [] }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw Unreadable(path: directory, reason: "cannot list the folder")
        }
        var found: [String] = []
        for entry in entries where !entry.hasPrefix(".") {
            let path = directory.hasSuffix("/") ? directory + entry : directory + "/" + entry
            var isDirectory: ObjCBool = false
            // `fileExists` follows symbolic links, so a linked folder is searched and a linked file kept.
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                if skipped.contains(entry) { continue }
                found += try search(path, skipping: skipped, matching: wanted, visited: &visited)
            } else if wanted(entry) {
                found.append(path)
            }
        }
        return found
    }
}

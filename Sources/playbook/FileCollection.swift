import Foundation

/// Expands the paths given on the command line into playbook files, in a stable order.
enum FileCollection {
    struct Missing: Error {
        let path: String
    }

    /// Files are kept as given; directories are searched recursively for `*.yaml` and `*.yml`,
    /// skipping hidden folders such as `.git`.
    static func playbookFiles(in paths: [String]) throws -> [String] {
        var files: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { throw Missing(path: path) }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            var found: [String] = []
            let base = URL(fileURLWithPath: path)
            if let enumerator = manager.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) {
                for case let url as URL in enumerator {
                    let ext = url.pathExtension.lowercased()
                    guard ext == "yaml" || ext == "yml" else { continue }
                    guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
                    let relative = url.path.hasPrefix(base.path + "/") ? String(url.path.dropFirst(base.path.count + 1)) : url.lastPathComponent
                    found.append(path.hasSuffix("/") ? path + relative : path + "/" + relative)
                }
            }
            files += found.sorted()
        }
        return files
    }
}

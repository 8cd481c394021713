extension KnownConnectors {
    /// Local JSON Lines and CSV files, for exports, imports and tests without any platform.
    static let file = ConnectorDescriptor(
        name: "file",
        title: "Local files",
        summary: "Reads and appends JSON Lines (`.jsonl`) and CSV (`.csv`) files in a local directory.",
        capabilities: [.read, .write],
        authSchemes: [],
        options: [
            .init("directory", .string, "Folder the resource names are relative to; relative paths start at the playbook file.", default: "."),
        ],
        genericResource: ResourceDescriptor(
            name: "<file name>",
            summary: "Any file name, e.g. `leads.csv`; the format follows the extension. Sync appends records (insert).",
            syncModes: [.insert],
            fields: [],
            parameters: [
                .init("format", .string, "`jsonl` or `csv`; defaults to the file extension."),
                .init("delimiter", .string, "CSV field separator.", default: ","),
                .init("header", .bool, "Whether the first CSV row names the columns (CSV values are strings).", default: "true"),
            ]
        )
    )
}

extension KnownConnectors {
    /// Local JSON Lines and CSV files, for exports, imports and tests without any platform.
    static let file = ConnectorDescriptor(
        name: "file",
        title: "Local files",
        summary: """
            Reads and appends JSON Lines (`.jsonl`) and CSV (`.csv`) files in a local directory. A fetch can also \
            read a file without a connection: `fetch: { file: data/leads.csv, fields: { … } }`, with the same `params:`. \
            Declared `fields:` type the values; a line that cannot be read is a record error naming the file and line. \
            How each type is written and read back: [file-formats.md](file-formats.md).
            """,
        capabilities: [.read, .write],
        authSchemes: [],
        options: [
            .init("directory", .string, "Folder the resource names are relative to; relative paths start at the playbook file.", default: "."),
        ],
        genericResource: ResourceDescriptor(
            name: "<file name>",
            summary: """
                Any file name, e.g. `leads.csv`, in the connection's `directory`; the format follows the extension. \
                Sync appends whole lines (insert), creating the file and its folder on the first record, \
                and a CSV file's header row when the file is new.
                """,
            syncModes: [.insert],
            fields: [],
            parameters: [
                .init("format", .string, "`jsonl` or `csv`; defaults to the file extension."),
                .init("delimiter", .string, "CSV field separator.", default: ","),
                .init("header", .bool, "Whether the first CSV row names the columns; without one, columns are `column_1`, `column_2`, … (or the declared fields, in order). CSV values are text unless `fields:` types them.", default: "true"),
            ]
        )
    )
}

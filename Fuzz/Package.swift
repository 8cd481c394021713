// swift-tools-version: 6.1
// Fuzz targets for libFuzzer. Built apart from the main package, with the fuzzer and address
// sanitizer: see run.sh and docs/fuzzing.md.
import PackageDescription

let package = Package(
    name: "PlaybookFuzz",
    dependencies: [.package(name: "Playbook", path: "..")],
    targets: [
        .executableTarget(name: "FuzzYAML", dependencies: [.product(name: "PlaybookLanguage", package: "Playbook")]),
        .executableTarget(name: "FuzzCELCheck", dependencies: [.product(name: "PlaybookLanguage", package: "Playbook")]),
        .executableTarget(name: "FuzzCELEval", dependencies: [.product(name: "PlaybookLanguage", package: "Playbook")]),
        .executableTarget(name: "FuzzTemplate", dependencies: [.product(name: "PlaybookLanguage", package: "Playbook")]),
        .executableTarget(name: "FuzzPlaybook", dependencies: [.product(name: "PlaybookLanguage", package: "Playbook")]),
        .executableTarget(
            name: "FuzzRecordFile",
            dependencies: [.product(name: "PlaybookRuntime", package: "Playbook"), .product(name: "PlaybookLanguage", package: "Playbook")]
        ),
    ],
    swiftLanguageModes: [.v6]
)

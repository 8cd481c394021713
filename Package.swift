// swift-tools-version: 6.1
import PackageDescription

/// Release binaries carry the Swift runtime and Foundation inside them: they run on a machine without
/// a Swift toolchain (a CI runner, a container), and the runtime's functions, reference counting above
/// all, are called directly instead of through the dynamic linker's tables, which makes validation
/// about 8 % faster. Debug builds link dynamically, which links faster.
let staticRuntimeInRelease: [LinkerSetting] = [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]
/// Every module of a release build is compiled against the static runtime's modules, as linking it needs.
let compiledForStaticRuntimeInRelease: [SwiftSetting] = [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]

let package = Package(
    name: "Playbook",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "playbook", targets: ["playbook"]),
        .library(name: "PlaybookLanguage", targets: ["PlaybookLanguage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(name: "Diagnostics", swiftSettings: compiledForStaticRuntimeInRelease),
        .target(name: "YAML", dependencies: ["CYAML", "Diagnostics"], swiftSettings: compiledForStaticRuntimeInRelease),
        .target(name: "CEL", dependencies: ["Diagnostics"], swiftSettings: compiledForStaticRuntimeInRelease),
        .target(name: "PlaybookLanguage", dependencies: ["YAML", "CEL", "Diagnostics"], swiftSettings: compiledForStaticRuntimeInRelease),
        .executableTarget(
            name: "playbook",
            dependencies: [
                "PlaybookLanguage", "CEL", "YAML", "Diagnostics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: compiledForStaticRuntimeInRelease,
            linkerSettings: staticRuntimeInRelease
        ),
        .executableTarget(
            name: "playbook-bench",
            dependencies: ["PlaybookLanguage", "CEL", "YAML", "CYAML", "Diagnostics"],
            swiftSettings: compiledForStaticRuntimeInRelease,
            linkerSettings: staticRuntimeInRelease
        ),
        .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics"], exclude: ["Snapshots"]),
        .testTarget(name: "YAMLTests", dependencies: ["YAML", "Diagnostics"]),
        .testTarget(name: "CELTests", dependencies: ["CEL", "Diagnostics"], exclude: ["KnownFailures.txt"]),
        .testTarget(name: "PlaybookLanguageTests", dependencies: ["PlaybookLanguage", "YAML", "CEL", "Diagnostics"]),
        .testTarget(name: "PlaybookCLITests", dependencies: ["playbook"]),
    ],
    swiftLanguageModes: [.v6]
)

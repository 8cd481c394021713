// swift-tools-version: 6.1
import PackageDescription

/// The programs allocate with jemalloc on Linux (Debian's libjemalloc-dev). Records are built on one
/// core and freed on the other; glibc's allocator then makes the two wait for each other's locks,
/// and the `contacts` benchmark took about 45 % longer with it (docs/performance.md).
let jemalloc = LinkerSetting.linkedLibrary("jemalloc", .when(platforms: [.linux]))

let package = Package(
    name: "Playbook",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "playbook", targets: ["playbook"]),
        .library(name: "PlaybookLanguage", targets: ["PlaybookLanguage"]),
        .library(name: "PlaybookRuntime", targets: ["PlaybookRuntime"]),
        .library(name: "PlaybookTesting", targets: ["PlaybookTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // Named for its error types: a connection that never opened sent nothing.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // RE2 (Debian's libre2-dev), for `matches` in linear time, behind a small C API. Linked by name:
        // through pkg-config, re2.pc's `-pthread` would make SwiftPM warn on every build.
        .target(name: "CRE2Shim", linkerSettings: [.linkedLibrary("re2")]),
        // A hint Swift cannot spell: prefetching the bucket of a large table before it is probed.
        .target(name: "CMemoryHints"),
        .target(name: "Diagnostics"),
        .target(name: "YAML", dependencies: ["CYAML", "Diagnostics"]),
        .target(name: "CEL", dependencies: ["CRE2Shim", "Diagnostics"]),
        // The built-in connector specs are embedded in the binary (`PackageResources.hubspot_yaml`, …).
        .target(name: "PlaybookLanguage", dependencies: ["YAML", "CEL", "Diagnostics"], resources: [.embedInCode("Connectors/Specs")]),
        .target(
            name: "PlaybookRuntime",
            dependencies: [
                "PlaybookLanguage", "CEL", "Diagnostics",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                // RSA signatures for the JWT a Google service account signs in with.
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                // Calls, retries and rate-limit waits are counted; `playbook serve` shows them.
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The run-state store: runs, step results, dead letters, cursors, the notification ledger,
        // sync batches, checkpoints and per-playbook locks, in one SQLite file (Debian's libsqlite3-dev).
        .target(name: "PlaybookState", dependencies: ["PlaybookRuntime", "CMemoryHints", "PlaybookLanguage", "Diagnostics", .product(name: "GRDB", package: "GRDB.swift")]),
        // `playbook sandbox`: a local imitation of the marketing platforms' APIs, for first runs and tests.
        .target(
            name: "PlaybookSandbox",
            dependencies: [
                "PlaybookLanguage", "Diagnostics",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // `playbook serve`: playbooks run on their schedules and webhooks, with health, metrics and logs.
        .target(
            name: "PlaybookServer",
            dependencies: [
                "PlaybookLanguage", "PlaybookRuntime", "PlaybookState", "Diagnostics", "YAML",
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // `playbook lsp`: a language server giving editors validate's diagnostics, completion, hover and definitions.
        .target(name: "PlaybookEditor", dependencies: ["PlaybookLanguage", "CEL", "Diagnostics"]),
        // `playbook test`: test files of playbooks, run with fixtures on the real executor.
        .target(name: "PlaybookTesting", dependencies: ["PlaybookLanguage", "PlaybookRuntime", "CEL", "YAML", "Diagnostics"]),
        // `playbook init` writes the example jobs of `playbooks/` (linked into `Templates/`), embedded in the binary.
        .executableTarget(
            name: "playbook",
            dependencies: [
                "PlaybookLanguage", "PlaybookRuntime", "PlaybookTesting", "PlaybookSandbox", "PlaybookState", "PlaybookServer", "PlaybookEditor", "CEL", "YAML", "Diagnostics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.embedInCode("Templates")],
            linkerSettings: [jemalloc]
        ),
        .executableTarget(
            name: "playbook-bench",
            dependencies: [
                "PlaybookLanguage", "PlaybookRuntime", "PlaybookSandbox", "PlaybookState", "PlaybookServer", "CEL", "YAML", "CYAML", "Diagnostics",
                // The webhook benchmark's load: 64 connections at once, more than the runtime's transport opens.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            linkerSettings: [jemalloc]
        ),
        .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics"], exclude: ["Snapshots"]),
        .testTarget(name: "YAMLTests", dependencies: ["YAML", "Diagnostics"]),
        .testTarget(name: "CELTests", dependencies: ["CEL", "Diagnostics"], exclude: ["KnownFailures.txt"]),
        .testTarget(name: "PlaybookLanguageTests", dependencies: ["PlaybookLanguage", "YAML", "CEL", "Diagnostics"]),
        .testTarget(
            name: "PlaybookRuntimeTests",
            dependencies: [
                "PlaybookRuntime", "PlaybookLanguage", "PlaybookSandbox", "CEL", "Diagnostics",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "PlaybookSandboxTests",
            dependencies: [
                "PlaybookSandbox", "PlaybookRuntime", "PlaybookLanguage", "Diagnostics",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .testTarget(name: "PlaybookTestingTests", dependencies: ["PlaybookTesting", "PlaybookRuntime", "PlaybookLanguage", "CEL", "Diagnostics"]),
        .testTarget(name: "PlaybookEditorTests", dependencies: ["PlaybookEditor", "PlaybookLanguage", "CEL", "Diagnostics"]),
        .testTarget(name: "PlaybookStateTests", dependencies: ["PlaybookState"]),
        .testTarget(
            name: "PlaybookServerTests",
            dependencies: [
                "PlaybookServer", "PlaybookState", "PlaybookRuntime", "PlaybookLanguage", "PlaybookSandbox", "CEL",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "PlaybookCLITests",
            dependencies: [
                "playbook", "PlaybookSandbox", "PlaybookState", "PlaybookEditor", "Diagnostics", .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)

// swift-tools-version: 6.0
// BudgetQL: a query language, REPL and script runner over Chinese department budgets.
import PackageDescription

let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "BudgetQL",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "BudgetModel", targets: ["BudgetModel"]),
        .library(name: "BudgetQL", targets: ["BudgetQL"]),
        .library(name: "BudgetSQL", targets: ["BudgetSQL"]),
        .library(name: "BudgetShell", targets: ["BudgetShell"]),
        .library(name: "BudgetImport", targets: ["BudgetImport"]),
        .library(name: "BundledDatasets", targets: ["BundledDatasets"]),
        .executable(name: "bql", targets: ["bql"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        // libedit (Debian libedit-dev), wrapped with fixed-argument shims.
        .systemLibrary(
            name: "CLibedit",
            path: "Sources/CLibedit",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // The bundled datasets, shipped as a resource next to the binary; `Catalog.bundled()`.
        .target(
            name: "BundledDatasets",
            dependencies: ["BudgetQL", "BudgetModel"],
            path: ".",
            exclude: [
                "Sources/BudgetModel", "Sources/BudgetQL", "Sources/BudgetSQL", "Sources/BudgetShell", "Sources/bql",
                "Sources/CLibedit", "Sources/BudgetImport", "Tests", "Queries", "docs", "README.md", "ARCHITECTURE.md",
                "Makefile", "Examples", "Benchmarks", "Fuzz",
            ],
            sources: ["Sources/BundledDatasets"],
            resources: [.copy("Datasets")],
            swiftSettings: strict
        ),
        // Budget model, exact decimals, CSV + Data Package loading, consistency checks.
        .target(name: "BudgetModel", swiftSettings: strict),
        // The query language: lexer, parser, resolver, planner, executor.
        .target(name: "BudgetQL", dependencies: ["BudgetModel"], swiftSettings: strict),
        // The second backend: BudgetQL → SQL (SQLite, DuckDB) and the catalog exported as SQL/CSV.
        .target(name: "BudgetSQL", dependencies: ["BudgetQL", "BudgetModel"], swiftSettings: strict),
        // The shell: REPL logic, dot-commands, script runner, output formats, completion.
        .target(name: "BudgetShell", dependencies: ["BudgetQL", "BudgetSQL", "BudgetModel"], swiftSettings: strict),
        // The importer: a published budget document (PDF through poppler's pdftotext, or converted
        // text) in, a dataset in the Data Package format out, with its import report.
        .target(name: "BudgetImport", dependencies: ["BudgetModel"], swiftSettings: strict),
        // The `bql` executable: argument parsing, printing, colour, exit codes.
        .executableTarget(
            name: "bql",
            dependencies: [
                "BudgetShell", "BudgetQL", "BudgetSQL", "BudgetModel", "BundledDatasets", "CLibedit", "BudgetImport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // An example program embedding the engine (built and run by `make test`).
        .executableTarget(
            name: "department-report",
            dependencies: ["BudgetQL", "BundledDatasets"],
            path: "Examples/DepartmentReport",
            swiftSettings: strict
        ),
        // The README's embedding example (run by the tests).
        .executableTarget(
            name: "embedding-example",
            dependencies: ["BudgetQL", "BundledDatasets"],
            path: "Examples/Embedding",
            swiftSettings: strict
        ),
        // Shared by every test target: the corpus reader, repository paths, fixtures, goldens.
        .target(
            name: "BudgetTestSupport", dependencies: ["BudgetModel", "BudgetQL", "BudgetShell"],
            path: "Tests/BudgetTestSupport", swiftSettings: strict),
        .testTarget(
            name: "BudgetModelTests", dependencies: ["BudgetModel", "BundledDatasets", "BudgetTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "BudgetQLTests",
            dependencies: ["BudgetQL", "BudgetModel", "BudgetShell", "BundledDatasets", "BudgetTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "BudgetShellTests",
            dependencies: [
                "BudgetShell", "BudgetQL", "BudgetSQL", "BudgetModel", "BundledDatasets", "BudgetTestSupport",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "BudgetImportTests", dependencies: ["BudgetImport", "BudgetModel", "BudgetQL"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)

// swift-tools-version: 6.0
// Fuzzing BudgetQL with libFuzzer: a package of its own that depends on the root package by path,
// so the main build is unaffected. Five targets: the query path (lex → parse → plan → execute,
// batch against row by row), the dataset loader (a folder built from the input), the model-cache
// decoder, the catalog store reader and the importer's text reader. Build and run with `make fuzz` / `make fuzz-smoke` at the repository root
// (docs/RELIABILITY.md); the flags are `-sanitize=fuzzer,address -enable-testing`.
import PackageDescription

let package = Package(
    name: "BudgetQLFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "BudgetQL", path: "..")
    ],
    targets: [
        // The libFuzzer driver's declaration (the library comes with -sanitize=fuzzer).
        .target(name: "CFuzzer", path: "Sources/CFuzzer"),
        // What the targets share: the driver, the repository's paths, seeds and outcome comparison.
        .target(
            name: "FuzzSupport",
            dependencies: ["CFuzzer", .product(name: "BudgetQL", package: "BudgetQL")]
        ),
        .executableTarget(
            name: "fuzz-query",
            dependencies: ["FuzzSupport", .product(name: "BudgetQL", package: "BudgetQL")]
        ),
        .executableTarget(
            name: "fuzz-dataset",
            dependencies: ["FuzzSupport", .product(name: "BudgetQL", package: "BudgetQL")]
        ),
        .executableTarget(
            name: "fuzz-cache",
            dependencies: [
                "FuzzSupport", .product(name: "BudgetModel", package: "BudgetQL"),
                .product(name: "BudgetQL", package: "BudgetQL"),
            ]
        ),
        .executableTarget(
            name: "fuzz-store",
            dependencies: [
                "FuzzSupport", .product(name: "BudgetModel", package: "BudgetQL"),
                .product(name: "BudgetQL", package: "BudgetQL"),
            ]
        ),
        .executableTarget(
            name: "fuzz-import",
            dependencies: ["FuzzSupport", .product(name: "BudgetImport", package: "BudgetQL")]
        ),
        // Not a fuzz target: the time and peak memory of the reliability issue's queries under limits.
        .executableTarget(
            name: "limits-probe",
            dependencies: [.product(name: "BudgetQL", package: "BudgetQL")]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// swift-tools-version: 6.0
// The BudgetQL side of the benchmark: a separate package that embeds the engine through its
// public library API (product "BudgetQL" of the root package) and times queries in-process.
// Build: swift build -c release --package-path Benchmarks/Runner
import PackageDescription

let package = Package(
    name: "BudgetQLBench",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "BudgetQL", path: "../..")
    ],
    targets: [
        .executableTarget(
            name: "bql-bench",
            dependencies: [.product(name: "BudgetQL", package: "BudgetQL")]
        )
    ],
    swiftLanguageModes: [.v6]
)

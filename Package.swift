// swift-tools-version:6.0
import PackageDescription
import Foundation

// Dependencies point up this list: LinearAlgebra, Sampling, Statistics (no model knowledge) and ModelIR ← ModelFormats, Simulation
// ← ModelLibrary ← Inference, Cohorts ← Trials ← Twins ← Reports ← ImmuneTwin ← twin.
// Underscored modules and everything under Tests/ are not API.
// Release builds are whole-module optimised by SwiftPM already; an explicit -wmo left stale objects in incremental builds.
// On an x86-64 Linux host with AVX2 and FMA, release builds target that instruction set (as libRoadRunner's JIT
// targets its host CPU): the batched evaluators' SIMD4<Double> operations become single 256-bit instructions.
// Floating-point operations are not contracted or reordered, so results are the same bits as a portable build.
// IMMUNETWIN_PORTABLE=1 in the environment gives a build that runs on any x86-64.
let optimized: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"] + hostTarget, .when(configuration: .release))]

var hostTarget: [String] {
    #if arch(x86_64) && os(Linux)
    guard Context.environment["IMMUNETWIN_PORTABLE"] == nil,
          let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return [] }
    let set = Set(flags.split(separator: " "))
    return set.contains("avx2") && set.contains("fma") ? ["-target-cpu", "haswell"] : []
    #else
    return []
    #endif
}

let package = Package(
    name: "ImmuneTwin",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "ImmuneTwin", targets: ["ImmuneTwin"]),
        .executable(name: "twin", targets: ["TwinCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // MARK: Foundations
        .target(name: "LinearAlgebra", swiftSettings: optimized),
        .target(name: "Sampling", swiftSettings: optimized),
        .target(name: "Statistics", dependencies: ["Sampling"], swiftSettings: optimized),

        // MARK: Model
        .target(name: "ModelIR"),
        .target(name: "ModelFormats", dependencies: ["ModelIR", .product(name: "Yams", package: "Yams")]),

        // MARK: Numerics
        .target(name: "Simulation", dependencies: ["ModelIR", "Sampling"], swiftSettings: optimized),

        // MARK: Calibration
        .target(name: "Inference", dependencies: ["LinearAlgebra", "Sampling", "Statistics", "ModelIR", "ModelFormats", "Simulation",
                                                  "Reports"],
                swiftSettings: optimized),

        // MARK: Cohorts and trials
        .target(name: "Cohorts", dependencies: ["LinearAlgebra", "Sampling", "Statistics", "ModelIR", "Simulation"], swiftSettings: optimized),
        .target(name: "Trials", dependencies: ["Cohorts", "Sampling", "Statistics", "ModelIR", "ModelFormats", "Simulation",
                                               "ModelLibrary", "Reports", .product(name: "Yams", package: "Yams")],
                swiftSettings: optimized),

        // MARK: Patient twins
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),
        .target(name: "Twins", dependencies: ["CSQLite", "LinearAlgebra", "Sampling", "Statistics", "ModelIR", "ModelFormats", "Simulation",
                                              "ModelLibrary", "Inference", "Cohorts", "Trials", "Reports",
                                              .product(name: "Yams", package: "Yams")]),

        // MARK: Conformance
        .target(name: "Conformance", dependencies: ["ModelIR", "ModelFormats", "Simulation"]),

        // MARK: Content
        .target(name: "ModelLibrary", dependencies: ["ModelIR", "ModelFormats"], resources: [.copy("Models")]),
        .target(name: "Reports", dependencies: ["Statistics"]),

        // MARK: Umbrella and tools
        .target(name: "ImmuneTwin", dependencies: ["LinearAlgebra", "Sampling", "Statistics", "ModelIR", "ModelFormats", "Simulation", "ModelLibrary", "Inference", "Cohorts", "Trials", "Reports"]),
        .executableTarget(
            name: "TwinCLI",
            dependencies: ["ImmuneTwin", "Conformance", "Twins", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            resources: [.copy("Examples")],
            swiftSettings: optimized),

        // MARK: Tests
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "SamplingTests", dependencies: ["Sampling"]),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics", "Sampling"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Statistics"]),
        .testTarget(name: "TwinsTests", dependencies: ["Twins", "Simulation", "ModelLibrary", "Sampling"]),
        .testTarget(name: "ModelIRTests", dependencies: ["ModelIR"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "ModelIR", "Sampling"]),
        .testTarget(name: "ModelFormatsTests", dependencies: ["ModelFormats", "Simulation"], exclude: ["Fixtures"]),
        .testTarget(name: "ConformanceTests", dependencies: ["Conformance", "ModelFormats", "Simulation", "ModelIR"]),
        .testTarget(name: "CohortsTests", dependencies: ["Cohorts", "LinearAlgebra", "Sampling"]),
        .testTarget(name: "TrialsTests", dependencies: ["Trials", "Cohorts", "Simulation"]),
        .testTarget(name: "ModelLibraryTests", dependencies: ["ModelLibrary", "Simulation", "ModelFormats"], exclude: ["Fixtures"]),
        .testTarget(name: "PEtabTests", dependencies: ["Inference", "ModelFormats", "Simulation"], resources: [.copy("Fixtures")]),
        .testTarget(name: "InferenceAlgorithmTests", dependencies: ["Inference", "Sampling"]),
    ]
)

// MARK: Benchmarks (opt-in: IMMUNETWIN_BENCHMARKS=1 swift run -c release InferenceBenchmarks)
if Context.environment["IMMUNETWIN_BENCHMARKS"] != nil {
    package.targets.append(.executableTarget(name: "InferenceBenchmarks",
                                             dependencies: ["Inference", "ModelFormats", "Simulation"],
                                             path: "Benchmarks/Inference", swiftSettings: optimized))
}

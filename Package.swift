// swift-tools-version: 6.0
import PackageDescription

// Applied to every target; one line per proposal so the list reads as policy.
let strictness: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),  // SE-0335
  .enableUpcomingFeature("InternalImportsByDefault"),  // SE-0409
  .enableUpcomingFeature("MemberImportVisibility"),  // SE-0444
]

let package = Package(
  name: "swift-autoscaling",
  platforms: [.macOS(.v15)],  // Swift.Duration and Int128; Linux ignores this
  products: [
    .library(name: "Autoscaling", targets: ["Autoscaling"]),
    .library(name: "AutoscalingCore", targets: ["AutoscalingCore"]),
    .library(name: "HorizontalAutoscaling", targets: ["HorizontalAutoscaling"]),
    .library(name: "VerticalAutoscaling", targets: ["VerticalAutoscaling"]),
    .library(name: "NodeAutoscaling", targets: ["NodeAutoscaling"]),
    .library(name: "AutoscalingTraces", targets: ["AutoscalingTraces"]),
    .library(name: "AutoscalingReplay", targets: ["AutoscalingReplay"]),
    .library(name: "AutoscalingTuning", targets: ["AutoscalingTuning"]),
    .executable(name: "autoscale", targets: ["autoscale"]),
  ],
  dependencies: [],  // the Swift toolchain only; .ci/run asserts this
  targets: [
    // MARK: Decisions (standard library only)
    .target(name: "AutoscalingCore"),
    .target(name: "HorizontalAutoscaling", dependencies: ["AutoscalingCore"]),
    .target(name: "VerticalAutoscaling", dependencies: ["AutoscalingCore"]),
    .target(name: "NodeAutoscaling", dependencies: ["AutoscalingCore"]),

    // MARK: Inputs, simulation, search
    .target(
      name: "AutoscalingTraces",
      dependencies: [
        "AutoscalingCore", "HorizontalAutoscaling", "VerticalAutoscaling", "NodeAutoscaling",
      ]),
    .target(
      name: "AutoscalingReplay",
      dependencies: [
        "AutoscalingCore", "HorizontalAutoscaling", "VerticalAutoscaling", "NodeAutoscaling",
        "AutoscalingTraces",
      ]),
    .target(
      name: "AutoscalingTuning",
      dependencies: [
        "AutoscalingCore", "HorizontalAutoscaling", "VerticalAutoscaling", "NodeAutoscaling",
        "AutoscalingReplay",
      ]),

    // MARK: Umbrella, tool, harness
    .target(
      name: "Autoscaling",
      dependencies: [
        "AutoscalingCore", "HorizontalAutoscaling", "VerticalAutoscaling", "NodeAutoscaling",
        "AutoscalingTraces", "AutoscalingReplay", "AutoscalingTuning",
      ]),
    .executableTarget(
      name: "autoscale",
      dependencies: [
        "AutoscalingCore", "HorizontalAutoscaling", "VerticalAutoscaling", "NodeAutoscaling",
        "AutoscalingTraces", "AutoscalingReplay", "AutoscalingTuning",
      ]),
    .executableTarget(
      name: "AutoscalingBenchmarks",
      dependencies: [
        "AutoscalingCore", "HorizontalAutoscaling", "VerticalAutoscaling", "NodeAutoscaling",
        "AutoscalingTraces", "AutoscalingReplay", "AutoscalingTuning",
      ],
      path: "Benchmarks",
      exclude: ["Thresholds", "vasim", "Scoreboard/HPA-QUALITY.md"]),

    // MARK: Tests
    .target(
      name: "_AutoscalingTestSupport", dependencies: ["AutoscalingCore"],
      path: "Tests/_AutoscalingTestSupport"),
    .testTarget(
      name: "AutoscalingCoreTests",
      dependencies: ["AutoscalingCore", "_AutoscalingTestSupport"]),
    .testTarget(
      name: "HorizontalAutoscalingTests",
      dependencies: ["AutoscalingCore", "HorizontalAutoscaling", "_AutoscalingTestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "VerticalAutoscalingTests",
      dependencies: ["AutoscalingCore", "VerticalAutoscaling", "_AutoscalingTestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "NodeAutoscalingTests",
      dependencies: ["AutoscalingCore", "NodeAutoscaling", "_AutoscalingTestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "AutoscalingTracesTests",
      dependencies: [
        "AutoscalingCore", "AutoscalingTraces", "HorizontalAutoscaling", "VerticalAutoscaling",
        "NodeAutoscaling", "_AutoscalingTestSupport",
      ],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "AutoscalingReplayTests",
      dependencies: [
        "AutoscalingCore", "AutoscalingReplay", "AutoscalingTraces", "HorizontalAutoscaling",
        "VerticalAutoscaling", "NodeAutoscaling", "_AutoscalingTestSupport",
      ],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "AutoscalingTuningTests",
      dependencies: [
        "AutoscalingCore", "AutoscalingTuning", "AutoscalingReplay", "AutoscalingTraces",
        "HorizontalAutoscaling", "VerticalAutoscaling", "NodeAutoscaling",
        "_AutoscalingTestSupport",
      ]),

    // MARK: Examples
    // Small programs built and run by CI (`swift run <Name>`); not products.
    .executableTarget(
      name: "HPAControlLoopExample", dependencies: ["AutoscalingCore", "HorizontalAutoscaling"],
      path: "Examples/HPAControlLoop"),
    .executableTarget(
      name: "VPARecommendationExample", dependencies: ["AutoscalingCore", "VerticalAutoscaling"],
      path: "Examples/VPARecommendation"),
    .executableTarget(
      name: "NodeBinPackingExample", dependencies: ["AutoscalingCore", "NodeAutoscaling"],
      path: "Examples/NodeBinPacking"),
    .executableTarget(
      name: "BehaviorTuningExample",
      dependencies: [
        "AutoscalingCore", "AutoscalingReplay", "AutoscalingTuning", "HorizontalAutoscaling",
      ],
      path: "Examples/BehaviorTuning"),
    .executableTarget(
      name: "TraceReplayExample",
      dependencies: [
        "AutoscalingCore", "AutoscalingReplay", "AutoscalingTraces", "HorizontalAutoscaling",
      ],
      path: "Examples/TraceReplay"),
  ],
  swiftLanguageModes: [.v6]
)

for target in package.targets {
  target.swiftSettings = (target.swiftSettings ?? []) + strictness
}

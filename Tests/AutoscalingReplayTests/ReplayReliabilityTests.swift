import AutoscalingCore
import AutoscalingReplay
import HorizontalAutoscaling
import Testing
import _AutoscalingTestSupport

/// Seeded properties of the HPA replay over random workloads, behaviors and demand, and the
/// replay at numeric extremes of demand.
@Suite("Replay reliability")
struct ReplayReliabilityTests {
  static let template = PodTemplate(
    containers: [Container(name: "app", requests: [.cpu: Quantity(milliValue: 500)])])

  /// A random demand series of `count` 15-second samples: plateaus, spikes and silences.
  static func demand(_ rng: inout SplitMix64, count: Int) -> ReplaySeries {
    var level = Double.random(in: 0...2_000, using: &rng)
    var values: [Double] = []
    for _ in 0..<count {
      switch Int.random(in: 0..<10, using: &rng) {
      case 0: level = Double.random(in: 0...5_000, using: &rng)
      case 1: level = 0
      default: level = max(0, level + Double.random(in: -50...50, using: &rng))
      }
      values.append(level)
    }
    return ReplaySeries(
      name: "rps", timestampsMilliseconds: (0..<count).map { Int64($0) * 15_000 },
      values: values)
  }

  static func rules(_ rng: inout SplitMix64) -> ScalingRules {
    let policy: ScalingPolicy =
      Bool.random(using: &rng)
      ? .pods(
        Int.random(in: 1...10, using: &rng), per: .seconds(Int64.random(in: 1...120, using: &rng)))
      : .percent(
        Int.random(in: 1...300, using: &rng), per: .seconds(Int64.random(in: 1...120, using: &rng)))
    let selects: [ScalingPolicySelect] = [.max, .min, .disabled]
    return ScalingRules(
      stabilizationWindow: .seconds(Int64.random(in: 0...600, using: &rng)),
      selectPolicy: selects.randomElement(using: &rng), policies: [policy])
  }

  /// A random replay: metric kind, bounds, behavior, noise, imbalance, start-up and seed.
  static func replay(seed: UInt64) throws -> (Replay, ClosedRange<Int>) {
    var rng = SplitMix64(seed: seed)
    let minimum = Int.random(in: 1...5, using: &rng)
    let maximum = Int.random(in: minimum...60, using: &rng)
    let metric: MetricSpec =
      Bool.random(using: &rng)
      ? .pods("rps", target: .averageValue(Quantity(Int64.random(in: 10...200, using: &rng))))
      : .resource(.cpu, target: .utilization(Int.random(in: 20...120, using: &rng)))
    let behavior: ScalingBehavior? =
      Bool.random(using: &rng)
      ? ScalingBehavior(scaleUp: rules(&rng), scaleDown: rules(&rng)) : nil
    let spec = try HorizontalPodAutoscalerSpec(
      metrics: [metric], minReplicas: minimum, maxReplicas: maximum, behavior: behavior)
    let workload = WorkloadModel(
      podTemplate: template, capacityPerPod: Double.random(in: 10...300, using: &rng),
      usage: [
        ResourceUsageModel(
          resource: .cpu, base: 0.05, perUnitOfDemand: Double.random(in: 0.001...0.01, using: &rng))
      ],
      imbalance: Double.random(in: 0...0.5, using: &rng),
      noise: Double.random(in: 0...0.3, using: &rng),
      initialReplicas: Int.random(in: minimum...maximum, using: &rng))
    let replay = try Replay(
      autoscaler: spec, workload: workload, demand: demand(&rng, count: 120),
      lifecycle: PodLifecycle(
        pendingMilliseconds: Int64.random(in: 0...30, using: &rng) * 1_000,
        startupMilliseconds: Int64.random(in: 0...90, using: &rng) * 1_000),
      seed: rng.next())
    return (replay, minimum...maximum)
  }

  /// 4 × 100 random replays of 30 minutes: running one twice, or a copy, gives the same
  /// scorecard; every step's replica count lies within [minReplicas, maxReplicas]; ready pods
  /// never exceed pods; unserved demand is never negative.
  @Test("same inputs and seed, same scorecard; replicas within bounds", arguments: 0..<4)
  func deterministicAndBounded(batch: Int) throws {
    for seed in UInt64(batch * 100)..<UInt64(batch * 100 + 100) {
      let (replay, bounds) = try Self.replay(seed: seed &* 0x9E37_79B9_7F4A_7C15)
      var outOfBounds = 0
      var inconsistent = 0
      let first = replay.run { row in
        if !bounds.contains(row.replicas) { outOfBounds += 1 }
        if row.readyReplicas > row.replicas || row.unservedDemand < 0 { inconsistent += 1 }
      }
      let second = replay.run()
      let copy = replay
      #expect(first == second, "seed \(seed)")
      #expect(copy.run() == first, "seed \(seed)")
      #expect(outOfBounds == 0, "seed \(seed)")
      #expect(inconsistent == 0, "seed \(seed)")
    }
  }

  /// Demand at 1e300 (and at the largest finite Double) saturates: every replica count stays
  /// at maxReplicas' bound, the scorecard's figures are numbers, and nothing traps.
  @Test(
    "demand near the largest Double replays without trapping",
    arguments: [1e300, Double.greatestFiniteMagnitude])
  func hugeDemand(level: Double) throws {
    let spec = try HorizontalPodAutoscalerSpec(
      metrics: [.pods("rps", target: .averageValue(Quantity(100)))], minReplicas: 1,
      maxReplicas: 50)
    let workload = WorkloadModel(
      podTemplate: Self.template, capacityPerPod: 100,
      usage: [ResourceUsageModel(resource: .cpu, base: 0.1, perUnitOfDemand: 0.01)],
      initialReplicas: 1)
    let demand = ReplaySeries(
      name: "rps", timestampsMilliseconds: (0..<40).map { Int64($0) * 15_000 },
      values: (0..<40).map { $0 < 20 ? level : 0 })
    let replay = try Replay(autoscaler: spec, workload: workload, demand: demand)
    var peak = 0
    let card = replay.run { row in peak = max(peak, row.replicas) }
    #expect(peak == 50)
    #expect(card.maxReplicas == 50)
    #expect(card.underProvisionedTimeShare > 0 && card.underProvisionedTimeShare <= 1)
    #expect(!card.meanReplicas.isNaN)
  }
}

import AutoscalingCore
import Foundation
import HorizontalAutoscaling
import Testing

@testable import AutoscalingReplay

/// The three-metric HPA of `shared/manifests/ml-model-hpa.yaml` over the Deployment of
/// `ml-model-deployment.yaml`, built in code (cpu 70 %, memory 80 %, requests_per_second 100
/// per pod; scale-down window 300 s, −10 % per 60 s; scale-up +100 % per 15 s).
@Suite("ml-model HPA end to end")
struct MLModelReplayTests {
  static let gibibyte = 1_073_741_824.0

  static func spec() throws -> HorizontalPodAutoscalerSpec {
    try HorizontalPodAutoscalerSpec(
      metrics: [
        .resource(.cpu, target: .utilization(70)),
        .resource(.memory, target: .utilization(80)),
        .pods("requests_per_second", target: .averageValue(Quantity(100))),
      ],
      minReplicas: 2, maxReplicas: 20,
      behavior: ScalingBehavior(
        scaleUp: ScalingRules(
          stabilizationWindow: .seconds(0), policies: [.percent(100, per: .seconds(15))]),
        scaleDown: ScalingRules(
          stabilizationWindow: .seconds(300), policies: [.percent(10, per: .seconds(60))])))
  }

  static func workload(noise: Double = 0, imbalance: Double = 0) throws -> WorkloadModel {
    let container = Container(
      name: "model",
      requests: [.cpu: Quantity(1), .memory: try Quantity(parsing: "2Gi")],
      limits: [.cpu: Quantity(2), .memory: try Quantity(parsing: "4Gi")])
    return WorkloadModel(
      podTemplate: PodTemplate(labels: ["app": "ml-model"], containers: [container]),
      capacityPerPod: 120,
      usage: [
        // 100 requests/s → 0.1 + 0.6 = 0.7 cores (70 % of the request); a 1.5-core start-up burst.
        ResourceUsageModel(
          resource: .cpu, base: 0.1, perUnitOfDemand: 0.006, startupUsage: 1.5, limit: 2),
        // 100 requests/s → 0.8 + 0.8 = 1.6 GiB (78 % of 2 GiB).
        ResourceUsageModel(
          resource: .memory, base: 0.8 * gibibyte, perUnitOfDemand: 0.008 * gibibyte,
          limit: 4 * gibibyte),
      ],
      imbalance: imbalance, noise: noise, initialReplicas: 3)
  }

  /// Six hours at 15 s: a quiet 200 requests/s, a ramp to 1,500 between hour 1 and hour 2, a
  /// plateau, then back down to 200 after hour 4.
  static func demand() -> ReplaySeries {
    var times: [Int64] = []
    var values: [Double] = []
    for index in 0..<(6 * 240) {
      let hours = Double(index) / 240
      let value: Double =
        switch hours {
        case ..<1: 200
        case ..<2: 200 + 1_300 * (hours - 1)
        case ..<4: 1_500
        case ..<5: 1_500 - 1_300 * (hours - 4)
        default: 200
        }
      times.append(Int64(index) * 15_000)
      values.append(value)
    }
    return ReplaySeries(name: "rps", timestampsMilliseconds: times, values: values)
  }

  @Test func replaysEndToEndWithinBoundsAndFollowsDemand() throws {
    let replay = try Replay(
      autoscaler: Self.spec(), workload: Self.workload(noise: 0.05, imbalance: 0.1),
      demand: Self.demand(), seed: 42)
    var rows: [ReplayTimelineRow] = []
    let card = replay.run { rows.append($0) }
    #expect(rows.count == 6 * 240)
    #expect(replay.stepCount == 6 * 240)
    // Every reconcile stays within [minReplicas, maxReplicas].
    #expect(rows.allSatisfy { (2...20).contains($0.desiredReplicas) })
    // On the plateau of 1,500 requests/s the rps metric (target 100, tolerance 10 %) is
    // satisfied only once 1500 / n ≤ 110, i.e. n ≥ 14 ready pods — more than the
    // ⌈1500 / 120⌉ = 13 needed to serve everything — so by hour 3 nothing goes unserved.
    let plateau = rows[(3 * 240)..<(4 * 240)]
    #expect(plateau.allSatisfy { $0.readyReplicas >= 14 && $0.unservedDemand == 0 })
    // After demand returns to 200 the HPA scales down to 3, not 2: the usage model has a base
    // cost the HPA's proportional rule does not know about. With 3 pods, cpu is
    // 0.1 + 66.7 × 0.006 = 0.5 cores (50 %, ±5 % noise) → ⌈(50 / 70) × 3⌉ = ⌈2.14⌉ = 3, and
    // memory 0.8 + 66.7 × 0.008 = 1.33 GiB (66 %) → ⌈(66 / 80) × 3⌉ = ⌈2.48⌉ = 3, although the
    // rps metric alone would allow ⌈0.667 × 3⌉ = 2.
    #expect(rows.last?.replicas == 3)
    // All three metrics were read successfully and reported against their targets.
    let last = try #require(rows.last)
    #expect(last.metrics.map(\.target) == [70, 80, 100])
    #expect(last.metrics.allSatisfy { $0.current.isFinite })
    #expect(card.maxReplicas >= 14 && card.maxReplicas <= 20)
    #expect(card.scalingActions > 2)
    // Invariants of the scorecard.
    #expect(card.underProvisionedTimeShare >= 0 && card.underProvisionedTimeShare < 0.2)
    #expect(abs(card.meanReplicas - card.replicaSeconds / (6 * 3600)) < 1e-9)
    #expect(card.timeToScaleP50Seconds <= card.timeToScaleP95Seconds)
  }

  /// Same inputs and seed → the same scorecard, bit for bit (compared as JSON); another seed
  /// changes the noise and so, in general, the figures.
  @Test func repeatedReplaysGiveIdenticalJSON() throws {
    let replay = try Replay(
      autoscaler: Self.spec(), workload: Self.workload(noise: 0.2, imbalance: 0.3),
      demand: Self.demand(), seed: 7)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let first = try encoder.encode(replay.run())
    let second = try encoder.encode(replay.run())
    #expect(first == second)
    let copy = replay
    #expect(try encoder.encode(copy.run { _ in }) == first)
  }

  @Test func replacingTheBehaviorChangesTheOutcome() throws {
    var replay = try Replay(
      autoscaler: Self.spec(), workload: Self.workload(), demand: Self.demand())
    let base = replay.run()
    // Forbid scale-down: replicas can only grow, so cost rises and no reversal happens.
    try replay.replaceBehavior(
      ScalingBehavior(
        scaleUp: ScalingRules(policies: [.percent(100, per: .seconds(15))]),
        scaleDown: ScalingRules(selectPolicy: .disabled)))
    let frozen = replay.run()
    #expect(frozen.directionReversals == 0)
    #expect(frozen.replicaSeconds > base.replicaSeconds)
    #expect(frozen.maxReplicas == base.maxReplicas)

    // Raising minReplicas to 10 keeps at least 10 pods: mean ≥ 10, cost above the original.
    try replay.replaceAutoscaler(
      HorizontalPodAutoscalerSpec(
        metrics: Self.spec().metrics, minReplicas: 10, maxReplicas: 20,
        behavior: Self.spec().behavior))
    let floor = replay.run()
    #expect(floor.meanReplicas >= 10)
    #expect(floor.replicaSeconds > base.replicaSeconds)
  }
}

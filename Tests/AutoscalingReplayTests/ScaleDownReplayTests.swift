import AutoscalingCore
import HorizontalAutoscaling
import Testing

@testable import AutoscalingReplay

/// Scale-down worked out by hand: stabilization, a Pods policy and the ReplicaSet's choice of
/// victims.
@Suite("Hand-computed scale-down")
struct ScaleDownReplayTests {
  /// HPA min 1, max 10, Pods `requests_per_second` AverageValue 100; scale-down stabilization
  /// 60 s, at most 1 pod per 15 s. Capacity 100 per pod. Four ready pods; demand 400 until
  /// t = 30 s, then 100. The replay covers [0, 180 s).
  ///
  /// - t = 0…30: 100 per pod → ratio 1 → stay at 4 (the controller first records (4, 0)).
  /// - t = 45: 25 per pod → ⌈0.25 × 4⌉ = 1, but the 60-s window (recommendations after −15)
  ///   still holds 4 → stay (ScaleDownStabilized); the same at 60 (window after 0: 4 at 15, 30)
  ///   and 75 (4 at 30).
  /// - t = 90: the window after 30 holds only 1s → 1; the policy allows 4 − 1 = 3 → 3.
  /// - t = 105: the −1 event at 90 is not after 105 − 15 = 90, so the period starts at 3 → 2;
  ///   t = 120 → 1 (minReplicas).
  ///
  /// Required replicas: 4, then 1 from t = 30. Ready: 4 until 75, then 3, 2, and 1 from 120.
  /// - τO = (4 + 1 + 1) × 15 / 180 = 0.5; θO = (3 × 4 + 2 + 1) × 15 / 180 = 1.25; τU = 0.
  /// - replica-seconds = (4 × 6 + 3 + 2 + 1 × 4) × 15 = 495; three actions, no reversal.
  /// - supply changed 3 times, required replicas once: jitter (3 − 1) / 0.05 h = 40 per hour.
  @Test func stabilizedThenRateLimitedScaleDown() throws {
    let spec = try HorizontalPodAutoscalerSpec(
      metrics: [.pods("requests_per_second", target: .averageValue(Quantity(100)))],
      minReplicas: 1, maxReplicas: 10,
      behavior: ScalingBehavior(
        scaleDown: ScalingRules(
          stabilizationWindow: .seconds(60), policies: [.pods(1, per: .seconds(15))])))
    let workload = WorkloadModel(
      podTemplate: PodTemplate(containers: [Container(name: "app")]), capacityPerPod: 100,
      usage: [], initialReplicas: 4)
    let replay = try Replay(
      autoscaler: spec, workload: workload,
      demand: ReplaySeries(
        name: "rps", timestampsMilliseconds: [0, 30_000, 165_000], values: [400, 100, 100]),
      startMilliseconds: 0, endMilliseconds: 180_000)
    var desired: [Int] = []
    var ready: [Int] = []
    let card = replay.run { row in
      desired.append(row.desiredReplicas)
      ready.append(row.readyReplicas)
    }
    #expect(desired == [4, 4, 4, 4, 4, 4, 3, 2, 1, 1, 1, 1])
    #expect(ready == desired)
    #expect(card.overProvisionedTimeShare == 0.5)
    #expect(card.overProvisioningAccuracy == 1.25)
    #expect(card.underProvisionedTimeShare == 0)
    #expect(card.unservedDemand == 0)
    #expect(card.replicaSeconds == 495)
    #expect(card.scalingActions == 3)
    #expect(card.directionReversals == 0)
    #expect(abs(card.jitter - 40) < 1e-9)
  }

  /// The ReplicaSet deletes pods not yet ready before ready ones, then the most recently ready,
  /// then the newest.
  @Test func victimsFollowTheReplicaSetRanking() {
    var fleet = PodFleet(
      lifecycle: PodLifecycle(pendingMilliseconds: 0, startupMilliseconds: 30_000), seed: 0,
      imbalance: 0, reserve: 8)
    fleet.addSettledPods(2, before: 0)  // pod 0 and 1, ready long before 0
    fleet.scale(to: 4, at: 100_000)  // pods 2 and 3 start at 100 s, ready at 130 s
    fleet.scale(to: 3, at: 110_000)  // both new pods are starting: the newest (3) goes
    #expect(fleet.pods.map(\.serial) == [0, 1, 2])
    fleet.refresh(at: 200_000)
    #expect(fleet.ready == 3)
    fleet.scale(to: 1, at: 200_000)  // pod 2 was ready most recently; then 1 (newer than 0)
    #expect(fleet.pods.map(\.serial) == [0])
    #expect(fleet.replicas == 1 && fleet.ready == 1 && fleet.pending == 0)
  }
}

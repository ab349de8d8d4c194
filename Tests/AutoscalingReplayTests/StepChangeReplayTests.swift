import AutoscalingCore
import HorizontalAutoscaling
import Testing

@testable import AutoscalingReplay

/// Small replays worked out by hand: a step change in demand, one Pods metric.
///
/// Common setup: HPA min 2, max 10, one Pods metric `requests_per_second` with target
/// AverageValue 100, the default behavior (scale-up: no stabilization, max of +4 pods and +100 %
/// per 15 s). Each pod serves at most 100 requests/s. Demand is 150 requests/s until t = 60 s,
/// then 500. Steps, syncs and scrapes every 15 s, window 15 s, no lag. Pods become ready 30 s
/// after they start. The replay covers [0, 300 s): 20 steps. Two pods are ready at the start.
@Suite("Hand-computed replays")
struct StepChangeReplayTests {
  static func replay(pendingMilliseconds: Int64 = 0, timing: ReplayTiming = ReplayTiming())
    throws -> Replay
  {
    let spec = try HorizontalPodAutoscalerSpec(
      metrics: [.pods("requests_per_second", target: .averageValue(Quantity(100)))],
      minReplicas: 2, maxReplicas: 10, behavior: ScalingBehavior())
    let template = PodTemplate(
      containers: [Container(name: "app", requests: [.cpu: Quantity(1)])])
    let workload = WorkloadModel(
      podTemplate: template, capacityPerPod: 100, usage: [], initialReplicas: 2)
    let demand = ReplaySeries(
      name: "rps", timestampsMilliseconds: [0, 60_000, 285_000], values: [150, 500, 500])
    return try Replay(
      autoscaler: spec, workload: workload, demand: demand, timing: timing,
      lifecycle: PodLifecycle(
        pendingMilliseconds: pendingMilliseconds, startupMilliseconds: 30_000),
      startMilliseconds: 0, endMilliseconds: 300_000)
  }

  /// Reconciles (t in s; the sample at t averages the step that started at t − 15):
  /// - t = 0…60: each of the 2 pods reports 150 / 2 = 75 → ratio 0.75 → ⌈0.75 × 2⌉ = 2: stay.
  /// - t = 75: the step at 60 had 500 over 2 pods → 250 each → ratio 2.5 → ⌈2.5 × 2⌉ = 5;
  ///   limit max(2 + 4, ⌈2 × 2⌉) = 6 → scale to 5; 3 pods start at 75, ready at 105.
  /// - t = 90, 105: the new pods report 0 (running, not ready, no traffic); for a Pods metric
  ///   they count, so the mean is (250 + 250 + 0 + 0 + 0) / 5 = 100 → ratio 1 → stay at 5.
  /// - t ≥ 120: 5 ready pods at 100 each → stay at 5.
  ///
  /// Scoring: required replicas ⌈D / 100⌉ are 2 until t = 60 and 5 from t = 60; ready pods are
  /// 2 until t = 105 and 5 from then on. Under-provisioned at t = 60, 75, 90: one episode of
  /// 45 s, each step short by 3 of 5 replicas and 500 − 200 = 300 requests/s.
  /// - τU = 45 / 300 = 0.15; θU = 3 × (3/5) × 15 / 300 = 0.09; τO = θO = 0.
  /// - unserved = 3 × 300 × 15 = 13,500 requests.
  /// - replica-seconds = (5 steps × 2 + 15 steps × 5) × 15 = 1,275; mean 4.25; max 5.
  /// - one scaling action in 300 s = 12 per hour; no reversal.
  /// - supply changed once (2 → 5), required replicas once (2 → 5): jitter 0.
  /// - time to scale p50 = p95 = 45 s; no pending pod-seconds (pods start at creation).
  @Test func stepChangeScalesOnceAndScoresExactly() throws {
    var desiredAtSync: [Int] = []
    var readyAtStep: [Int] = []
    let card = try Self.replay().run { row in
      if row.reconciled { desiredAtSync.append(row.desiredReplicas) }
      readyAtStep.append(row.readyReplicas)
    }
    #expect(desiredAtSync == [2, 2, 2, 2, 2] + Array(repeating: 5, count: 15))
    #expect(readyAtStep == Array(repeating: 2, count: 7) + Array(repeating: 5, count: 13))
    #expect(card.underProvisionedTimeShare == 0.15)
    #expect(abs(card.underProvisioningAccuracy - 0.09) < 1e-12)
    #expect(card.overProvisionedTimeShare == 0)
    #expect(card.overProvisioningAccuracy == 0)
    #expect(card.unservedDemand == 13_500)
    #expect(card.replicaSeconds == 1_275)
    #expect(card.meanReplicas == 4.25)
    #expect(card.maxReplicas == 5)
    #expect(card.scalingActions == 1)
    #expect(abs(card.scalingActionsPerHour - 12) < 1e-9)
    #expect(card.directionReversals == 0)
    #expect(card.jitter == 0)
    #expect(card.timeToScaleP50Seconds == 45)
    #expect(card.timeToScaleP95Seconds == 45)
    #expect(card.pendingPodSeconds == 0)
  }

  /// As above with pods pending 15 s before they start (start at 90, ready at 120):
  /// - t = 90: the new pods are running but started after the window began (75), so they have
  ///   no sample (missing). Ready pods' mean is 250 → ratio 2.5 > 1, so missing pods count as 0:
  ///   500 / 5 = 100 → ratio 1 → within tolerance → stay at 5.
  /// - t = 105: their samples cover [90, 105), not ready → 0 → mean 100 → stay at 5.
  /// Under-provisioned at t = 60, 75, 90, 105: 60 s; unserved 4 × 300 × 15 = 18,000;
  /// 3 pods pending during the step at 75: 45 pod-seconds; θU = 4 × 0.6 × 15 / 300 = 0.12.
  @Test func pendingDelayAddsAStepAndPendingPodSeconds() throws {
    var desiredAtSync: [Int] = []
    let card = try Self.replay(pendingMilliseconds: 15_000).run { row in
      if row.reconciled { desiredAtSync.append(row.desiredReplicas) }
    }
    #expect(desiredAtSync == [2, 2, 2, 2, 2] + Array(repeating: 5, count: 15))
    #expect(card.underProvisionedTimeShare == 0.2)
    #expect(abs(card.underProvisioningAccuracy - 0.12) < 1e-12)
    #expect(card.unservedDemand == 18_000)
    #expect(card.timeToScaleP50Seconds == 60)
    #expect(card.pendingPodSeconds == 45)
    #expect(card.scalingActions == 1)
  }

  /// As the first case with a metrics lag of 15 s: at t the HPA reads the scrape of t − 15,
  /// which averages [t − 30, t − 15).
  /// - t = 75 still sees 150 (the step at 45) → stay; t = 90 sees the step at 60 → 5 pods,
  ///   started at 90, ready at 120.
  /// - t = 105: the new pods have no sample yet (they started after the window began):
  ///   missing, ratio 2.5 > 1 → counted as 0 → 500 / 5 = 100 → stay; later samples average to
  ///   100 (0 while starting) → stay.
  /// Under-provisioned at 60…105: 60 s, unserved 4 × 300 × 15 = 18,000.
  @Test func metricsLagDelaysTheScaleUpByOneSync() throws {
    var desiredAtSync: [Int] = []
    let card = try Self.replay(timing: ReplayTiming(metricsLagMilliseconds: 15_000)).run { row in
      if row.reconciled { desiredAtSync.append(row.desiredReplicas) }
    }
    #expect(desiredAtSync == Array(repeating: 2, count: 6) + Array(repeating: 5, count: 14))
    #expect(card.unservedDemand == 18_000)
    #expect(card.timeToScaleP95Seconds == 60)
    #expect(card.scalingActions == 1)
  }

  /// As the first case with a 30-s metrics window (two steps per sample):
  /// - t = 75: [45, 75) averages 75 and 250 → 162.5 → ratio 1.625 → ⌈3.25⌉ = 4; two pods start
  ///   at 75, ready at 105.
  /// - t = 90: [60, 90): the old pods report 250; the new ones started after 60: missing →
  ///   counted as 0 → 500 / 4 = 125 → ⌈1.25 × 4⌉ = 5 (the +2 event at 75 is not within the
  ///   15-s policy period ending at 90, so the limit is 8). The fifth pod starts at 90, ready
  ///   at 120.
  /// - t = 105: old pods 250, pods started at 75 report 0 (starting), the pod started at 90 is
  ///   missing → (250 + 250 + 0 + 0 + 0) / 5 = 100 → stay at 5.
  /// Ready pods: 2 until 90, 4 at 105, 5 from 120. Required 5 from 60: under-provisioned at
  /// 60…105 (60 s); unserved 3 × 300 × 15 + 100 × 15 = 15,000; two scale-ups.
  @Test func longerWindowSmoothsTheFirstSample() throws {
    var desiredAtSync: [Int] = []
    var ready: [Int] = []
    let card = try Self.replay(timing: ReplayTiming(metricsWindowMilliseconds: 30_000)).run {
      row in
      desiredAtSync.append(row.desiredReplicas)
      ready.append(row.readyReplicas)
    }
    #expect(desiredAtSync == [2, 2, 2, 2, 2, 4] + Array(repeating: 5, count: 14))
    #expect(ready == Array(repeating: 2, count: 7) + [4] + Array(repeating: 5, count: 12))
    #expect(card.unservedDemand == 15_000)
    #expect(card.timeToScaleP50Seconds == 60)
    #expect(card.scalingActions == 2)
    #expect(card.directionReversals == 0)
  }
}

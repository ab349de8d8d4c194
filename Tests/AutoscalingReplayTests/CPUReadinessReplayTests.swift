import AutoscalingCore
import HorizontalAutoscaling
import Testing

@testable import AutoscalingReplay

/// A CPU-utilization replay worked out by hand, where new pods burst to 2 cores while they
/// start and upstream's CPU readiness rules must keep that burst out of the decision.
///
/// Setup: HPA min 1, max 10, cpu Utilization 50 %, default behavior; production controller
/// settings (CPU initialization period 300 s, tolerance 0.1). One container requesting 1 core;
/// usage 0.01 cores per request/s served (100 requests/s → 1 core), 2 cores while starting.
/// Each pod serves up to 100 requests/s. Demand 50 requests/s until t = 30 s, then 150. Pods
/// start when created and are ready 30 s later. 15-s steps, syncs and scrapes, window 15 s.
/// One pod at the start; the replay covers [0, 180 s): 12 steps.
@Suite("Hand-computed CPU replay")
struct CPUReadinessReplayTests {
  /// Reconciles (the sample at t averages the step that started at t − 15):
  /// - t = 0, 15, 30: 50 requests/s on 1 pod → 0.5 cores = 50 % → ratio 1 → stay at 1.
  /// - t = 45: the step at 30 served 100 of 150 (capacity) → 1 core = 100 % → ratio 2 →
  ///   ⌈2 × 1⌉ = 2 (limit max(1 + 4, 2 × 1) = 5). pod-1 starts at 45, ready at 75.
  /// - t = 60: pod-1's sample is its 2-core burst, but it is not ready and within its CPU
  ///   initialization period, so it is unready. Ready pods' ratio is 2 > 1 with unready pods,
  ///   so unready pods count as 0: (1000 + 0) m / 2000 m = 50 % → ratio 1 → stay at 2.
  ///   (Counting the burst would have given ⌈1.5 × 2⌉ = 3.)
  /// - t = 75: pod-1 became ready at 75, but its sample (timestamp 75) predates readiness +
  ///   window (90): still unready → stay at 2.
  /// - t = 90: both ready, 150 shared → 0.75 cores = 75 % → ratio 1.5 → ⌈1.5 × 2⌉ = 3.
  ///   pod-2 starts at 90, ready at 120.
  /// - t = 105, 120: pod-2 unready (bursting, then sample before 120 + 15): (750 + 750 + 0) /
  ///   3000 = 50 % → stay at 3. t ≥ 135: 3 ready pods at 50 % → stay.
  ///
  /// Scoring: required ⌈D / 100⌉ is 1, then 2 from t = 30. Ready: 1 until t = 60, 2 for
  /// t = 75…105, 3 from t = 120.
  /// - Under-provisioned at 30, 45, 60 (45 s): τU = 0.25, θU = 3 × ½ × 15 / 180 = 0.125,
  ///   unserved 3 × 50 × 15 = 2,250 requests, time to scale 45 s.
  /// - Over-provisioned at 120…165 (3 vs 2): τO = 60 / 180 = ⅓, θO = 4 × ½ × 15 / 180 = ⅙.
  /// - Replicas 1 (t = 0…30), 2 (45…75), 3 (90…165): (3 + 6 + 18) × 15 = 405 replica-seconds,
  ///   mean 2.25, max 3. Two scale-ups in 180 s: 40 per hour, no reversal.
  /// - Supply changed twice, required replicas once: jitter (2 − 1) / 0.05 h = 20 per hour.
  @Test func startupBurstIsIgnoredWhilePodsInitialize() throws {
    let spec = try HorizontalPodAutoscalerSpec(
      metrics: [.resource(.cpu, target: .utilization(50))], minReplicas: 1, maxReplicas: 10,
      behavior: ScalingBehavior())
    let workload = WorkloadModel(
      podTemplate: PodTemplate(
        containers: [Container(name: "app", requests: [.cpu: Quantity(1)])]),
      capacityPerPod: 100,
      usage: [ResourceUsageModel(resource: .cpu, base: 0, perUnitOfDemand: 0.01, startupUsage: 2)],
      initialReplicas: 1)
    let replay = try Replay(
      autoscaler: spec, workload: workload,
      demand: ReplaySeries(
        name: "rps", timestampsMilliseconds: [0, 30_000, 165_000], values: [50, 150, 150]),
      lifecycle: PodLifecycle(startupMilliseconds: 30_000), startMilliseconds: 0,
      endMilliseconds: 180_000)
    var desired: [Int] = []
    var ready: [Int] = []
    var utilization: [Double] = []
    let card = replay.run { row in
      desired.append(row.desiredReplicas)
      ready.append(row.readyReplicas)
      utilization.append(row.metrics[0].current)
    }
    #expect(desired == [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3, 3])
    #expect(ready == [1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3])
    // The reported utilization is upstream's: over ready pods, before rebalancing.
    #expect(utilization == [50, 50, 50, 100, 100, 100, 75, 75, 75, 50, 50, 50])
    #expect(card.underProvisionedTimeShare == 0.25)
    #expect(card.underProvisioningAccuracy == 0.125)
    #expect(abs(card.overProvisionedTimeShare - 1.0 / 3) < 1e-12)
    #expect(abs(card.overProvisioningAccuracy - 1.0 / 6) < 1e-12)
    #expect(card.unservedDemand == 2_250)
    #expect(card.replicaSeconds == 405)
    #expect(card.meanReplicas == 2.25)
    #expect(card.maxReplicas == 3)
    #expect(card.scalingActions == 2)
    #expect(abs(card.scalingActionsPerHour - 40) < 1e-9)
    #expect(card.directionReversals == 0)
    #expect(abs(card.jitter - 20) < 1e-9)
    #expect(card.timeToScaleP50Seconds == 45)
    #expect(card.timeToScaleP95Seconds == 45)
  }
}

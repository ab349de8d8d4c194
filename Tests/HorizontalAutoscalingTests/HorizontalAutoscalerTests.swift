import AutoscalingCore
import HorizontalAutoscaling
import Testing
import _AutoscalingTestSupport

/// Hand-computed cases for what the upstream vectors miss (spec §14 traps, selectPolicy
/// Disabled, scale to zero over several syncs, bad input).
@Suite("HorizontalAutoscaler traps and edges")
struct HorizontalAutoscalerTests {
  let cpu50 = MetricSpec.resource(.cpu, target: .utilization(50))

  func cpuObservation(replicas: Int, usage: [Int64?], pods: [PodObservation]? = nil)
    -> HorizontalAutoscalerObservation
  {
    let pods = pods ?? Build.pods(usage.count)
    return Build.observation(
      replicas: replicas, pods: pods, metrics: [.resource(Build.samples(usage))])
  }

  @Test("§14.1 the ratio uses the truncated percentage: 65.99 % counts as 65 %")
  func truncatedUtilization() throws {
    // 6599 m of 10 000 m requested is 65.99 %, truncated to 65; 65/50 × 10 = 13 exactly.
    // An exact ratio (1.3198 × 10 = 13.2) would give 14.
    let usage: [Int64?] = Array(repeating: 660, count: 9) + [659]
    let result = try ReplicaCalculator().resourceReplicas(
      currentReplicas: 10, targetUtilization: 50, resource: .cpu, pods: Build.pods(10),
      metrics: Build.samples(usage), at: Build.now)
    #expect(result.utilization == 65)
    #expect(result.replicas == 13)
    #expect(result.usageMilli == 659)  // 6599 / 10, truncated
  }

  @Test("§14.2 exactly 110 % of a 100 % target is within tolerance; 111 % is not")
  func inclusiveTolerance() throws {
    let calculator = ReplicaCalculator()
    let at110 = try calculator.resourceReplicas(
      currentReplicas: 10, targetUtilization: 100, resource: .cpu, pods: Build.pods(10),
      metrics: Build.samples(Array(repeating: 1100, count: 10)), at: Build.now)
    #expect(at110.replicas == 10)
    let at111 = try calculator.resourceReplicas(
      currentReplicas: 10, targetUtilization: 100, resource: .cpu, pods: Build.pods(10),
      metrics: Build.samples(Array(repeating: 1110, count: 10)), at: Build.now)
    #expect(at111.replicas == 12)  // ceil(1.11 × 10)
  }

  @Test(
    "§14.3 per-pod Object metrics use status replicas and ignore readiness; Value uses ready pods")
  func objectMetricQuirks() throws {
    let calculator = ReplicaCalculator()
    // 5000 over 5 status replicas at 1000 per pod is exactly on target: keep 5 (not spec's 3).
    let perPod = calculator.objectPerPodMetricReplicas(
      statusReplicas: 5, targetAverageMilli: 1000, usageMilli: 5000)
    #expect(perPod.replicas == 5)
    #expect(perPod.usageMilli == 1000)
    // Value target with 1 of 3 pods ready: ceil(8600/4400 × 1) = 2, a scale-down above target.
    let pods = [Build.pod(0), Build.pod(1, ready: .notReady), Build.pod(2, phase: .pending)]
    let value = try calculator.objectMetricReplicas(
      currentReplicas: 3, targetMilli: 4400, usageMilli: 8600, pods: pods)
    #expect(value.replicas == 2)
  }

  @Test("§14.4 a failed metric blocks a scale-down")
  func partialFailureBlocksScaleDown() throws {
    var hpa = HorizontalAutoscaler(
      spec: try Build.spec([cpu50, .external("queue", target: .value(Quantity(10)))]))
    let observation = Build.observation(
      replicas: 4, pods: Build.pods(4),
      metrics: [.resource(Build.samples([100, 100, 100, 100])), .unavailable])
    let decision = hpa.reconcile(observation, at: Build.now)
    #expect(!decision.isRescaled)
    #expect(decision.desiredReplicas == 0)  // status.desiredReplicas keeps its old value
    #expect(decision.condition(.scalingActive)?.reason == .failedGetExternalMetric)
    guard case .invalidMetrics(1, 2, let first, true) = decision.error else {
      Issue.record("expected a blocking metric error, got \(String(describing: decision.error))")
      return
    }
    #expect(first.metricIndex == 1)
  }

  @Test("§14.4 a failed metric does not block a scale-up")
  func partialFailureAllowsScaleUp() throws {
    var hpa = HorizontalAutoscaler(
      spec: try Build.spec([.external("queue", target: .value(Quantity(10))), cpu50]))
    let observation = Build.observation(
      replicas: 4, pods: Build.pods(4),
      metrics: [.unavailable, .resource(Build.samples([1000, 1000, 1000, 1000]))])
    let decision = hpa.reconcile(observation, at: Build.now)
    // 100 % against 50 % on 4 pods: 8, within the legacy cap max(2 × 4, 4) = 8.
    #expect(decision.isRescaled)
    #expect(decision.desiredReplicas == 8)
    #expect(decision.condition(.scalingActive)?.reason == .validMetricFound)
    #expect(decision.rescaleReason == .metricAboveTarget(metricIndex: 1))
    guard case .invalidMetrics(1, 2, _, false) = decision.error else {
      Issue.record(
        "expected a non-blocking metric error, got \(String(describing: decision.error))")
      return
    }
  }

  @Test("§14.5 behavior rate limit: scale-up ignores minReplicas, scale-down ignores maxReplicas")
  func rateLimitIgnoresOtherBound() {
    let up = ReplicaLimits.rateLimited(
      current: 1, desired: 2, minReplicas: 5, maxReplicas: 10, behavior: .default,
      events: ScaleEventLog(), at: Build.now)
    #expect(up.replicas == 2)
    #expect(up.reason == .desiredWithinRange)
    let down = ReplicaLimits.rateLimited(
      current: 20, desired: 15, minReplicas: 1, maxReplicas: 10, behavior: .default,
      events: ScaleEventLog(), at: Build.now)
    #expect(down.replicas == 15)
  }

  @Test("§14.6 after rebalancing the count uses every metric entry, including unlisted pods")
  func rebalanceCountsUnlistedMetrics() throws {
    // Pod 0 reports 30, pod 1 is missing, an unlisted pod reports 30 (target 10 per pod).
    // Average over {pod 0, unlisted} = 30 → ratio 3 > 1, so the missing pod counts as 0:
    // (30 + 30 + 0) / 3 = 20 → ratio 2, × 3 entries = 6.
    let metrics = PodMetrics(
      samples: [PodMetricSample(valueMilli: 30_000, timestamp: Build.now), nil],
      unlistedSamples: [PodMetricSample(valueMilli: 30_000, timestamp: Build.now)])
    let result = try ReplicaCalculator().podsMetricReplicas(
      currentReplicas: 2, targetAverageMilli: 10_000, pods: Build.pods(2), metrics: metrics,
      at: Build.now)
    #expect(result.replicas == 6)
    #expect(result.usageMilli == 30_000)
  }

  @Test("§14.7 unready pods count as 0 only on scale-up, which can flip the direction")
  func unreadyDirectionFlip() throws {
    // 3 ready pods at 60 % (ratio 1.2) and 2 pending pods: rebalanced 1800/5000 = 36 % → 0.72,
    // the direction flips, so the count stays at 5 (ignoring unready pods would give 4).
    let pods = Build.pods(3) + [Build.pod(3, phase: .pending), Build.pod(4, phase: .pending)]
    let result = try ReplicaCalculator().resourceReplicas(
      currentReplicas: 5, targetUtilization: 50, resource: .cpu, pods: pods,
      metrics: Build.samples([600, 600, 600, nil, nil]), at: Build.now)
    #expect(result.replicas == 5)
    #expect(result.utilization == 60)
  }

  @Test("§14.8 history reuses the last stale slot and stores the unstabilized proposal")
  func historyReuse() {
    let old = Build.now - .seconds(900)
    var history = RecommendationHistory([
      Recommendation(replicas: 1, timestamp: old), Recommendation(replicas: 2, timestamp: old),
      Recommendation(replicas: 9, timestamp: Build.now - .seconds(60)),
    ])
    let stabilized = history.stabilizeForScaleDown(3, window: .seconds(300), at: Build.now)
    #expect(stabilized == 9)
    #expect(history.entries.map(\.replicas) == [1, 3, 9])
  }

  @Test(
    "§14.9 legacy cap max(2 × current, 4); default behavior max(current + 4, 2 × current) per 15 s")
  func scaleUpCaps() {
    #expect(
      ReplicaLimits.legacyClamped(current: 3, desired: 50, minReplicas: 1, maxReplicas: 100) == (
        6, .scaleUpLimit
      ))
    #expect(
      ReplicaLimits.legacyClamped(current: 1, desired: 50, minReplicas: 1, maxReplicas: 100) == (
        4, .scaleUpLimit
      ))
    #expect(
      ReplicaLimits.legacyClamped(current: 3, desired: 50, minReplicas: 1, maxReplicas: 5) == (
        5, .tooManyReplicas
      ))
    let log = ScaleEventLog()
    #expect(log.scaleUpLimit(current: 3, rules: .defaultScaleUp, at: Build.now) == 7)
    #expect(log.scaleUpLimit(current: 10, rules: .defaultScaleUp, at: Build.now) == 20)
  }

  @Test("§14.10 no backoff: consecutive syncs may both scale up")
  func noBackoff() throws {
    var hpa = HorizontalAutoscaler(spec: try Build.spec())
    let first = hpa.reconcile(cpuObservation(replicas: 2, usage: [1000, 1000]), at: Build.now)
    #expect(first.desiredReplicas == 4)  // 200 % of target on 2 pods
    let second = hpa.reconcile(
      cpuObservation(replicas: 4, usage: [1000, 1000, 1000, 1000]), at: Build.now + .seconds(15))
    #expect(second.isRescaled)
    #expect(second.desiredReplicas == 8)
  }

  @Test("§14.11 a pod that went unready after its readiness delay still counts as ready")
  func unreadyLaterCountsReady() {
    let pods = [
      Build.pod(
        0, ready: .notReady, readySince: Build.now - .seconds(600),
        started: Build.now - .seconds(3600)),
      Build.pod(
        1, ready: .notReady, readySince: Build.now - .seconds(3590),
        started: Build.now - .seconds(3600)),
    ]
    let groups = ReplicaCalculator().groupPods(
      pods, metrics: Build.samples([500, 500]), resource: .cpu, at: Build.now)
    #expect(groups.readyCount == 1)
    #expect(groups.unready == [1])
  }

  @Test("selectPolicy Disabled freezes scale-up (ScaleUpLimit)")
  func disabledScaleUp() throws {
    let behavior = ScalingBehavior(scaleUp: ScalingRules(selectPolicy: .disabled))
    var hpa = HorizontalAutoscaler(spec: try Build.spec(behavior: behavior))
    let decision = hpa.reconcile(
      cpuObservation(replicas: 3, usage: [1000, 1000, 1000]), at: Build.now)
    #expect(decision.metricReplicas == 6)
    #expect(!decision.isRescaled)
    #expect(decision.desiredReplicas == 3)
    let limited = try #require(decision.condition(.scalingLimited))
    #expect(limited.status)
    #expect(limited.reason == .scaleUpLimit)
  }

  @Test("selectPolicy Disabled freezes scale-down (ScaleDownLimit) whatever the window")
  func disabledScaleDown() throws {
    let behavior = ScalingBehavior(
      scaleDown: ScalingRules(stabilizationWindow: .zero, selectPolicy: .disabled))
    var hpa = HorizontalAutoscaler(
      spec: try Build.spec(behavior: behavior),
      state: HorizontalAutoscalerState(recommendations: RecommendationHistory()))
    let decision = hpa.reconcile(
      cpuObservation(replicas: 6, usage: Array(repeating: 100, count: 6)), at: Build.now)
    #expect(decision.metricReplicas == 2)  // 10 % of 50 % on 6 pods: ceil(1.2)
    #expect(decision.desiredReplicas == 6)
    #expect(decision.condition(.scalingLimited)?.reason == .scaleDownLimit)
    // With minReplicas equal to the frozen limit the reason is TooFewReplicas.
    let atMinimum = ReplicaLimits.rateLimited(
      current: 6, desired: 2, minReplicas: 6, maxReplicas: 10, behavior: behavior.defaulted(),
      events: ScaleEventLog(), at: Build.now)
    #expect(atMinimum == (6, .tooFewReplicas))
  }

  @Test("Disabled with maxReplicas at current reports TooManyReplicas")
  func disabledAtMaximum() {
    let behavior = ScalingBehavior(scaleUp: ScalingRules(selectPolicy: .disabled)).defaulted()
    let result = ReplicaLimits.rateLimited(
      current: 5, desired: 9, minReplicas: 1, maxReplicas: 5, behavior: behavior,
      events: ScaleEventLog(), at: Build.now)
    #expect(result == (5, .tooManyReplicas))
  }

  @Test("replicas == 0 disables the HPA (ScalingDisabled)")
  func zeroReplicasDisabled() throws {
    var hpa = HorizontalAutoscaler(spec: try Build.spec())
    let decision = hpa.reconcile(cpuObservation(replicas: 0, usage: []), at: Build.now)
    #expect(!decision.isRescaled)
    #expect(decision.desiredReplicas == 0)
    #expect(decision.condition(.scalingActive)?.reason == .scalingDisabled)
    #expect(decision.metrics.isEmpty)
  }

  @Test("scale to zero and back with HPAScaleToZero over several syncs")
  func scaleToZeroAndBack() throws {
    let gates = FeatureGates(scaleToZero: true)
    let spec = try HorizontalPodAutoscalerSpec(
      metrics: [.external("queue", target: .value(Quantity(10)))], minReplicas: 0, maxReplicas: 10,
      featureGates: gates)
    var hpa = HorizontalAutoscaler(
      spec: spec, options: HorizontalAutoscalerOptions(featureGates: gates))
    var replicas = 2
    var time = Build.now
    // Queue empty: proposals are 0; the 5-minute window holds the count, then it drops to 0.
    for _ in 0..<30 where replicas > 0 {
      let decision = hpa.reconcile(
        Build.observation(
          replicas: replicas, pods: Build.pods(replicas), metrics: [.external(valuesMilli: [0])]),
        at: time)
      replicas = decision.replicas
      time = time + .seconds(15)
    }
    #expect(replicas == 0)
    #expect(hpa.state.conditions.first { $0.type == .scaledToZero }?.reason == .scaledToZero)
    // Work arrives: 25 against a target of 10 from zero gives ceil(2.5) = 3.
    let back = hpa.reconcile(
      Build.observation(replicas: 0, pods: [], metrics: [.external(valuesMilli: [25_000])]),
      at: time)
    #expect(back.isRescaled)
    #expect(back.desiredReplicas == 3)
    #expect(back.condition(.scaledToZero)?.reason == .notScaledToZero)
  }

  @Test("configurable tolerance: a wide scale-down tolerance holds, the scale-up side still acts")
  func configurableTolerance() throws {
    let behavior = ScalingBehavior(scaleDown: ScalingRules(tolerance: Quantity(milliValue: 500)))
    let hpa = HorizontalAutoscaler(spec: try Build.spec(behavior: behavior))
    #expect(hpa.tolerances == Tolerances(scaleDown: 0.5, scaleUp: 0.1))
    var off = hpa
    off.options.featureGates.configurableTolerance = false
    #expect(off.tolerances == Tolerances(0.1))
  }

  @Test("bad input never traps: overflowing values, missing requests, short metric lists")
  func badInputBecomesConditions() throws {
    // A target of 0 (only possible without validation) and values that overflow int64 sums.
    let spec = HorizontalPodAutoscalerSpec(
      uncheckedMetrics: [
        .external("q", target: .averageValue(Quantity(milliValue: 1))),
        .resource(.cpu, target: MetricTarget(type: .utilization, averageUtilization: 0)),
        .pods("p", target: .averageValue(.zero)),
      ], minReplicas: 1, maxReplicas: 10)
    var hpa = HorizontalAutoscaler(spec: spec)
    let noRequests = [ContainerRequests(name: "app", requests: ResourceRequests())]
    let pods = [Build.pod(0, containers: noRequests), Build.pod(1)]
    let decision = hpa.reconcile(
      HorizontalAutoscalerObservation(
        specReplicas: 2, statusReplicas: 0, pods: pods,
        metrics: [.external(valuesMilli: [.max, .max]), .resource(Build.samples([500, 500]))]),
      at: Build.now)
    #expect(decision.metrics.count == 3)
    #expect(decision.metrics[1].failure == .failedGetResourceMetric)  // missing request
    #expect(decision.metrics[2].failure == .failedGetPodsMetric)  // no answer given
    // The capped sum proposes int32's maximum; the legacy cap allows max(2 × 2, 4) = 4.
    #expect(decision.metrics[0].proposedReplicas == Int(Int32.max))
    #expect(decision.replicas == 4)
    #expect(decision.condition(.scalingLimited)?.reason == .scaleUpLimit)
    guard case .invalidMetrics(2, 3, let first, false) = decision.error else {
      Issue.record("unexpected \(String(describing: decision.error))")
      return
    }
    #expect(
      first.calculationError == .missingRequest(resource: "cpu", container: "app", pod: "pod-0"))
  }

  @Test("an unreadable scale or a failed write leaves status.desiredReplicas alone")
  func scaleSubresourceFailures() throws {
    var hpa = HorizontalAutoscaler(
      spec: try Build.spec(), state: HorizontalAutoscalerState(desiredReplicas: 7))
    var observation = cpuObservation(replicas: 2, usage: [1000, 1000])
    observation.scaleUpdateSucceeds = false
    let failed = hpa.reconcile(observation, at: Build.now)
    #expect(failed.desiredReplicas == 7)
    #expect(failed.error == .failedUpdateScale(attemptedReplicas: 4))
    #expect(hpa.state.scaleEvents.scaleUp.isEmpty)
    observation.isScaleReadable = false
    let unreadable = hpa.reconcile(observation, at: Build.now + .seconds(15))
    #expect(unreadable.error == .failedGetScale)
    #expect(unreadable.condition(.ableToScale)?.reason == .failedGetScale)
  }

  @Test("selector strings are classified as upstream parses them")
  func selectorStrings() {
    #expect(SelectorState(selectorString: "") == .missing)
    #expect(SelectorState(selectorString: "app=web,tier!=db") == .valid)
    #expect(SelectorState(selectorString: "env in (prod, staging),!canary") == .valid)
    #expect(SelectorState(selectorString: "cheddar cheese") == .invalid)
    #expect(SelectorState(selectorString: "app in prod") == .invalid)
  }
}

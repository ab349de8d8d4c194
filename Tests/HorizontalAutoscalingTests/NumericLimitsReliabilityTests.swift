import AutoscalingCore
import HorizontalAutoscaling
import Testing

/// The HPA at the limits of its integer types: replicas at Int32.max, metric values at Int64's
/// ends, targets of one nano-unit, huge and degenerate windows and periods. Each case either
/// validates as the API server would, or reconciles to a replica count inside [min, max]
/// without trapping.
@Suite("Numeric limits: HPA")
struct HPANumericLimitsReliabilityTests {
  static let int32Max = Int(Int32.max)

  @Test("maxReplicas and minReplicas at Int32.max validate; one more is rejected")
  func replicaBounds() throws {
    let spec = try Build.spec(min: Self.int32Max, max: Self.int32Max)
    #expect(spec.maxReplicas == Self.int32Max && spec.minReplicas == Self.int32Max)
    #expect(throws: SpecValidationError.self) { try Build.spec(max: Self.int32Max + 1) }
    #expect(throws: SpecValidationError.self) { try Build.spec(min: Self.int32Max + 1, max: 3) }
    #expect(throws: SpecValidationError.self) { try Build.spec(max: Int.max) }
    #expect(throws: SpecValidationError.self) { try Build.spec(min: Int.min, max: 3) }
    #expect(throws: SpecValidationError.self) {
      try Build.spec([.resource(.cpu, target: .utilization(Self.int32Max + 1))])
    }
    #expect(throws: SpecValidationError.self) {
      try Build.spec(
        behavior: ScalingBehavior(
          scaleUp: ScalingRules(policies: [.pods(Self.int32Max + 1, per: .seconds(15))])))
    }
  }

  @Test(
    "a metric at Int64.max against a one-milli target scales up as far as the limit allows",
    arguments: [1, 3])
  func hugePodsMetric(pods: Int) throws {
    let spec = try Build.spec(
      [.pods("rps", target: .averageValue(Quantity(milliValue: 1)))], max: Self.int32Max)
    var autoscaler = HorizontalAutoscaler(spec: spec)
    let decision = autoscaler.reconcile(
      Build.observation(
        replicas: pods, pods: Build.pods(pods),
        metrics: [.pods(Build.samples(Array(repeating: Int64.max, count: pods)))]),
      at: Build.now)
    // Without a behavior, upstream's legacy normalization limits a scale-up to
    // max(2 × current, 4) replicas.
    #expect(decision.replicas == max(2 * pods, 4))
    #expect(decision.replicas <= Self.int32Max)
  }

  @Test("a Pods metric whose sum overflows Int64 wraps as upstream's int64 does; no trap")
  func wrappingSum() throws {
    let spec = try Build.spec(
      [.pods("rps", target: .averageValue(Quantity(milliValue: 1)))], max: Self.int32Max)
    var autoscaler = HorizontalAutoscaler(spec: spec)
    let decision = autoscaler.reconcile(
      Build.observation(
        replicas: 1_000, pods: Build.pods(1_000),
        metrics: [.pods(Build.samples(Array(repeating: Int64.max, count: 1_000)))]),
      at: Build.now)
    #expect((1...Self.int32Max).contains(decision.replicas))
  }

  @Test("at Int32.max replicas with unbounded load, the count stays at Int32.max")
  func atInt32Max() throws {
    let spec = try Build.spec(
      [.external("queue", target: .averageValue(Quantity(nanoValue: 1)))],
      min: Self.int32Max - 1, max: Self.int32Max,
      behavior: ScalingBehavior(
        scaleUp: ScalingRules(policies: [.percent(Self.int32Max, per: .seconds(1))])))
    var autoscaler = HorizontalAutoscaler(spec: spec)
    let decision = autoscaler.reconcile(
      Build.observation(
        replicas: Self.int32Max, pods: Build.pods(2),
        metrics: [.external(valuesMilli: [Int64.max, Int64.max])]),
      at: Build.now)
    #expect(decision.replicas == Self.int32Max)
  }

  @Test(
    "object and external totals at the Int64 ends never trap; replicas stay in [min, max]",
    arguments: [Int64.max, Int64.min, 0, -1, 1])
  func extremeTotals(value: Int64) throws {
    let spec = try Build.spec(
      [
        .object(
          "qps", describedObject: CrossVersionObjectReference(kind: "Ingress", name: "main"),
          target: .value(Quantity(nanoValue: 1))),
        .external("queue", target: .value(Quantity(Int64.max))),
      ], min: 2, max: 50)
    var autoscaler = HorizontalAutoscaler(spec: spec)
    let decision = autoscaler.reconcile(
      Build.observation(
        replicas: 10, pods: Build.pods(10),
        metrics: [.object(valueMilli: value), .external(valuesMilli: [value, value])]),
      at: Build.now)
    #expect((2...50).contains(decision.replicas))
  }

  @Test("pod metric values at Int64.min (a broken exporter) never trap")
  func negativeSamples() throws {
    let spec = try Build.spec([.pods("rps", target: .averageValue(Quantity(10)))], max: 20)
    var autoscaler = HorizontalAutoscaler(spec: spec)
    let decision = autoscaler.reconcile(
      Build.observation(
        replicas: 4, pods: Build.pods(4),
        metrics: [.pods(Build.samples([Int64.min, Int64.min, Int64.max, Int64.min]))]),
      at: Build.now)
    #expect((1...20).contains(decision.replicas))
  }

  @Test(
    "unchecked behaviors with degenerate windows and periods never trap",
    arguments: [
      Duration.zero, .seconds(-1), .seconds(Int64.max), .seconds(Int64.min), .nanoseconds(1),
    ])
  func degenerateDurations(duration: Duration) {
    // The unchecked initializer skips validation, as upstream's controller tests do; the
    // controller must still not trap on what it is given.
    let behavior = ScalingBehavior(
      scaleUp: ScalingRules(
        stabilizationWindow: duration,
        policies: [.pods(4, per: duration), .percent(100, per: duration)]),
      scaleDown: ScalingRules(
        stabilizationWindow: duration, policies: [.percent(10, per: duration)]))
    let spec = HorizontalPodAutoscalerSpec(
      uncheckedMetrics: [.resource(.cpu, target: .utilization(50))], minReplicas: 1,
      maxReplicas: 30, behavior: behavior)
    var autoscaler = HorizontalAutoscaler(spec: spec)
    var replicas = 5
    var time = Build.now
    for level: Int64 in [100, 2_000, 2_000, 50, 50, 900, Int64.max / 4] {
      let decision = autoscaler.reconcile(
        Build.observation(
          replicas: replicas, pods: Build.pods(replicas),
          metrics: [.resource(Build.samples(Array(repeating: level, count: replicas), at: time))]),
        at: time)
      #expect((1...30).contains(decision.replicas))
      replicas = decision.replicas
      time = time + .seconds(15)
    }
  }

  @Test("reconciling at the ends of time never traps")
  func extremeInstants() throws {
    let spec = try Build.spec(
      max: 10,
      behavior: ScalingBehavior(scaleDown: ScalingRules(stabilizationWindow: .seconds(3600))))
    for instant in [
      Instant(millisecondsSinceEpoch: Int64.max), Instant(millisecondsSinceEpoch: Int64.min),
      Instant.distantPast,
    ] {
      var autoscaler = HorizontalAutoscaler(spec: spec)
      for step in 0..<3 {
        let decision = autoscaler.reconcile(
          Build.observation(
            replicas: 3, pods: Build.pods(3),
            metrics: [.resource(Build.samples([900, 100, 2_000], at: instant))]),
          at: instant + .seconds(Int64(step) * 15))
        #expect((1...10).contains(decision.replicas))
      }
    }
  }

  /// A request written as `cpu: 0` is present (not missing), so upstream sums requests to zero
  /// and reports "no metrics returned matched known pods" rather than dividing by zero.
  @Test("zero CPU requests: utilization cannot be computed, replicas stay, upstream's error")
  func zeroRequests() throws {
    let spec = try Build.spec(max: 10)
    let zero = [
      ContainerRequests(name: "app", requests: ResourceRequests(cpuMilli: 0, memoryMilli: 0))
    ]
    var autoscaler = HorizontalAutoscaler(spec: spec)
    let decision = autoscaler.reconcile(
      Build.observation(
        replicas: 3, pods: (0..<3).map { Build.pod($0, containers: zero) },
        metrics: [.resource(Build.samples([500, 900, 1_200]))]),
      at: Build.now)
    #expect(decision.replicas == 3)
    #expect(!decision.isRescaled)
    guard case .invalidMetrics(_, _, let first, _) = try #require(decision.error) else {
      Issue.record("expected invalidMetrics, got \(String(describing: decision.error))")
      return
    }
    #expect(first.calculationError?.description == "no metrics returned matched known pods")
  }
}

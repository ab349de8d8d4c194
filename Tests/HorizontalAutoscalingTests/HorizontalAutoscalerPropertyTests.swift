import AutoscalingCore
import HorizontalAutoscaling
import Testing
import _AutoscalingTestSupport

/// Seeded property tests: invariants checked against an independent model of the rules.
@Suite("HorizontalAutoscaler properties")
struct HorizontalAutoscalerPropertyTests {
  static let syncs = 40
  static let period = Duration.seconds(15)

  func randomRules(_ rng: inout SplitMix64, allowDisabled: Bool) -> ScalingRules {
    let periods: [Int64] = [15, 30, 60, 120]
    let count = Int.random(in: 1...2, using: &rng)
    let policies = (0..<count).map { _ -> ScalingPolicy in
      let seconds = periods.randomElement(using: &rng) ?? 15
      return Bool.random(using: &rng)
        ? .pods(Int.random(in: 1...6, using: &rng), per: .seconds(seconds))
        : .percent(Int.random(in: 10...200, using: &rng), per: .seconds(seconds))
    }
    let selects: [ScalingPolicySelect] = allowDisabled ? [.max, .min, .disabled] : [.max, .min]
    let windows: [Int64] = [0, 30, 60, 300]
    return ScalingRules(
      stabilizationWindow: .seconds(windows.randomElement(using: &rng) ?? 0),
      selectPolicy: selects.randomElement(using: &rng), policies: policies)
  }

  /// One sync's observation: every pod ready, cpu usage drawn around `level` (millicores).
  func observation(replicas: Int, level: Int64, _ rng: inout SplitMix64, at now: Instant)
    -> HorizontalAutoscalerObservation
  {
    let pods = (0..<replicas).map { Build.pod($0) }
    let samples = (0..<replicas).map { _ in
      PodMetricSample(
        valueMilli: max(0, level + Int64.random(in: -200...200, using: &rng)), timestamp: now)
    }
    return HorizontalAutoscalerObservation(
      specReplicas: replicas, pods: pods, metrics: [.resource(PodMetrics(samples: samples))])
  }

  /// Runs a random load trajectory and returns (time, replicas after the sync, decision).
  func run(
    _ autoscaler: inout HorizontalAutoscaler, start: Int, seed: UInt64
  ) -> [(time: Instant, replicas: Int, decision: HorizontalAutoscalerDecision)] {
    var rng = SplitMix64(seed: seed)
    var replicas = start
    var level = Int64.random(in: 0...2000, using: &rng)
    var time = Build.now
    var log: [(Instant, Int, HorizontalAutoscalerDecision)] = []
    for _ in 0..<Self.syncs {
      if Int.random(in: 0..<4, using: &rng) == 0 { level = Int64.random(in: 0...2500, using: &rng) }
      let decision = autoscaler.reconcile(
        observation(replicas: replicas, level: level, &rng, at: time), at: time)
      replicas = decision.replicas
      log.append((time, replicas, decision))
      time = time + Self.period
    }
    return log
  }

  /// The replica count in force at `instant` (after the sync at or before it).
  func replicas(
    at instant: Instant,
    in log: [(time: Instant, replicas: Int, decision: HorizontalAutoscalerDecision)], start: Int
  ) -> Int {
    log.last { $0.time <= instant }?.replicas ?? start
  }

  @Test(
    "behavior path: replicas stay in [min, max] and within every policy limit", arguments: 0..<8)
  func policyLimits(batch: Int) throws {
    for seed in UInt64(batch * 50)..<UInt64(batch * 50 + 50) {
      var rng = SplitMix64(seed: seed &* 0x9E37_79B9)
      let minimum = Int.random(in: 1...4, using: &rng)
      let maximum = Int.random(in: minimum...(minimum + 30), using: &rng)
      let up = randomRules(&rng, allowDisabled: true)
      let down = randomRules(&rng, allowDisabled: true)
      let spec = try Build.spec(
        min: minimum, max: maximum, behavior: ScalingBehavior(scaleUp: up, scaleDown: down))
      let start = Int.random(in: minimum...maximum, using: &rng)
      var autoscaler = HorizontalAutoscaler(spec: spec)
      let log = run(&autoscaler, start: start, seed: seed)
      var previous = start
      for entry in log {
        #expect((minimum...maximum).contains(entry.replicas), "seed \(seed)")
        if entry.replicas > previous {
          #expect(
            entry.replicas <= bound(up, direction: 1, now: entry.time, log: log, start: start),
            "seed \(seed)")
        } else if entry.replicas < previous {
          #expect(
            entry.replicas >= bound(down, direction: -1, now: entry.time, log: log, start: start),
            "seed \(seed)")
        }
        previous = entry.replicas
      }
    }
  }

  /// The policy bound computed from the replica history: Pods adds/removes `value` to the
  /// count at the start of the period, Percent scales it (ceil up, truncate down).
  func bound(
    _ rules: ScalingRules, direction: Int, now: Instant,
    log: [(time: Instant, replicas: Int, decision: HorizontalAutoscalerDecision)], start: Int
  ) -> Int {
    let policies = rules.policies ?? []
    let perPolicy = policies.map { policy -> Int in
      let periodStart = replicas(at: now - policy.period, in: log, start: start)
      let fraction = Double(policy.value) / 100
      switch (policy.type, direction > 0) {
      case (.pods, true): return periodStart + policy.value
      case (.pods, false): return periodStart - policy.value
      case (_, true): return Int((Double(periodStart) * (1 + fraction)).rounded(.up))
      case (_, false): return Int((Double(periodStart) * (1 - fraction)).rounded(.towardZero))
      }
    }
    let widest = direction > 0 ? perPolicy.max() : perPolicy.min()
    let narrowest = direction > 0 ? perPolicy.min() : perPolicy.max()
    switch rules.selectPolicy {
    case .disabled: return direction > 0 ? Int.min : Int.max  // any move is a violation
    case .min: return narrowest ?? 0
    default: return widest ?? 0
    }
  }

  @Test("same inputs give the same decision and state", arguments: 0..<4)
  func deterministic(batch: Int) throws {
    for seed in UInt64(batch * 25)..<UInt64(batch * 25 + 25) {
      var rng = SplitMix64(seed: seed)
      let behavior: ScalingBehavior? =
        Bool.random(using: &rng)
        ? ScalingBehavior(
          scaleUp: randomRules(&rng, allowDisabled: false),
          scaleDown: randomRules(&rng, allowDisabled: false))
        : nil
      let spec = try Build.spec(min: 1, max: 40, behavior: behavior)
      var first = HorizontalAutoscaler(spec: spec)
      var second = first
      let a = run(&first, start: 3, seed: seed).map(\.decision)
      let b = run(&second, start: 3, seed: seed).map(\.decision)
      #expect(a == b)
      #expect(first == second)
    }
  }

  @Test("legacy path: more load never yields fewer replicas", arguments: 0..<8)
  func monotoneInLoad(batch: Int) throws {
    for seed in UInt64(batch * 250)..<UInt64(batch * 250 + 250) {
      var rng = SplitMix64(seed: seed ^ 0xA5A5)
      let target = Int.random(in: 20...120, using: &rng)
      let spec = try Build.spec([.resource(.cpu, target: .utilization(target))], min: 1, max: 200)
      var options = HorizontalAutoscalerOptions.production
      options.tolerance = [0, 0.05, 0.1, 0.3].randomElement(using: &rng) ?? 0.1
      let count = Int.random(in: 1...12, using: &rng)
      // Mixed pods: ready, pending, freshly started (cpu initialization), missing metrics.
      var pods: [PodObservation] = []
      var low: [PodMetricSample?] = []
      var high: [PodMetricSample?] = []
      for index in 0..<count {
        switch Int.random(in: 0..<8, using: &rng) {
        case 0: pods.append(Build.pod(index, phase: .pending))
        case 1:
          pods.append(
            Build.pod(
              index, ready: .notReady, readySince: Build.now - .seconds(5),
              started: Build.now - .seconds(10)))
        default: pods.append(Build.pod(index))
        }
        if Int.random(in: 0..<8, using: &rng) == 0 {
          low.append(nil)
          high.append(nil)
        } else {
          let usage = Int64.random(in: 0...3000, using: &rng)
          let more = usage + Int64.random(in: 0...1500, using: &rng)
          low.append(PodMetricSample(valueMilli: usage, timestamp: Build.now))
          high.append(PodMetricSample(valueMilli: more, timestamp: Build.now))
        }
      }
      let current = Int.random(in: 1...count, using: &rng)
      var history = RecommendationHistory()
      for step in 1...Int.random(in: 0...6, using: &rng) + 1 {
        history.entries.append(
          Recommendation(
            replicas: Int.random(in: 1...20, using: &rng),
            timestamp: Build.now - .seconds(Int64(step * 45))))
      }
      let base = HorizontalAutoscaler(
        spec: spec, options: options, state: HorizontalAutoscalerState(recommendations: history))
      var lowHPA = base
      var highHPA = base
      let lowDecision = lowHPA.reconcile(
        HorizontalAutoscalerObservation(
          specReplicas: current, pods: pods, metrics: [.resource(PodMetrics(samples: low))]),
        at: Build.now)
      let highDecision = highHPA.reconcile(
        HorizontalAutoscalerObservation(
          specReplicas: current, pods: pods, metrics: [.resource(PodMetrics(samples: high))]),
        at: Build.now)
      if lowDecision.error == nil && highDecision.error == nil {
        #expect(highDecision.replicas >= lowDecision.replicas, "seed \(seed)")
      }
    }
  }

  @Test("stabilization never drops below the window's highest recommendation", arguments: 0..<4)
  func stabilizationFloor(batch: Int) throws {
    for seed in UInt64(batch * 50)..<UInt64(batch * 50 + 50) {
      var rng = SplitMix64(seed: seed &+ 77)
      let legacy = Bool.random(using: &rng)
      let windowSeconds = [30, 60, 120, 300].randomElement(using: &rng) ?? 300
      var options = HorizontalAutoscalerOptions.production
      var behavior: ScalingBehavior? = nil
      if legacy {
        options.downscaleStabilizationWindow = .seconds(windowSeconds)
      } else {
        behavior = ScalingBehavior(
          scaleDown: ScalingRules(
            stabilizationWindow: .seconds(windowSeconds),
            policies: [.percent(100, per: .seconds(15))]))
      }
      let spec = try Build.spec(min: 1, max: 50, behavior: behavior)
      var autoscaler = HorizontalAutoscaler(spec: spec, options: options)
      let start = 10
      let log = run(&autoscaler, start: start, seed: seed)
      // Independent record of proposals: the initial recommendation, then each sync's.
      var proposals: [(Instant, Int)] = [(Build.now, start)]
      var previous = start
      for entry in log {
        let proposal = try #require(entry.decision.metricReplicas)
        proposals.append((entry.time, proposal))
        let cutoff = entry.time - Duration.seconds(windowSeconds)
        let inWindow = proposals.filter { legacy ? $0.0 >= cutoff : $0.0 > cutoff }.map(\.1)
        if entry.replicas < previous {
          #expect(entry.replicas >= (inWindow.max() ?? 0), "seed \(seed)")
        }
        previous = entry.replicas
      }
    }
  }
}

import AutoscalingCore
import HorizontalAutoscaling

/// HPA reconcile latency: one decision per 15-second sync, observations prebuilt.
func hpaBenchmarks() -> [Benchmark] {
  [tenPodsOneMetric(), thousandPodsThreeMetrics(), calculatorOnly()]
}

private let start = Instant.seconds(1_700_000_000)

/// Runs `decisions` reconciles 15 s apart, cycling through prebuilt observations.
private func reconcileLoop(
  spec: HorizontalPodAutoscalerSpec, observations: [HorizontalAutoscalerObservation], decisions: Int
) {
  var hpa = HorizontalAutoscaler(spec: spec)
  var now = start
  let count = observations.count
  // Prepared once, as a replay does between pod changes.
  let prepared = observations.map { PreparedPods($0.pods) }
  for step in 0..<decisions {
    // Passed as borrows of the array elements: the loop itself copies nothing.
    blackHole(hpa.reconcile(observations[step % count], pods: prepared[step % count], at: now))
    now = Instant(millisecondsSinceEpoch: now.millisecondsSinceEpoch &+ 15_000)
  }
}

/// Ready pods started an hour ago, sharing one container list.
private func readyPods(_ count: Int, containers: [ContainerRequests]) -> [PodObservation] {
  (0..<count).map { index in
    PodObservation(
      name: "pod-\(index)", phase: .running,
      readyCondition: PodReadyCondition(status: .ready, lastTransitionTime: start - .seconds(3000)),
      startTime: start - .seconds(3600), containers: containers)
  }
}

/// Per-pod samples around `level` milli-units, collected at `time`.
private func samples(_ count: Int, level: Int64, spread: Int64, at time: Instant) -> PodMetrics {
  PodMetrics(
    samples: (0..<count).map { index in
      PodMetricSample(
        valueMilli: level + Int64(index % 7) * spread, timestamp: time, window: .seconds(30))
    })
}

/// (a) 10 pods, one cpu Utilization metric, default behavior (`behavior: {}`).
private func tenPodsOneMetric() -> Benchmark {
  let containers = [ContainerRequests(name: "app", requests: ResourceRequests(cpuMilli: 500))]
  let pods = readyPods(10, containers: containers)
  // Load cycles between below, on and above target so every branch of normalization runs.
  let levels: [Int64] = [150, 250, 400, 300, 200, 350]
  let observations = levels.map { level in
    HorizontalAutoscalerObservation(
      specReplicas: 10, pods: pods,
      metrics: [.resource(samples(10, level: level, spread: 10, at: start))])
  }
  let spec: HorizontalPodAutoscalerSpec
  do {
    spec = try HorizontalPodAutoscalerSpec(
      metrics: [.resource(.cpu, target: .utilization(60))], minReplicas: 2, maxReplicas: 50,
      behavior: ScalingBehavior())
  } catch {
    return Benchmark(name: "HPA.decision/10 pods (invalid spec: \(error))", operationsPerRun: 1) {}
  }
  let decisions = 100_000
  return Benchmark(
    name: "HPA.decision/10 pods", operationsPerRun: decisions, target: "≥ 5,000,000 ops/s"
  ) {
    reconcileLoop(spec: spec, observations: observations, decisions: decisions)
  }
}

/// (b) 1,000 pods; cpu and memory Utilization plus a Pods AverageValue, with the behavior of
/// `manifests/ml-model-hpa.yaml`.
private func thousandPodsThreeMetrics() -> Benchmark {
  let gibibyte: Int64 = 1_073_741_824
  let containers = [
    ContainerRequests(
      name: "model", requests: ResourceRequests(cpuMilli: 2000, memoryMilli: 4 * gibibyte * 1000)),
    ContainerRequests(
      name: "proxy", requests: ResourceRequests(cpuMilli: 100, memoryMilli: gibibyte / 8 * 1000)),
  ]
  let podCount = 1000
  let pods = readyPods(podCount, containers: containers)
  let behavior = ScalingBehavior(
    scaleUp: ScalingRules(stabilizationWindow: .zero, policies: [.percent(100, per: .seconds(15))]),
    scaleDown: ScalingRules(
      stabilizationWindow: .seconds(300), policies: [.percent(10, per: .seconds(60))]))
  let spec: HorizontalPodAutoscalerSpec
  do {
    spec = try HorizontalPodAutoscalerSpec(
      metrics: [
        .resource(.cpu, target: .utilization(70)), .resource(.memory, target: .utilization(80)),
        .pods("requests_per_second", target: .averageValue(Quantity(100))),
      ], minReplicas: 2, maxReplicas: 2000, behavior: behavior)
  } catch {
    return Benchmark(
      name: "HPA.decision/1000 pods 3 metrics (invalid spec: \(error))", operationsPerRun: 1
    ) {}
  }
  let levels: [(cpu: Int64, memory: Int64, rps: Int64)] = [
    (1200, 3 * gibibyte * 1000, 80_000), (1600, 3 * gibibyte * 1000, 120_000),
    (900, 2 * gibibyte * 1000, 60_000),
  ]
  let observations = levels.map { level in
    HorizontalAutoscalerObservation(
      specReplicas: podCount, pods: pods,
      metrics: [
        .resource(samples(podCount, level: level.cpu, spread: 20, at: start)),
        .resource(samples(podCount, level: level.memory, spread: 1_000_000, at: start)),
        .pods(samples(podCount, level: level.rps, spread: 500, at: start)),
      ])
  }
  let decisions = 2_000
  return Benchmark(
    name: "HPA.decision/1000 pods 3 metrics", operationsPerRun: decisions,
    target: "≤ 20 µs per decision"
  ) {
    reconcileLoop(spec: spec, observations: observations, decisions: decisions)
  }
}

/// The replica calculator alone (upstream `GetResourceReplicas`) on the 10-pod input, to
/// separate the calculation from the controller's bookkeeping.
private func calculatorOnly() -> Benchmark {
  let containers = [ContainerRequests(name: "app", requests: ResourceRequests(cpuMilli: 500))]
  let pods = PreparedPods(readyPods(10, containers: containers))
  let metrics = samples(10, level: 400, spread: 10, at: start)
  let calculator = ReplicaCalculator()
  let runs = 100_000
  return Benchmark(name: "HPA.resourceReplicas/10 pods", operationsPerRun: runs) {
    for step in 0..<runs {
      blackHole(
        try? calculator.resourceReplicas(
          currentReplicas: 10 + step % 2, targetUtilization: 60, resource: .cpu, pods: pods,
          metrics: metrics, at: start))
    }
  }
}

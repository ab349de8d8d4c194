import AutoscalingCore
import HorizontalAutoscaling

/// Small builders for hand-written HPA tests.
enum Build {
  /// A fixed evaluation instant.
  static let now = Instant.seconds(1_000_000)

  /// One shared container list (requests 1 CPU, 1 GiB), as a replay would share it.
  static let containers = [
    ContainerRequests(
      name: "app", requests: ResourceRequests(cpuMilli: 1000, memoryMilli: 1_073_741_824_000))
  ]

  /// A Running pod, ready for an hour, started two hours ago.
  static func pod(
    _ index: Int, phase: PodPhase = .running, ready: PodReadyStatus = .ready,
    readySince: Instant = now - .seconds(3600), started: Instant = now - .seconds(7200),
    containers: [ContainerRequests] = containers, deleted: Bool = false
  ) -> PodObservation {
    PodObservation(
      name: "pod-\(index)", phase: phase,
      readyCondition: PodReadyCondition(status: ready, lastTransitionTime: readySince),
      startTime: started,
      isDeleted: deleted, containers: containers)
  }

  /// `count` ready pods.
  static func pods(_ count: Int) -> [PodObservation] { (0..<count).map { pod($0) } }

  /// Samples collected now over a 60 s window; `nil` means no metric for that pod.
  static func samples(_ values: [Int64?], at time: Instant = now) -> PodMetrics {
    PodMetrics(samples: values.map { $0.map { PodMetricSample(valueMilli: $0, timestamp: time) } })
  }

  /// An observation with one metric answer per metric.
  static func observation(
    replicas: Int, pods: [PodObservation], metrics: [MetricObservation]
  ) -> HorizontalAutoscalerObservation {
    HorizontalAutoscalerObservation(specReplicas: replicas, pods: pods, metrics: metrics)
  }

  /// A validated spec; traps in tests only when the test itself is wrong.
  static func spec(
    _ metrics: [MetricSpec] = [.resource(.cpu, target: .utilization(50))], min: Int? = 1,
    max: Int = 100,
    behavior: ScalingBehavior? = nil
  ) throws -> HorizontalPodAutoscalerSpec {
    try HorizontalPodAutoscalerSpec(
      metrics: metrics, minReplicas: min, maxReplicas: max, behavior: behavior)
  }
}

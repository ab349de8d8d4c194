import AutoscalingCore
import HorizontalAutoscaling
import Testing

@testable import AutoscalingReplay

/// Bad input gives one clear error that names what to pass instead.
@Suite("Replay input errors")
struct ReplayInputErrorTests {
  static let template = PodTemplate(
    containers: [Container(name: "app", requests: [.cpu: Quantity(1)])])
  static let workload = WorkloadModel(
    podTemplate: template, capacityPerPod: 10,
    usage: [ResourceUsageModel(resource: .cpu, base: 0.1, perUnitOfDemand: 0.01)],
    initialReplicas: 1)
  static let demand = ReplaySeries(
    name: "rps", timestampsMilliseconds: [0, 15_000, 30_000], values: [1, 2, 3])

  static func spec(_ metrics: [MetricSpec]) throws -> HorizontalPodAutoscalerSpec {
    try HorizontalPodAutoscalerSpec(metrics: metrics, minReplicas: 1, maxReplicas: 5)
  }

  @Test func windowOutsideTheTrace() throws {
    let error = #expect(throws: ReplayError.self) {
      try Replay(
        autoscaler: Self.spec([]), workload: Self.workload, demand: Self.demand,
        startMilliseconds: -15_000)
    }
    #expect(
      error
        == .windowNotCovered(
          series: "rps", startMilliseconds: -15_000, endMilliseconds: 45_000,
          firstSampleMilliseconds: 0, lastSampleMilliseconds: 30_000))
    #expect(error?.description.contains("pass a window inside the trace") == true)
  }

  @Test func externalMetricWithoutAColumn() throws {
    let spec = try Self.spec([
      .external("queue_length", target: .averageValue(Quantity(30)))
    ])
    let error = #expect(throws: ReplayError.self) {
      try Replay(autoscaler: spec, workload: Self.workload, demand: Self.demand)
    }
    guard case .unmappedMetric(let index, let metric, let reason) = error else {
      Issue.record("expected unmappedMetric, got \(String(describing: error))")
      return
    }
    #expect(index == 0)
    #expect(metric == "External queue_length")
    #expect(reason.contains("no column named queue_length"))
  }

  @Test func externalMetricReadsItsColumnAndUnknownColumnsAreNamed() throws {
    let spec = try Self.spec([
      .external("queue_length", target: .averageValue(Quantity(30)))
    ])
    let queue = ReplaySeries(
      name: "queue_length", timestampsMilliseconds: [0, 30_000], values: [90, 90])
    // 90 queued at 30 per pod → ⌈90 / 30⌉ = 3 replicas at the first reconcile.
    var desired: [Int] = []
    _ = try Replay(autoscaler: spec, workload: Self.workload, demand: Self.demand, series: [queue])
      .run { desired.append($0.desiredReplicas) }
    #expect(desired.first == 3)
    let error = #expect(throws: ReplayError.self) {
      try Replay(
        autoscaler: spec, workload: Self.workload, demand: Self.demand, series: [queue],
        feeds: [0: .series("queue", scale: 1)])
    }
    #expect(error == .unknownSeries(name: "queue", available: ["rps", "queue_length"]))
  }

  @Test func resourceMetricWithoutUsageModelOrRequest() throws {
    let memory = try Self.spec([.resource(.memory, target: .utilization(80))])
    let error = #expect(throws: ReplayError.self) {
      try Replay(autoscaler: memory, workload: Self.workload, demand: Self.demand)
    }
    #expect(error?.description.contains("no usage model for memory") == true)

    var workload = Self.workload
    workload.usage.append(
      ResourceUsageModel(resource: .memory, base: 1e9, perUnitOfDemand: 0))
    let noRequest = #expect(throws: ReplayError.self) {
      try Replay(autoscaler: memory, workload: workload, demand: Self.demand)
    }
    #expect(noRequest?.description.contains("needs a memory request in container app") == true)
  }

  @Test(arguments: [
    (ReplaySeries(name: "d", timestampsMilliseconds: [0, 0], values: [1, 1]), "not after"),
    (ReplaySeries(name: "d", timestampsMilliseconds: [0], values: [-1]), "≥ 0"),
    (ReplaySeries(name: "d", timestampsMilliseconds: [0], values: [.nan]), "finite"),
    (ReplaySeries(name: "d", timestampsMilliseconds: [0], values: []), "pair up"),
  ])
  func malformedDemand(series: ReplaySeries, message: String) throws {
    let error = #expect(throws: ReplayError.self) {
      try Replay(autoscaler: Self.spec([]), workload: Self.workload, demand: series)
    }
    #expect(error?.description.contains(message) == true)
  }

  @Test func timingMustAlignWithTheStep() throws {
    let error = #expect(throws: ReplayError.self) {
      try Replay(
        autoscaler: Self.spec([]), workload: Self.workload, demand: Self.demand,
        timing: ReplayTiming(syncPeriodMilliseconds: 20_000))
    }
    #expect(
      error
        == .invalidTiming(
          field: "syncPeriodMilliseconds", value: 20_000,
          rule: "must be a positive multiple of the step (15000 ms)"))
  }

  @Test func sizesStayBounded() throws {
    let huge = try HorizontalPodAutoscalerSpec(metrics: [], minReplicas: 1, maxReplicas: 200_000)
    let tooMany = #expect(throws: ReplayError.self) {
      try Replay(autoscaler: huge, workload: Self.workload, demand: Self.demand)
    }
    #expect(tooMany?.description.contains("lower maxReplicas") == true)
    let forever = #expect(throws: ReplayError.self) {
      try Replay(
        autoscaler: Self.spec([]), workload: Self.workload, demand: Self.demand,
        startMilliseconds: 0, endMilliseconds: .max)
    }
    #expect(forever == .invalidWindow(startMilliseconds: 0, endMilliseconds: .max))
    let lag = #expect(throws: ReplayError.self) {
      try Replay(
        autoscaler: Self.spec([]), workload: Self.workload, demand: Self.demand,
        timing: ReplayTiming(metricsLagMilliseconds: 7_200_000))
    }
    #expect(lag?.description.contains("at most 3600000") == true)
  }
}

import AutoscalingCore
import AutoscalingTraces
import Foundation
import HorizontalAutoscaling
import Testing
import _AutoscalingTestSupport

@testable import AutoscalingReplay

/// The real request-rate and CPU traces of `../shared/traces/` replay without error (each is
/// skipped when the file is absent), twice with identical results.
@Suite("Real traces")
struct RealTraceReplayTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var file: String
    var testDescription: String { file }
  }

  static let cases = [
    "nasa-http-1995/requests_per_minute.csv",
    "alibaba-genai-2026/qps.csv",
    "azure-llm-inference-2023/AzureLLMInferenceTrace_conv.csv",
    "bitbrains-gwa-t-12/rnd_2013-7_vm1.csv",
    "alibaba-2018-container-vasim/c_12104_cpu_usage.csv",
    "datacenter-traces-datasets/alibaba2018_machine_usage_day_1_grouped_10_seconds.csv",
  ].map(Case.init)

  /// Replays at most the first day of the trace's first column with a request-rate HPA
  /// (Pods AverageValue) and a CPU-utilization metric, capacity set so the 95th percentile of
  /// demand needs about eight pods.
  @Test(arguments: cases)
  func replaysWithoutError(_ testCase: Case) throws {
    let path = Fixtures.sharedPath("traces/\(testCase.file)")
    guard FileManager.default.fileExists(atPath: path) else { return }
    let format = try #require(PublicTrace.detect(path: path))
    let trace = try PublicTraces.read(format, path: path)
    let column = try #require(trace.columns.first)
    let demand = ReplaySeries(
      name: column.name, timestampsMilliseconds: trace.timestamps, values: column.values)
    let sorted = column.values.sorted()
    let p95 = sorted[min(sorted.count - 1, sorted.count * 95 / 100)]
    let capacity = max(p95 / 8, 1e-6)
    let spec = try HorizontalPodAutoscalerSpec(
      metrics: [
        .resource(.cpu, target: .utilization(70)),
        .pods(column.name, target: .averageValue(try quantity(capacity * 0.8))),
      ],
      minReplicas: 1, maxReplicas: 40, behavior: ScalingBehavior())
    let workload = WorkloadModel(
      podTemplate: PodTemplate(
        containers: [Container(name: "app", requests: [.cpu: Quantity(1)])]),
      capacityPerPod: capacity,
      usage: [ResourceUsageModel(resource: .cpu, base: 0.05, perUnitOfDemand: 0.9 / capacity)],
      imbalance: 0.1, noise: 0.05, initialReplicas: 2)
    let start = trace.timestamps[0]
    let end = min(start + 86_400_000, (trace.timestamps.last ?? start) + 15_000)
    let replay = try Replay(
      autoscaler: spec, workload: workload, demand: demand, endMilliseconds: end, seed: 3)
    var maximum = 0
    let card = replay.run { maximum = max(maximum, $0.replicas) }
    #expect(maximum >= 1 && maximum <= 40)
    #expect(card.maxReplicas == maximum)
    #expect((0...1).contains(card.underProvisionedTimeShare))
    #expect((0...1).contains(card.overProvisionedTimeShare))
    #expect(card.unservedDemand >= 0)
    #expect(card == replay.run())
  }

  /// A positive decimal quantity with three decimals (milli precision).
  func quantity(_ value: Double) throws -> Quantity {
    Quantity(milliValue: max(Int64((value * 1000).rounded()), 1))
  }
}

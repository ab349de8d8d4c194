import AutoscalingCore
import AutoscalingTraces
import Foundation
import Testing
import _AutoscalingTestSupport

/// The bytes of a hand-written fixture in `Fixtures/public-traces/`.
func publicFixture(_ name: String) throws -> [UInt8] {
  let path = Fixtures.path("public-traces/\(name)")
  return try #require(FileManager.default.contents(atPath: path).map { Array($0) })
}

/// One public format with its hand-written fixture (a few rows in the published layout) and
/// the values expected from it, worked out by hand from the rows (see each case).
struct PublicFixtureCase: Sendable, CustomTestStringConvertible {
  let trace: PublicTrace
  let file: String
  let bucketMilliseconds: Int64?
  let timestamps: [Int64]
  /// Column name → expected values, row by row.
  let columns: [String: [Double]]
  /// Every column name, in order.
  let columnNames: [String]
  /// A note the reader must add (a substring).
  let note: String

  var testDescription: String { "\(trace.rawValue) (\(file))" }
}

@Suite struct PublicTraceFixtureTests {
  static let nasa = PublicTraces.nasaOriginMilliseconds

  static let cases: [PublicFixtureCase] = [
    // Generative rows only, summed over containers per second: 1.25 + 2.0; 3.0; 0.75
    // (the API-request rows 0.5 and 7.0 are filtered out).
    PublicFixtureCase(
      trace: .alibabaGenAIQPS, file: "qps.csv", bucketMilliseconds: nil,
      timestamps: [1_000_000, 1_060_000, 1_120_000], columns: ["qps": [3.25, 3.0, 0.75]],
      columnNames: ["qps"], note: "anonymised by scaling"),
    PublicFixtureCase(
      trace: .alibabaGenAIQueueSize, file: "queue_size_raw_anon.csv", bucketMilliseconds: nil,
      timestamps: [2_000_000, 2_057_000, 2_114_000, 2_171_000],
      columns: ["queue": [0, 4, 9, 2]], columnNames: ["queue"], note: ""),
    // Mean over containers: (0.5 + 0.25) / 2; (0 [−0.00001 clamped] + 0.5) / 2; 0.875.
    PublicFixtureCase(
      trace: .alibabaGenAIPodMemory, file: "pod_memory_util_anon.csv", bucketMilliseconds: nil,
      timestamps: [3_000_000, 3_030_000, 3_060_000],
      columns: ["memory_fraction": [0.375, 0.25, 0.875]], columnNames: ["memory_fraction"],
      note: "fraction of the memory limit"),
    // 60 s bins from 2023-11-16T18:17:00Z (1,700,158,620,000 ms): 2 requests (600 + 1,200
    // context, 30 + 90 generated tokens), then 1 request (300, 6); per second = / 60.
    PublicFixtureCase(
      trace: .azureLLMInference, file: "AzureLLMInferenceTrace_fixture.csv",
      bucketMilliseconds: nil, timestamps: [1_700_158_620_000, 1_700_158_680_000],
      columns: [
        "requests_per_second": [2.0 / 60, 1.0 / 60],
        "context_tokens_per_second": [1_800.0 / 60, 300.0 / 60],
        "generated_tokens_per_second": [120.0 / 60, 6.0 / 60],
      ],
      columnNames: [
        "requests_per_second", "context_tokens_per_second", "generated_tokens_per_second",
      ],
      note: "60000 ms buckets"),
    // The same file in 30 s bins: 18:17:00 (1 request), 18:17:30 (1), 18:18:00 (1).
    PublicFixtureCase(
      trace: .azureLLMInference, file: "AzureLLMInferenceTrace_fixture.csv",
      bucketMilliseconds: 30_000,
      timestamps: [1_700_158_620_000, 1_700_158_650_000, 1_700_158_680_000],
      columns: [
        "requests_per_second": [1.0 / 30, 1.0 / 30, 1.0 / 30],
        "context_tokens_per_second": [600.0 / 30, 1_200.0 / 30, 300.0 / 30],
        "generated_tokens_per_second": [30.0 / 30, 90.0 / 30, 6.0 / 30],
      ],
      columnNames: [
        "requests_per_second", "context_tokens_per_second", "generated_tokens_per_second",
      ],
      note: "30000 ms buckets"),
    // No time column: row i at i × 10 s (the name says 10_seconds).
    PublicFixtureCase(
      trace: .alibaba2018MachineUsage,
      file: "alibaba2018_machine_usage_fixture_grouped_10_seconds.csv", bucketMilliseconds: nil,
      timestamps: [0, 10_000, 20_000],
      columns: ["cpu_util_percent": [10.5, 20.25, 30], "disk_io_percent": [4, 5, 6]],
      columnNames: [
        "cpu_util_percent", "mem_util_percent", "net_in", "net_out", "disk_io_percent",
      ],
      note: "i × 10 s"),
    PublicFixtureCase(
      trace: .google2019InstanceUsage, file: "google2019_instance_usage_fixture.csv",
      bucketMilliseconds: nil, timestamps: [0, 300_000],
      columns: ["avg_cpu": [0.5, 0.375], "avg_cycles_per_instruction": [120, 130.5]],
      columnNames: ["avg_cpu", "avg_mem", "avg_assigned_mem", "avg_cycles_per_instruction"],
      note: "i × 300 s"),
    PublicFixtureCase(
      trace: .azure2019VMUsage, file: "azure2019_vm_cpu_readings_fixture.csv",
      bucketMilliseconds: nil, timestamps: [0, 300_000, 600_000],
      columns: ["cpu_usage": [1_000.5, 1_100, 1_200.25], "assigned_mem": [2_000, 2_100, 2_200]],
      columnNames: ["cpu_usage", "assigned_mem"], note: "seconds from the trace start"),
    // Counts 3 0 5 7 1 (across two lines), second i at origin + i s.
    PublicFixtureCase(
      trace: .nasaPerSecond, file: "workload.txt", bucketMilliseconds: nil,
      timestamps: (0..<5).map { nasa + Int64($0) * 1_000 },
      columns: ["requests_per_second": [3, 0, 5, 7, 1]], columnNames: ["requests_per_second"],
      note: "5 per-second counts read"),
    // 2 s buckets: (3 + 0) / 2, (5 + 7) / 2, and the partial last bucket 1 / 1.
    PublicFixtureCase(
      trace: .nasaPerSecond, file: "workload.txt", bucketMilliseconds: 2_000,
      timestamps: [nasa, nasa + 2_000, nasa + 4_000],
      columns: ["requests_per_second": [1.5, 6, 1]], columnNames: ["requests_per_second"],
      note: "averaged over 2 s buckets"),
    // minute_index 0, 1, 2 → origin + 0, 60, 120 s.
    PublicFixtureCase(
      trace: .nasaPerMinute, file: "requests_per_minute.csv", bucketMilliseconds: nil,
      timestamps: [nasa, nasa + 60_000, nasa + 120_000], columns: ["requests": [12, 0, 17]],
      columnNames: ["requests"], note: "server outage"),
    // `Timestamp [ms]` holds seconds: 1,400,000,000 s → 1,400,000,000,000 ms.
    PublicFixtureCase(
      trace: .bitbrains, file: "rnd_fixture_vm.csv", bucketMilliseconds: nil,
      timestamps: [1_400_000_000_000, 1_400_000_300_000],
      columns: [
        "CPU cores": [2, 2], "CPU usage [MHZ]": [1_250, 2_500], "CPU usage [%]": [25, 50],
        "Memory usage [KB]": [1_048_576, 2_097_152],
        "Network transmitted throughput [KB/s]": [0.25, 0],
      ],
      columnNames: [
        "CPU cores", "CPU capacity provisioned [MHZ]", "CPU usage [MHZ]", "CPU usage [%]",
        "Memory capacity provisioned [KB]", "Memory usage [KB]", "Disk read throughput [KB/s]",
        "Disk write throughput [KB/s]", "Network received throughput [KB/s]",
        "Network transmitted throughput [KB/s]",
      ],
      note: "Unix seconds despite its label"),
    // 2023-04-02T00:09:00Z = 1,680,394,140,000 ms; the last group is milliseconds (500).
    PublicFixtureCase(
      trace: .vasimContainerCPU, file: "c_fixture_cpu_usage.csv", bucketMilliseconds: nil,
      timestamps: [1_680_394_140_000, 1_680_394_200_000, 1_680_394_260_500],
      columns: ["CPU_USAGE_ACTUAL": [6.5, 7.25, 8]], columnNames: ["CPU_USAGE_ACTUAL"],
      note: "2023-04-02"),
  ]

  @Test(arguments: cases)
  func fixtureReadsFromBytesAndFromTheFile(_ fixture: PublicFixtureCase) throws {
    let bytes = try publicFixture(fixture.file)
    let series = try PublicTraces.read(
      fixture.trace, bytes: bytes, name: fixture.file,
      bucketMilliseconds: fixture.bucketMilliseconds)
    #expect(series.timestamps == fixture.timestamps)
    #expect(series.columnNames == fixture.columnNames)
    for (name, expected) in fixture.columns {
      let values = try #require(series.values(of: name), "no column \(name)")
      #expect(values.count == expected.count, "\(name)")
      for (value, want) in zip(values, expected) {
        #expect(close(value, want), "\(name): \(value) ≠ \(want)")
      }
    }
    #expect(series.source.name == fixture.file)
    if !fixture.note.isEmpty {
      #expect(
        series.source.notes.contains { $0.contains(fixture.note) },
        "notes: \(series.source.notes)")
    }
    // The path entry point reads the same file to the same series, and recognises its name.
    let path = Fixtures.path("public-traces/\(fixture.file)")
    #expect(PublicTrace.detect(path: path) == fixture.trace)
    let fromFile = try PublicTraces.read(
      fixture.trace, path: path, bucketMilliseconds: fixture.bucketMilliseconds)
    #expect(fromFile == series)
  }

  @Test func machineUsageStepFollowsTheName() throws {
    let bytes = try publicFixture("alibaba2018_machine_usage_fixture_grouped_10_seconds.csv")
    let series = try PublicTraces.read(
      .alibaba2018MachineUsage, bytes: bytes, name: "alibaba2018_machine_usage_300_seconds.csv")
    #expect(series.timestamps == [0, 300_000, 600_000])
    #expect(series.source.notes.contains { $0.contains("decimation") })
  }

  @Test func bytesErrorsNameTheGivenName() throws {
    var bytes = try publicFixture("queue_size_raw_anon.csv")
    bytes += Array("oops,,2228.0\n".utf8)
    let error = try #require(
      throws: TraceError.self,
      performing: {
        try PublicTraces.read(.alibabaGenAIQueueSize, bytes: bytes, name: "queue.csv")
      })
    #expect(error.file == "queue.csv")
    #expect(error.line == 6)
    #expect(error.field == "value")
    // No counts at all in NASA's text.
    let empty = try #require(
      throws: TraceError.self,
      performing: { try PublicTraces.read(.nasaPerSecond, bytes: Array(" \n".utf8)) })
    #expect(empty.file == "<input>")
  }

  /// Pods: 8,000 m / 4,096 MiB / 1 GPU at half share, 10 s → 250 s; 2,000 m / 1,024 MiB, no
  /// GPU, still running; 16,000 m / 32,768 MiB / 2 whole V100 GPUs, 30 s → 90 s.
  @Test func gpu2023PodsFromBytes() throws {
    let bytes = try publicFixture("openb_pod_list_fixture.csv")
    let trace = try PublicTraces.readAlibabaGPU2023Pods(bytes: bytes, name: "pods.csv")
    try #require(trace.pods.count == 3)
    let a = trace.pods[0]
    #expect(a.name == "pod-a")
    #expect(a.arrivalMilliseconds == 10_000)
    #expect(a.departureMilliseconds == 250_000)
    #expect(a.requests[.cpu] == Quantity(milliValue: 8_000))
    #expect(a.requests[.memory] == Quantity(4_294_967_296))
    #expect(a.requests[.nvidiaGPU] == Quantity(1))
    #expect(a.labels["gpu-milli"] == "500")
    #expect(a.labels["qos"] == "LS")
    let b = trace.pods[1]
    #expect(b.departureMilliseconds == nil)
    #expect(b.requests[.nvidiaGPU] == nil)
    #expect(b.requests[.memory] == Quantity(1_073_741_824))
    #expect(b.labels["phase"] == "Succeeded")
    let c = trace.pods[2]
    #expect(c.requests[.nvidiaGPU] == Quantity(2))
    #expect(c.requests[.memory] == Quantity(34_359_738_368))
    #expect(c.labels["gpu-spec"] == "V100M32")
    #expect(c.labels["gpu-milli"] == nil)
    #expect(c.departureMilliseconds == 90_000)
    #expect(trace.source.name == "pods.csv")
    let fromFile = try PublicTraces.readAlibabaGPU2023Pods(
      path: Fixtures.path("public-traces/openb_pod_list_fixture.csv"))
    #expect(fromFile.pods == trace.pods)
  }

  /// 262,144 MiB = 274,877,906,944 bytes; 786,432 MiB = 824,633,720,832 bytes.
  @Test func gpu2023NodesFromBytes() throws {
    let bytes = try publicFixture("openb_node_list_fixture.csv")
    let nodes = try PublicTraces.readAlibabaGPU2023Nodes(bytes: bytes)
    try #require(nodes.count == 2)
    #expect(nodes[0].name == "node-x")
    #expect(nodes[0].capacity[.cpu] == Quantity(milliValue: 32_000))
    #expect(nodes[0].capacity[.memory] == Quantity(274_877_906_944))
    #expect(nodes[0].capacity[.nvidiaGPU] == nil)
    #expect(nodes[0].labels.isEmpty)
    #expect(nodes[1].capacity[.cpu] == Quantity(milliValue: 96_000))
    #expect(nodes[1].capacity[.memory] == Quantity(824_633_720_832))
    #expect(nodes[1].capacity[.nvidiaGPU] == Quantity(8))
    #expect(nodes[1].labels["gpu-model"] == "V100M16")
    let fromFile = try PublicTraces.readAlibabaGPU2023Nodes(
      path: Fixtures.path("public-traces/openb_node_list_fixture.csv"))
    #expect(fromFile == nodes)
  }

  /// inst-1: 12 vCPU, 120 GiB, 1 GPU, no creation time (arrival 0), running; inst-2: 6.5 vCPU,
  /// 48.25 GiB = 51,808,043,008 bytes, 0.5 GPU rounded up to 1, 100.5 s → 3,600 s; inst-3:
  /// 2 vCPU, 8 GiB, no GPU, from 200 s.
  @Test func gpu2025DLRMFromBytes() throws {
    let bytes = try publicFixture("disaggregated_DLRM_fixture.csv")
    let trace = try PublicTraces.readAlibabaGPU2025DLRM(bytes: bytes, name: "dlrm.csv")
    try #require(trace.pods.count == 3)
    let first = trace.pods[0]
    #expect(first.name == "inst-1")
    #expect(first.arrivalMilliseconds == 0)
    #expect(first.departureMilliseconds == nil)
    #expect(first.requests[.cpu] == Quantity(milliValue: 12_000))
    #expect(first.requests[.memory] == Quantity(128_849_018_880))
    #expect(first.requests[.nvidiaGPU] == Quantity(1))
    #expect(first.labels == ["app": "app_a", "role": "HN"])
    let second = trace.pods[1]
    #expect(second.arrivalMilliseconds == 100_500)
    #expect(second.departureMilliseconds == 3_600_000)
    #expect(second.requests[.cpu] == Quantity(milliValue: 6_500))
    #expect(second.requests[.memory] == Quantity(51_808_043_008))
    #expect(second.requests[.nvidiaGPU] == Quantity(1))
    let third = trace.pods[2]
    #expect(third.arrivalMilliseconds == 200_000)
    #expect(third.requests[.nvidiaGPU] == nil)
    #expect(third.requests[.memory] == Quantity(8_589_934_592))
    #expect(trace.source.notes.contains { $0.hasPrefix("1 instances existed") })
    let fromFile = try PublicTraces.readAlibabaGPU2025DLRM(
      path: Fixtures.path("public-traces/disaggregated_DLRM_fixture.csv"))
    #expect(fromFile.pods == trace.pods)
  }

  @Test func eventReadersNameTheGivenNameInErrors() throws {
    var bytes = try publicFixture("openb_node_list_fixture.csv")
    bytes += Array("node-z,-5,1024,0,\n".utf8)
    let error = try #require(
      throws: TraceError.self,
      performing: { try PublicTraces.readAlibabaGPU2023Nodes(bytes: bytes, name: "nodes.csv") })
    #expect(error.file == "nodes.csv")
    #expect(error.line == 4)
    #expect(error.field == "cpu_milli")
  }
}

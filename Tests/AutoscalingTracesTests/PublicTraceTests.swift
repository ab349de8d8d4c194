import AutoscalingCore
import AutoscalingTraces
import Foundation
import Testing
import _AutoscalingTestSupport

/// The path of a shared trace, or `nil` when the shared folder is absent (tests then skip).
func sharedTrace(_ relative: String) -> String? {
  let path = Fixtures.sharedPath("traces/\(relative)")
  return FileManager.default.fileExists(atPath: path) ? path : nil
}

func close(_ a: Double?, _ b: Double, tolerance: Double = 1e-9) -> Bool {
  guard let a else { return false }
  return abs(a - b) <= tolerance * max(1, abs(b))
}

// Row counts and spot values below were computed independently of this library while writing
// the tests: `wc -l` (minus the header), awk, and small Python 3 scripts with the csv module
// (e.g. per-timestamp sums over containers for qps.csv, per-minute arrival counts for the Azure
// trace, `tar -xjOf … | awk` for the NASA archive).
@Suite struct PublicTraceTests {
  /// `wc -l` minus the header line.
  static let rowCounts: [String: Int] = [
    "bitbrains-gwa-t-12/rnd_2013-7_vm5.csv": 8_262, "bitbrains-gwa-t-12/rnd_2013-7_vm9.csv": 8_260,
    "alibaba-2018-container-vasim/c_29247_cpu_usage.csv": 11_508,
    "datacenter-traces-datasets/alibaba2018_machine_usage_days_1_to_8_grouped_300_seconds.csv":
      2_243,
  ]
  static let checkedElsewhere: Set<String> = [
    "alibaba-genai-2026/qps.csv", "alibaba-genai-2026/queue_size_raw_anon.csv",
    "alibaba-genai-2026/pod_memory_util_anon.tar.gz",
    "azure-llm-inference-2023/AzureLLMInferenceTrace_code.csv",
    "datacenter-traces-datasets/alibaba2018_machine_usage_day_1_grouped_10_seconds.csv",
    "datacenter-traces-datasets/google2019_instance_usage_grouped_300_seconds_month.csv",
    "datacenter-traces-datasets/azure2019_vm_cpu_readings_month_aggregated_cpu_mem.csv",
    "bitbrains-gwa-t-12/rnd_2013-7_vm1.csv",
    "alibaba-2018-container-vasim/c_12104_cpu_usage.csv",
    "nasa-http-1995/requests_per_minute.csv", "nasa-http-1995/workload_per_second.tbz2",
  ]

  @Test func everySharedTraceFileIsRecognisedAndParses() throws {
    let root = Fixtures.sharedPath("traces")
    // Without the shared folder there is nothing to check (Linux's FileManager hands out an
    // empty enumerator for a missing directory, so test for the folder itself).
    guard FileManager.default.fileExists(atPath: root),
      let enumerator = FileManager.default.enumerator(atPath: root)
    else { return }
    var seen = 0
    for case let relative as String in enumerator {
      let path = "\(root)/\(relative)"
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
        !isDirectory.boolValue, !relative.hasSuffix(".md")
      else { continue }
      seen += 1
      if relative.hasPrefix("alibaba-gpu-") { continue }  // event traces: checked below
      let trace = try #require(PublicTrace.detect(path: path), "unrecognised \(relative)")
      // Files with their own test below are not read twice (the debug test run stays short).
      if Self.checkedElsewhere.contains(relative) { continue }
      let series = try PublicTraces.read(trace, path: path)
      #expect(series.count == Self.rowCounts[relative] ?? series.count, "\(relative)")
      #expect(series.count > 10, "\(relative)")
    }
    #expect(seen == 19)  // SOURCES.md: 19 data files
  }

  @Test func alibabaGenAIQPS() throws {
    guard let path = sharedTrace("alibaba-genai-2026/qps.csv") else { return }
    let series = try PublicTraces.read(.alibabaGenAIQPS, path: path)
    #expect(series.count == 1_023)
    let values = try #require(series.values(of: "qps"))
    #expect(series.timestamps.first == 1_662_859_404_000)
    #expect(close(values.first, 0.09))
    let index = try #require(series.timestamps.firstIndex(of: 1_662_878_955_000))
    #expect(close(values[index], 6.84))
    #expect(values.max().map { close($0, 6.84) } == true)
    #expect(close(values[500], 3.06))
    #expect(series.timestamps[500] == 1_662_889_158_000)
  }

  @Test func alibabaGenAIQueueAndMemory() throws {
    if let path = sharedTrace("alibaba-genai-2026/queue_size_raw_anon.csv") {
      let queue = try PublicTraces.read(.alibabaGenAIQueueSize, path: path)
      #expect(queue.count == 1_434)
      #expect(queue.timestamps.first == 1_662_858_720_000)
    }
    if let path = sharedTrace("alibaba-genai-2026/pod_memory_util_anon.tar.gz") {
      let memory = try PublicTraces.read(.alibabaGenAIPodMemory, path: path)
      #expect(memory.count == 1_441)
      #expect(memory.timestamps.first == 1_662_858_720_000)
      #expect(close(memory.values(of: "memory_fraction")?.first, 0.45880487870433223))
      #expect(memory.source.notes.contains("1 negative values set to zero (policy clampToZero)"))
    }
  }

  @Test func azureLLMArrivalsPerMinute() throws {
    guard let path = sharedTrace("azure-llm-inference-2023/AzureLLMInferenceTrace_code.csv") else {
      return
    }
    let series = try PublicTraces.read(.azureLLMInference, path: path)
    #expect(series.count == 45)
    #expect(series.timestamps.first == 1_700_158_620_000)
    #expect(close(series.values(of: "requests_per_second")?.first, 63.0 / 60))
    #expect(close(series.values(of: "context_tokens_per_second")?.first, 147_578.0 / 60))
  }

  @Test func dataCenterAggregates() throws {
    if let path = sharedTrace(
      "datacenter-traces-datasets/alibaba2018_machine_usage_day_1_grouped_10_seconds.csv")
    {
      let series = try PublicTraces.read(.alibaba2018MachineUsage, path: path)
      #expect(series.count == 8_641)
      #expect(series.timestamps.last == Int64(8_640) * 10_000)
      #expect(series.values(of: "cpu_util_percent")?.first == 16.126976521322472)
    }
    if let path = sharedTrace(
      "datacenter-traces-datasets/google2019_instance_usage_grouped_300_seconds_month.csv")
    {
      let series = try PublicTraces.read(.google2019InstanceUsage, path: path)
      #expect(series.count == 8_064)
      #expect(series.values(of: "avg_cpu")?.first == 0.4416155843647663)
    }
    if let path = sharedTrace(
      "datacenter-traces-datasets/azure2019_vm_cpu_readings_month_aggregated_cpu_mem.csv")
    {
      let series = try PublicTraces.read(.azure2019VMUsage, path: path)
      #expect(series.count == 8_640)
      #expect(series.timestamps.last == 2_591_700_000)
      #expect(series.values(of: "cpu_usage")?.first == 6135515.87712279)
    }
  }

  @Test func bitbrainsSecondsDespiteLabel() throws {
    guard let path = sharedTrace("bitbrains-gwa-t-12/rnd_2013-7_vm1.csv") else { return }
    let series = try PublicTraces.read(.bitbrains, path: path)
    #expect(series.count == 8_260)
    #expect(series.timestamps.prefix(2) == [1_372_629_804_000, 1_372_630_104_000])
    #expect(series.values(of: "CPU usage [%]")?.first == 1.5)
    #expect(series.column(named: "Memory usage [KB]")?.unit == "KB")
    #expect(series.source.notes.first?.contains("Unix seconds despite its label") == true)
  }

  @Test func vasimContainerCPU() throws {
    guard let path = sharedTrace("alibaba-2018-container-vasim/c_12104_cpu_usage.csv") else {
      return
    }
    let series = try PublicTraces.read(.vasimContainerCPU, path: path)
    #expect(series.count == 11_472)
    #expect(series.timestamps.first == 1_680_394_140_000)  // 2023-04-02T00:09:00Z
    #expect(series.values(of: "CPU_USAGE_ACTUAL")?.prefix(2) == [7.2, 7.04])
  }

  @Test func nasaPerMinuteAndPerSecond() throws {
    if let path = sharedTrace("nasa-http-1995/requests_per_minute.csv") {
      let series = try PublicTraces.read(.nasaPerMinute, path: path)
      #expect(series.count == 84_332)
      #expect(series.values(of: "requests")?.prefix(2) == [42, 62])
      #expect(series.timestamps[1] - series.timestamps[0] == 60_000)
    }
    if let path = sharedTrace("nasa-http-1995/workload_per_second.tbz2") {
      let series = try PublicTraces.read(.nasaPerSecond, path: path)
      let values = try #require(series.values(of: "requests_per_second"))
      #expect(values.count == 5_059_950)
      #expect(values.reduce(0, +) == 3_461_610)
      // The documented outage: zeros from index 2,435,065 for 135,851 s.
      #expect(values[2_435_064] == 1)
      #expect(values[2_435_065..<(2_435_065 + 135_851)].allSatisfy { $0 == 0 })
      #expect(series.timestamps.first == PublicTraces.nasaOriginMilliseconds)
    }
  }

  @Test func alibabaGPUEventTraces() throws {
    if let path = sharedTrace("alibaba-gpu-2023/openb_pod_list_default.csv") {
      let trace = try PublicTraces.readAlibabaGPU2023Pods(path: path)
      #expect(trace.pods.count == 8_152)
      let first = trace.pods[0]
      #expect(first.name == "openb-pod-0000")
      #expect(first.requests[.cpu] == Quantity(milliValue: 12_000))
      #expect(first.requests[.memory] == Quantity(16_384 * 1_048_576))
      #expect(first.requests[.nvidiaGPU] == Quantity(1))
      #expect(first.departureMilliseconds == 12_537_496_000)
      #expect(trace.pods[1].labels["gpu-milli"] == "460")
      #expect(trace.events.count == 2 * 8_152)
    }
    if let path = sharedTrace("alibaba-gpu-2023/openb_node_list_all_node.csv") {
      let nodes = try PublicTraces.readAlibabaGPU2023Nodes(path: path)
      #expect(nodes.count == 1_523)
      #expect(nodes[0].capacity[.cpu] == Quantity(32))
    }
    if let path = sharedTrace("alibaba-gpu-2025/disaggregated_DLRM_trace.csv") {
      let trace = try PublicTraces.readAlibabaGPU2025DLRM(path: path)
      #expect(trace.pods.count == 23_871)
      #expect(trace.pods.filter { $0.departureMilliseconds == nil }.count == 8_878)
      #expect(trace.source.notes.first?.hasPrefix("7280 instances existed") == true)
      #expect(trace.pods[0].requests[.cpu] == Quantity(12))
      #expect(trace.pods[0].requests[.memory] == Quantity(120 * 1_073_741_824))
    }
  }
}

struct BadPublicTraceCase: CustomTestStringConvertible, Sendable {
  enum Reader: Sendable { case gpuPods, dlrm, nasaPerSecond }
  var name: String
  var reader: Reader
  var file: String
  var text: String
  var message: String
  var testDescription: String { name }
}

@Suite struct PublicTraceBadInputTests {
  static let podHeader =
    "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,"
    + "deletion_time,scheduled_time\n"
  static let dlrmHeader =
    "instance_sn,role,app_name,cpu_request,memory_request,gpu_request,creation_time,deletion_time\n"

  // Lines and fields counted by hand in each literal (the header is line 1).
  static let cases: [BadPublicTraceCase] = [
    BadPublicTraceCase(
      name: "pod row with a missing field", reader: .gpuPods, file: "pods.csv",
      text: podHeader + "p0,1000,1024,1,1000,,LS,Running,0,100,0\np1,1000,1024,1,1000,,LS,Running,0,100\n",
      message: "pods.csv:3: expected 11 fields as in the header, found 10"),
    BadPublicTraceCase(
      name: "pod deleted before it was created", reader: .gpuPods, file: "pods.csv",
      text: podHeader + "p0,1000,1024,1,1000,,LS,Running,50,10,0\n",
      message:
        "pods.csv:2: column \"deletion_time\" (field 10): the deletion time (10000 ms) is before the creation time (50000 ms)"
    ),
    BadPublicTraceCase(
      name: "pod creation time overflows milliseconds", reader: .gpuPods, file: "pods.csv",
      text: podHeader + "p0,1000,1024,1,1000,,LS,Running,9223372036854776,,0\n",
      message:
        "pods.csv:2: column \"creation_time\" (field 9): 9223372036854776 is too large: in milliseconds it does not fit a 64-bit integer"
    ),
    BadPublicTraceCase(
      name: "pod CPU not an integer", reader: .gpuPods, file: "pods.csv",
      text: podHeader + "p0,1.5,1024,1,1000,,LS,Running,0,,0\n",
      message: "pods.csv:2: column \"cpu_milli\" (field 2): expected an integer, found \"1.5\""),
    BadPublicTraceCase(
      name: "DLRM CPU too large", reader: .dlrm, file: "dlrm.csv",
      text: dlrmHeader + "i0,HN,app,1e300,1,0,,\n",
      message:
        "dlrm.csv:2: column \"cpu_request\" (field 4): 1e300 is too large: in millicores it does not fit a 64-bit integer"
    ),
    BadPublicTraceCase(
      name: "DLRM CPU NaN", reader: .dlrm, file: "dlrm.csv",
      text: dlrmHeader + "i0,HN,app,1,1,0,,\ni1,HN,app,nan,1,0,,\n",
      message:
        "dlrm.csv:3: column \"cpu_request\" (field 4): expected a finite number of zero or more, found \"nan\""
    ),
    BadPublicTraceCase(
      name: "NASA count with a letter", reader: .nasaPerSecond, file: "workload.txt",
      text: "1 2\n3 x\n",
      message:
        "workload.txt:2:3: expected whitespace-separated per-second counts (digits), found \"x\" after count 3"
    ),
  ]

  @Test(arguments: cases)
  func rejects(_ testCase: BadPublicTraceCase) throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("traces-bad-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent(testCase.file).path
    try Data(testCase.text.utf8).write(to: URL(fileURLWithPath: path))
    do {
      switch testCase.reader {
      case .gpuPods: _ = try PublicTraces.readAlibabaGPU2023Pods(path: path)
      case .dlrm: _ = try PublicTraces.readAlibabaGPU2025DLRM(path: path)
      case .nasaPerSecond: _ = try PublicTraces.read(.nasaPerSecond, path: path)
      }
      Issue.record("expected an error")
    } catch {
      #expect(error.description == testCase.message)
    }
  }
}

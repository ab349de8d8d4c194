import AutoscalingCore
import AutoscalingTraces
import Foundation
import Testing

/// Regression tests for readers that trapped or returned wrapped numbers on values beyond
/// Int64 (found while extending the public-traces fuzz target to the event-trace readers and
/// while writing the bad-input catalogue).
@Suite("Reader overflow regressions")
struct ReaderOverflowReliabilityTests {
  static let podHeader =
    "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,"
    + "deletion_time,scheduled_time"

  static func withFile<T>(_ name: String, _ text: String, _ body: (String) throws -> T) throws -> T
  {
    let directory = NSTemporaryDirectory() + "reader-overflow-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/" + name
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return try body(path)
  }

  static func field(of error: any Error) -> String? { (error as? TraceError)?.field }

  @Test(
    "Alibaba GPU 2023 pods: a product beyond Int64 is an error naming the column",
    arguments: [
      ("p,1,9223372036854775807,0,0,,LS,Running,0,,0", "memory_mib"),
      ("p,1,8796093022208,0,0,,LS,Running,0,,0", "memory_mib"),  // 2⁴³ MiB = 2⁶³ bytes
      ("p,1,1,0,0,,LS,Running,9223372036854776,,0", "creation_time"),
      ("p,1,1,0,0,,LS,Running,0,9223372036854776,0", "deletion_time"),
    ])
  func gpu2023Pods(row: String, column: String) throws {
    try Self.withFile("openb_pod_list_default.csv", Self.podHeader + "\n" + row + "\n") { path in
      let error = #expect(throws: TraceError.self) {
        try PublicTraces.readAlibabaGPU2023Pods(path: path)
      }
      #expect(error?.field == column)
      #expect(error?.line == 2)
    }
  }

  @Test("Alibaba GPU 2023 pods: the largest values that fit are read exactly")
  func gpu2023PodsLargestThatFit() throws {
    let row = "p,1,8796093022207,0,0,,LS,Running,9223372036854775,,0"
    let trace = try Self.withFile("openb_pod_list_default.csv", Self.podHeader + "\n" + row) {
      try PublicTraces.readAlibabaGPU2023Pods(path: $0)
    }
    let pod = try #require(trace.pods.first)
    let bytes: Int64 = 8_796_093_022_207 * 1_048_576  // 2⁶³ − 2²⁰
    #expect(pod.requests[.memory] == Quantity(bytes))
    #expect(pod.arrivalMilliseconds == 9_223_372_036_854_775_000)
  }

  @Test("Alibaba GPU 2023 nodes: memory beyond Int64 bytes is an error")
  func gpu2023Nodes() throws {
    try Self.withFile(
      "openb_node_list_all_node.csv",
      "sn,cpu_milli,memory_mib,gpu,model\nn,1,99999999999999999,1,V100\n"
    ) { path in
      let error = #expect(throws: TraceError.self) {
        try PublicTraces.readAlibabaGPU2023Nodes(path: path)
      }
      #expect(error?.field == "memory_mib")
    }
  }

  @Test(
    "Alibaba GPU 2025 DLRM: decimals whose product leaves Int64 are errors, not traps",
    arguments: [
      ("1e300,1,0,0,", "cpu_request"), ("1,1e10,0,0,", "memory_request"),
      ("1,1,1e19,0,", "gpu_request"), ("1,1,0,1e16,", "creation_time"),
      ("1,1,0,0,1e300", "deletion_time"),
    ])
  func dlrm(values: String, column: String) throws {
    let text =
      "instance_sn,app_name,role,cpu_request,memory_request,gpu_request,creation_time,"
      + "deletion_time\ni,a,worker,\(values)\n"
    try Self.withFile("disaggregated_DLRM_trace.csv", text) { path in
      let error = #expect(throws: TraceError.self) {
        try PublicTraces.readAlibabaGPU2025DLRM(path: path)
      }
      #expect(error?.field == column)
    }
  }

  @Test("CSV offsets and row-index times that overflow are errors, not wrapped times")
  func csvTimes() throws {
    let offset = #expect(throws: TraceError.self) {
      try TraceReader.readCSV(
        bytes: Array("t,v\n10,1\n".utf8),
        options: CSVOptions(
          timestampColumn: .named("t"),
          timestampFormat: .offsetSeconds(originMilliseconds: Int64.max - 1_000)))
    }
    #expect(offset?.message.contains("beyond the range of Int64 milliseconds") == true)
    let negative = #expect(throws: TraceError.self) {
      try TraceReader.readCSV(
        bytes: Array("t,v\n-1,1\n".utf8),
        options: CSVOptions(
          timestampColumn: .named("t"),
          timestampFormat: .offsetMilliseconds(originMilliseconds: Int64.min)))
    }
    #expect(negative?.line == 2)
    let rows = #expect(throws: TraceError.self) {
      try TraceReader.readCSV(
        bytes: Array("v\n1\n2\n".utf8),
        options: CSVOptions(
          timestampColumn: .rowIndex(originMilliseconds: Int64.max - 5, stepMilliseconds: 10)))
    }
    #expect(rows?.line == 3)
    // At the edge, the times are exact.
    let edge = try TraceReader.readCSV(
      bytes: Array("v\n1\n2\n".utf8),
      options: CSVOptions(
        timestampColumn: .rowIndex(originMilliseconds: Int64.max - 10, stepMilliseconds: 10)))
    #expect(edge.timestamps == [Int64.max - 10, Int64.max])
  }
}

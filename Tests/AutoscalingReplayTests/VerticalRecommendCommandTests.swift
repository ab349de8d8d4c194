import Foundation
import Testing
import _AutoscalingTestSupport

/// `autoscale recommend` end to end (the binary built beside the test bundle): help, usage
/// errors (exit 2), failures (exit 1), JSON output checked by hand, the HTML report with its OOM
/// and eviction marks, and a report that is not written when the command fails.
@Suite("autoscale recommend")
struct VerticalRecommendCommandTests {
  typealias CLI = CommandLineTests

  static let vpa = """
    apiVersion: autoscaling.k8s.io/v1
    kind: VerticalPodAutoscaler
    metadata:
      name: app-vpa
    spec:
      targetRef:
        apiVersion: apps/v1
        kind: Deployment
        name: app
      updatePolicy:
        updateMode: Recreate
        minReplicas: 1
      resourcePolicy:
        containerPolicies:
        - containerName: app
          controlledValues: RequestsAndLimits

    """

  /// Writes a file in the temporary directory and returns its path.
  static func write(_ name: String, _ text: String) throws -> String {
    let path = CLI.temporaryPath("recommend-" + name)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// A CSV of `minutes` one-minute rows: constant CPU (cores) and memory (bytes).
  static func trace(minutes: Int, cpu: Double, memory: Double) -> String {
    var text = "timestamp_ms,cpu_cores,memory_bytes\n"
    for minute in 0..<minutes { text += "\(Int64(minute) * 60_000),\(cpu),\(memory)\n" }
    return text
  }

  @Test func helpAndUsageErrors() throws {
    try #require(FileManager.default.isExecutableFile(atPath: CLI.binary.path))
    let overview = try CLI.run(["--help"])
    #expect(overview.stdout.contains("recommend"))
    let help = try CLI.run(["recommend", "--help"])
    #expect(help.status == 0)
    #expect(help.stdout.contains("--memory-limit QUANTITY"))
    let missing = try CLI.run(["recommend", "--vpa", "x"])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("missing --trace"))
    let typo = try CLI.run(["recommend", "--vpa", "x", "--trace", "y", "--contaner", "a"])
    #expect(typo.status == 2)
    #expect(typo.stderr.contains("did you mean --container?"))
    let noFile = try CLI.run(["recommend", "--vpa", "/nonexistent/vpa.yaml", "--trace", "y"])
    #expect(noFile.status == 1)
  }

  /// Constant 0.5 core for 400 minutes, request 4 cores: the final CPU target is the usage's
  /// bucket end × 1.15 (within a millicore), and the request is replaced by an eviction once
  /// the upper bound (≈ 0.6 core × (1 + 1/confidence), confidence = minutes / 1440) falls below
  /// it, after about 250 minutes.
  @Test func recommendsToJSON() throws {
    let vpa = try Self.write("vpa.yaml", Self.vpa)
    let trace = try Self.write(
      "cpu.csv", Self.trace(minutes: 400, cpu: 0.5, memory: 300 * 1_048_576))
    defer { for path in [vpa, trace] { try? FileManager.default.removeItem(atPath: path) } }
    let result = try CLI.run([
      "recommend", "--vpa", vpa, "--trace", trace, "--cpu-request", "4", "--memory-request",
      "1Gi", "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let final = try #require(object["final"] as? [String: Any])
    let card = try #require(object["scorecard"] as? [String: Any])
    // The end of the CPU bucket holding 0.5 core: starts are 0.01 · (1.05^i − 1) / 0.05.
    var index = 0.0
    while 0.01 * (pow(1.05, index + 1) - 1) / 0.05 <= 0.5 { index += 1 }
    let start = 0.01 * (pow(1.05, index + 1) - 1) / 0.05
    let target = try #require(final["targetCpuMillicores"] as? Int)
    #expect(abs(Double(target) - start * 1.15 * 1000) <= 1)
    #expect((card["evictions"] as? Int ?? 0) >= 1)
    #expect(card["oomKills"] as? Int == 0)
    #expect((object["rows"] as? [Any])?.isEmpty == false)
    #expect(object["updateMode"] as? String == "Recreate")
  }

  /// Memory above the limit: OOM kills, marked in the report; the report is self-contained.
  @Test func reportMarksOOMsAndEvictions() throws {
    let vpa = try Self.write("vpa-oom.yaml", Self.vpa)
    let trace = try Self.write(
      "oom.csv", Self.trace(minutes: 90, cpu: 0.2, memory: 700 * 1_048_576))
    let report = CLI.temporaryPath("recommend-report.html")
    defer {
      for path in [vpa, trace, report] { try? FileManager.default.removeItem(atPath: path) }
    }
    let result = try CLI.run([
      "recommend", "--vpa", vpa, "--trace", trace, "--cpu-request", "1", "--memory-request",
      "256Mi", "--memory-limit", "512Mi", "--report", report,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("OOM kills"))
    let html = try String(contentsOfFile: report, encoding: .utf8)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("<title>OOM kill</title>"))
    #expect(html.contains("<title>eviction</title>"))
    #expect(!html.contains("<script"))
    #expect(!html.contains("src=\""))
  }

  /// With no container policy naming a container and no --container, the workload's only
  /// container is the one replayed, with its requests as the starting point.
  @Test func defaultsToTheWorkloadsOnlyContainer() throws {
    let vpa = try Self.write(
      "vpa-star.yaml",
      Self.vpa.replacingOccurrences(of: "containerName: app", with: "containerName: \"*\""))
    let workload = try Self.write(
      "deployment-one.yaml",
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: app}
      spec:
        replicas: 3
        template:
          spec:
            containers:
            - name: server
              resources: {requests: {cpu: "4", memory: 1Gi}}

      """)
    let trace = try Self.write("one.csv", Self.trace(minutes: 30, cpu: 0.5, memory: 300 * 1_048_576))
    defer { for path in [vpa, workload, trace] { try? FileManager.default.removeItem(atPath: path) } }
    let result = try CLI.run(["recommend", "--vpa", vpa, "--workload", workload, "--trace", trace, "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(object["container"] as? String == "server")
    // Two containers and no policy naming one: still ask for --container.
    let two = try Self.write(
      "deployment-two.yaml",
      try String(contentsOfFile: workload, encoding: .utf8) + "      - name: sidecar\n")
    defer { try? FileManager.default.removeItem(atPath: two) }
    let ambiguous = try CLI.run(["recommend", "--vpa", vpa, "--workload", two, "--trace", trace])
    #expect(ambiguous.status == 1)
    #expect(ambiguous.stderr.contains("pass --container"), "\(ambiguous.stderr)")
  }

  @Test func failureWritesNoReport() throws {
    let vpa = try Self.write("vpa-bad.yaml", Self.vpa)
    let trace = try Self.write("bad.csv", "timestamp_ms,cpu_cores\n0,1\n60000,-1\n")
    let report = CLI.temporaryPath("recommend-bad.html")
    defer { for path in [vpa, trace] { try? FileManager.default.removeItem(atPath: path) } }
    let result = try CLI.run(["recommend", "--vpa", vpa, "--trace", trace, "--report", report])
    #expect(result.status == 1)
    #expect(!result.stderr.isEmpty)
    #expect(!FileManager.default.fileExists(atPath: report))
  }
}

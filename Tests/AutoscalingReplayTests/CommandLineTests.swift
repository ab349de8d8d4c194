import Foundation
import Testing
import _AutoscalingTestSupport

/// The `autoscale` executable end to end: exit statuses (0 ok, 1 failed, 2 bad usage), errors
/// on stderr, "did you mean", both option spellings, and outputs written whole or not at all.
/// It runs the binary built beside this test bundle (`swift build --build-tests` builds it).
@Suite("autoscale command line")
struct CommandLineTests {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static var binary: URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("autoscale")
  }

  static func run(_ arguments: [String]) throws -> Result {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self))
  }

  // The repository's own three-metric HPA (the shape of shared/manifests/ml-model-hpa.yaml),
  // so these tests run in any checkout.
  static let hpa = Fixtures.repositoryPath("Traces/manifests/web-api-hpa.yaml")
  static let deployment = Fixtures.repositoryPath("Traces/manifests/web-api-deployment.yaml")
  static let trace = Fixtures.path("step-rps.csv")

  static func temporaryPath(_ name: String) -> String {
    NSTemporaryDirectory() + "autoscale-test-\(ProcessInfo.processInfo.processIdentifier)-\(name)"
  }

  @Test func helpAndUsageErrors() throws {
    try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path))
    let help = try Self.run(["replay", "--help"])
    #expect(help.status == 0)
    #expect(help.stdout.contains("--startup-delay DURATION"))
    #expect(help.stdout.contains("(default: 30s)"))

    let typo = try Self.run([
      "replay", "--hpa", "x", "--workload", "y", "--trace", "z", "--colum", "a",
    ])
    #expect(typo.status == 2)
    #expect(typo.stderr.contains("unknown option --colum for replay; did you mean --column?"))
    #expect(typo.stdout.isEmpty)

    let command = try Self.run(["repaly"])
    #expect(command.status == 2)
    #expect(command.stderr.contains("did you mean replay?"))

    let missing = try Self.run(["replay", "--hpa", "x"])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("missing --workload"))

    let noValue = try Self.run(["replay", "--hpa"])
    #expect(noValue.status == 2)
    #expect(noValue.stderr.contains("--hpa needs a value"))

    let badNumber = try Self.run([
      "replay", "--hpa=x", "--workload=y", "--trace=z", "--capacity=lots",
    ])
    #expect(badNumber.status == 2)
    #expect(badNumber.stderr.contains("--capacity expects a number, got \"lots\""))
  }

  /// The bundled three-metric HPA and its Deployment over a step change in demand, as JSON;
  /// `--flag=value` and `--flag value` give the same result, and a second run is identical.
  @Test func replaysTheSeedHPAToJSON() throws {
    try #require(FileManager.default.fileExists(atPath: Self.hpa))
    let spaced = try Self.run([
      "replay", "--hpa", Self.hpa, "--workload", Self.deployment, "--trace", Self.trace,
      "--json", "--seed", "5", "--noise", "0.1",
    ])
    #expect(spaced.status == 0, "\(spaced.stderr)")
    let equals = try Self.run([
      "replay", "--hpa=\(Self.hpa)", "--workload=\(Self.deployment)", "--trace=\(Self.trace)",
      "--json", "--seed=5", "--noise=0.1",
    ])
    #expect(equals.stdout == spaced.stdout)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(spaced.stdout.utf8)) as? [String: Any])
    #expect(object.count == 15)
    // 900 requests/s at 100 per pod needs at least 9 pods; minReplicas 2 ≤ replicas ≤ 30.
    let maximum = try #require(object["maxReplicas"] as? Int)
    #expect(maximum >= 9 && maximum <= 30)
    #expect((object["scalingActions"] as? Int ?? 0) >= 2)
    #expect((object["unservedDemand"] as? Double ?? 0) > 0)
  }

  /// The same demand exported from Prometheus (query_range matrix JSON) replays to the same
  /// scorecard as the CSV.
  @Test func prometheusExportMatchesCSV() throws {
    try #require(FileManager.default.fileExists(atPath: Self.hpa))
    let common = ["replay", "--hpa", Self.hpa, "--workload", Self.deployment, "--json"]
    let csv = try Self.run(common + ["--trace", Self.trace])
    let prometheus = try Self.run(common + ["--trace", Fixtures.path("step-rps-prometheus.json")])
    #expect(csv.status == 0 && prometheus.status == 0, "\(csv.stderr) \(prometheus.stderr)")
    #expect(prometheus.stdout == csv.stdout)
  }

  @Test func writesTimelineAndReportOnlyOnSuccess() throws {
    try #require(FileManager.default.fileExists(atPath: Self.hpa))
    let timeline = Self.temporaryPath("timeline.csv")
    let report = Self.temporaryPath("report.html")
    defer {
      try? FileManager.default.removeItem(atPath: timeline)
      try? FileManager.default.removeItem(atPath: report)
    }
    let ok = try Self.run([
      "replay", "--hpa", Self.hpa, "--workload", Self.deployment, "--trace", Self.trace,
      "--timeline", timeline, "--report", report, "--from", "10m", "--to", "50m",
    ])
    #expect(ok.status == 0, "\(ok.stderr)")
    #expect(ok.stdout.contains("Under-provisioned time"))
    let rows = try String(contentsOfFile: timeline, encoding: .utf8).split(separator: "\n")
    // 40 minutes at 15 s = 160 steps plus the header.
    #expect(rows.count == 161)
    #expect(rows[0].hasPrefix("timestamp_ms,time,demand,ready_capacity,unserved"))
    #expect(rows[1].hasPrefix("1767571800000,2026-01-05T00:10:00Z,150,"))
    let html = try String(contentsOfFile: report, encoding: .utf8)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("<svg"))
    #expect(html.contains("requests_per_second vs target"))
    #expect(!html.contains("<script"))

    // A column that does not exist: exit 1, a message naming the columns, no files touched.
    try FileManager.default.removeItem(atPath: timeline)
    try FileManager.default.removeItem(atPath: report)
    let bad = try Self.run([
      "replay", "--hpa", Self.hpa, "--workload", Self.deployment, "--trace", Self.trace,
      "--column", "rps", "--timeline", timeline, "--report", report,
    ])
    #expect(bad.status == 1)
    #expect(
      bad.stderr.contains("has no column \"rps\"; pass --column with one of: requests_per_second"))
    #expect(!FileManager.default.fileExists(atPath: timeline))
    #expect(!FileManager.default.fileExists(atPath: report))

    // A window outside the trace: exit 1, says what the trace covers.
    let outside = try Self.run([
      "replay", "--hpa", Self.hpa, "--workload", Self.deployment, "--trace", Self.trace,
      "--to", "2h", "--timeline", timeline,
    ])
    #expect(outside.status == 1)
    #expect(outside.stderr.contains("pass a window inside the trace"))
    #expect(!FileManager.default.fileExists(atPath: timeline))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())
      // Only this test's outputs: other tests of this process write their own files meanwhile.
      .filter { $0.contains(".tmp-") && ($0.contains("timeline.csv") || $0.contains("report.html")) }
    #expect(leftovers.isEmpty)
  }

  @Test func convertsToCanonicalCSV() throws {
    let out = Self.temporaryPath("converted.csv")
    defer { try? FileManager.default.removeItem(atPath: out) }
    let result = try Self.run(["convert", "--from", "csv", Self.trace, out])
    #expect(result.status == 0, "\(result.stderr)")
    let text = try String(contentsOfFile: out, encoding: .utf8)
    #expect(text.contains("timestamp_ms,requests_per_second"))
    #expect(text.contains("1767571200000,150"))
    let wrong = try Self.run(["convert", "--from", "xls", Self.trace, out])
    #expect(wrong.status == 2)
    #expect(wrong.stderr.contains("unknown format \"xls\""))
    let positional = try Self.run(["convert", "--from", "csv", Self.trace])
    #expect(positional.status == 2)
    #expect(positional.stderr.contains("expects IN OUT.csv"))
  }

  /// Two series (pods x and y), y's last sample NaN: one column per pod or one folded column,
  /// values worked out by hand.
  @Test func convertsPrometheusWithSeveralSeries() throws {
    let input = Self.temporaryPath("two-series.json")
    let out = Self.temporaryPath("two-series.csv")
    defer {
      try? FileManager.default.removeItem(atPath: input)
      try? FileManager.default.removeItem(atPath: out)
    }
    let json = """
      {"status":"success","data":{"resultType":"matrix","result":[
      {"metric":{"pod":"x"},"values":[[1700000000,"10"],[1700000015,"12"],[1700000030,"7"]]},
      {"metric":{"pod":"y"},"values":[[1700000000,"4"],[1700000015,"6"],[1700000030,"NaN"]]}]}}
      """
    try json.write(toFile: input, atomically: true, encoding: .utf8)
    let none = try Self.run(["convert", "--from", "prometheus", input, out])
    #expect(none.status == 1)
    #expect(none.stderr.contains("pass --split-by LABEL"))
    #expect(!FileManager.default.fileExists(atPath: out))
    let nan = try Self.run(["convert", "--from", "prometheus", "--fold", "max", input, out])
    #expect(nan.status == 1)
    #expect(nan.stderr.contains("pass --skip-invalid"))
    /// Converts with the grouping flags and returns the output's header and data rows.
    func convertedRows(_ flags: [String]) throws -> [Substring] {
      let result = try Self.run(["convert", "--from", "prometheus"] + flags + ["--skip-invalid", input, out])
      #expect(result.status == 0, "\(result.stderr)")
      return try String(contentsOfFile: out, encoding: .utf8)
        .split(separator: "\n").filter { !$0.hasPrefix("#") }
    }
    // max per timestamp, y's NaN dropped: 10, 12, then x's 7 alone.
    #expect(
      try convertedRows(["--fold", "max"])
        == ["timestamp_ms,value", "1700000000000,10", "1700000015000,12", "1700000030000,7"])
    // One column per pod; y has no sample at 30 s and holds its 6.
    #expect(
      try convertedRows(["--split-by", "pod"])
        == ["timestamp_ms,x,y", "1700000000000,10,4", "1700000015000,12,6", "1700000030000,7,6"])
    let unknown = try Self.run(["convert", "--from", "prometheus", "--fold", "avg", input, out])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("unknown --fold \"avg\"; use one of: sum, mean"))
    let csv = try Self.run(["convert", "--from", "csv", "--fold", "sum", Self.trace, out])
    #expect(csv.status == 1)
    #expect(csv.stderr.contains("apply to Prometheus JSON"))
  }

  /// No command defines a flag twice (a second definition would be unreachable).
  @Test(arguments: ["replay", "convert", "recommend", "tune", "merge", "pack", "consolidate", "nodes"])
  func flagsAreUnique(command: String) throws {
    let help = try Self.run([command, "--help"])
    #expect(help.status == 0)
    let flags = help.stdout.split(separator: "\n").compactMap { line -> Substring? in
      // An option's line starts "  --name"; wrapped help lines are indented further.
      guard line.hasPrefix("  --") else { return nil }
      return line.dropFirst(2).prefix { $0 != " " }
    }
    #expect(flags.count > 1)
    #expect(Set(flags).count == flags.count, "\(flags)")
  }

  /// An inline NodePool in a consolidate state file: its error names the field, not a position
  /// in re-encoded text, and is the same on every run.
  @Test func inlineNodePoolErrorsAreStable() throws {
    let state = Self.temporaryPath("state.json")
    defer { try? FileManager.default.removeItem(atPath: state) }
    let json = """
      {"nodePools": [{"manifest": {"apiVersion": "karpenter.sh/v1", "kind": "NodePool",
        "metadata": {"name": "a"}, "spec": {"disruption": {"consolidateAfter": "0s"}}}}],
       "nodes": [], "pods": []}
      """
    try json.write(toFile: state, atomically: true, encoding: .utf8)
    var messages: Set<String> = []
    for _ in 0..<3 {
      let result = try Self.run(["consolidate", "--state", state])
      #expect(result.status == 1)
      messages.insert(result.stderr)
    }
    #expect(messages.count == 1)
    let message = try #require(messages.first)
    #expect(message.contains("nodePools[0].manifest: spec: required field \"template\" is missing"))
    #expect(!message.contains("line "))
  }
}

import Foundation
import Testing
import _AutoscalingTestSupport

/// `autoscale replay --vpa` end to end on the bundled web-api manifests (HPA on CPU and memory
/// utilization + a VPA on the same Deployment): the #6060 loop in the figures, the JSON and the
/// HTML report, and the bad inputs (another target, an unknown container, --timeline).
@Suite("autoscale replay --vpa")
struct VerticalJointCommandTests {
  typealias CLI = CommandLineTests

  static let vpa = Fixtures.repositoryPath("Traces/manifests/web-api-vpa.yaml")

  /// Two days at 5-minute resolution of a constant 150 requests/s.
  static func constantTrace(_ name: String) throws -> String {
    var text = "timestamp_ms,requests_per_second\n"
    for index in 0..<576 { text += "\(1_767_571_200_000 + Int64(index) * 300_000),150\n" }
    let path = CLI.temporaryPath("joint-constant-\(name).csv")
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  static func write(_ name: String, _ text: String) throws -> String {
    let path = CLI.temporaryPath("joint-" + name)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test func helpDocumentsTheFlags() throws {
    let help = try CLI.run(["replay", "--help"])
    #expect(help.status == 0)
    #expect(help.stdout.contains("--vpa FILE"))
    #expect(help.stdout.contains("--epoch DURATION"))
    #expect(help.stdout.contains("autoscaler#6060"))
  }

  /// 150 requests/s on 3 pods of 100 requests/s capacity, CPU 500m at 0.005 core per request:
  /// alone, each pod uses 250m (50 % < the 70 % target; memory 50 % + 40 % × ½ = 70 % < 80 %;
  /// 50 requests/s < 100), so the HPA keeps the workload's 3 replicas and its 500m request.
  /// With the VPA the request falls towards the usage, the CPU utilization rises above 70 %
  /// and the HPA adds replicas: more pods, lower requests.
  @Test func showsTheFeedbackLoop() throws {
    let trace = try Self.constantTrace("loop")
    let report = CLI.temporaryPath("joint-report.html")
    defer { for path in [trace, report] { try? FileManager.default.removeItem(atPath: path) } }
    let result = try CLI.run([
      "replay", "--hpa", CLI.hpa, "--workload", CLI.deployment, "--trace", trace, "--vpa",
      Self.vpa, "--json", "--report", report,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let alone = try #require(object["hpaAlone"] as? [String: Any])
    let joint = try #require(object["hpaWithVPA"] as? [String: Any])
    #expect(alone["meanReplicas"] as? Double == 3)
    #expect(alone["maxReplicas"] as? Int == 3)
    #expect(alone["meanRequestCpuMillicores"] as? Double == 500)
    #expect(alone["requestChanges"] as? Int == 0)
    // Alone: 250m used of 500m requested, every step.
    #expect(abs((alone["slackPercent"] as? Double ?? 0) - 50) < 1e-9)
    #expect((joint["requestChanges"] as? Int ?? 0) >= 1)
    #expect((joint["finalRequestCpuMillicores"] as? Double ?? 500) < 500)
    #expect((joint["maxReplicas"] as? Int ?? 0) > 3)
    #expect((joint["meanReplicas"] as? Double ?? 0) > 3)
    #expect(object["updateMode"] as? String == "Recreate")
    let conflicts = try #require(object["conflicts"] as? [String])
    #expect(conflicts == ["cpu utilization", "memory utilization"])
    let epochs = try #require(object["epochs"] as? [[String: Any]])
    #expect(epochs.count == 48)
    #expect(epochs.first?["cpuRequestMillicores"] as? Int == 500)
    #expect(epochs.allSatisfy { $0["replicasWithoutVPA"] as? Int == 3 })
    let html = try String(contentsOfFile: report, encoding: .utf8)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("in force vs recommended"))
    #expect(!html.contains("<script"))

    let table = try CLI.run([
      "replay", "--hpa", CLI.hpa, "--workload", CLI.deployment, "--trace", trace, "--vpa",
      Self.vpa, "--to", "1d",
    ])
    #expect(table.status == 0, "\(table.stderr)")
    #expect(table.stdout.contains("HPA alone"))
    #expect(table.stdout.contains("warning: HPA web-api scales on cpu utilization"))
  }

  @Test func rejectsAVPAOfAnotherWorkload() throws {
    let text = try String(contentsOfFile: Self.vpa, encoding: .utf8)
    let other = try Self.write(
      "other.yaml", text.replacingOccurrences(of: "    name: web-api\n", with: "    name: billing\n"))
    let container = try Self.write(
      "container.yaml", text.replacingOccurrences(of: "containerName: api", with: "containerName: sidecar"))
    let trace = try Self.constantTrace("bad")
    defer { for path in [other, container, trace] { try? FileManager.default.removeItem(atPath: path) } }
    let base = ["replay", "--hpa", CLI.hpa, "--workload", CLI.deployment, "--trace", trace]
    let wrongTarget = try CLI.run(base + ["--vpa", other])
    #expect(wrongTarget.status == 1)
    #expect(wrongTarget.stderr.contains("targets Deployment billing"))
    #expect(wrongTarget.stderr.contains("Deployment web-api"))
    let wrongContainer = try CLI.run(base + ["--vpa", container])
    #expect(wrongContainer.status == 1)
    #expect(wrongContainer.stderr.contains("\"sidecar\""))
    #expect(wrongContainer.stderr.contains("its containers are: api"))
    let timeline = try CLI.run(base + ["--vpa", Self.vpa, "--timeline", "/tmp/x.csv"])
    #expect(timeline.status == 2)
    #expect(timeline.stderr.contains("--timeline is not available with --vpa"))
    let epoch = try CLI.run(base + ["--vpa", Self.vpa, "--epoch", "10s"])
    #expect(epoch.status == 1)
    #expect(epoch.stderr.contains("epochMilliseconds"))
  }
}

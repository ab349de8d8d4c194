import Foundation
import Testing
import _AutoscalingTestSupport

/// `autoscale recommend --tune` end to end: the recommend flags seed the search, the chosen
/// flags are never worse than the seed on the tuning part, bad tuning flags are usage errors.
@Suite("autoscale recommend --tune")
struct VerticalRecommendTuneCommandTests {
  typealias CLI = CommandLineTests
  typealias Recommend = VerticalRecommendCommandTests

  /// 400 minutes of a CPU that alternates 0.3 and 0.7 core every 10 minutes; 4 cores requested.
  static func trace(_ name: String) throws -> String {
    var text = "timestamp_ms,cpu_cores\n"
    for minute in 0..<400 { text += "\(Int64(minute) * 60_000),\(minute / 10 % 2 == 0 ? 0.3 : 0.7)\n" }
    return try Recommend.write(name, text)
  }

  @Test func tunesFromTheGivenFlags() throws {
    let vpa = try Recommend.write("tune-vpa.yaml", Recommend.vpa)
    let trace = try Self.trace("tune.csv")
    defer { for path in [vpa, trace] { try? FileManager.default.removeItem(atPath: path) } }
    let result = try CLI.run([
      "recommend", "--vpa", vpa, "--trace", trace, "--cpu-request", "4", "--tune", "--strategy",
      "grid", "--budget", "48", "--parameters", "targetCPUPercentile, safetyMarginFraction",
      "--margin", "0.3", "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let seed = try #require(object["seed"] as? [String: Any])
    let chosen = try #require(object["chosen"] as? [String: Any])
    // The seed is upstream's 0.9 percentile with the margin given on the command line.
    let parameters = try #require(seed["parameters"] as? [[String: Any]])
    #expect(parameters.map { $0["name"] as? String } == ["targetCPUPercentile", "safetyMarginFraction"])
    #expect(parameters.map { $0["value"] as? Double } == [0.9, 0.3])
    let seedTuning = try #require(seed["tuning"] as? [String: Double])
    let chosenTuning = try #require(chosen["tuning"] as? [String: Double])
    #expect((chosenTuning["slackPercent"] ?? .infinity) <= (seedTuning["slackPercent"] ?? 0))
    #expect(
      (chosenTuning["underRequestTimePercent"] ?? .infinity)
        <= (seedTuning["underRequestTimePercent"] ?? 0) + 1e-9)
    #expect(object["boundsMet"] as? Bool == true)
    #expect(object["evaluated"] as? Int == 48)
    #expect(seed["holdOut"] != nil)
    let flags = try #require(object["flags"] as? [String])
    #expect(flags.contains { $0.hasPrefix("--recommendation-margin-fraction=") })

    let table = try CLI.run([
      "recommend", "--vpa", vpa, "--trace", trace, "--cpu-request", "4", "--tune", "--budget",
      "4", "--strategy", "random", "--parameters", "safetyMarginFraction", "--hold-out", "0",
    ])
    #expect(table.status == 0, "\(table.stderr)")
    #expect(table.stdout.contains("whole window"))
    #expect(table.stdout.contains("As recommender flags:"))
    #expect(!table.stderr.contains("every candidate scored the same"))

    // In update mode Off the requests never change: every candidate scores the same, and the
    // user is told why.
    let off = try CLI.run([
      "recommend", "--vpa", vpa, "--trace", trace, "--cpu-request", "4", "--tune", "--budget",
      "4", "--strategy", "random", "--parameters", "safetyMarginFraction", "--mode", "Off",
    ])
    #expect(off.status == 0, "\(off.stderr)")
    #expect(off.stderr.contains("note: every candidate scored the same"), "\(off.stderr)")
  }

  @Test func badTuningFlags() throws {
    let vpa = try Recommend.write("tune-bad-vpa.yaml", Recommend.vpa)
    let trace = try Self.trace("tune-bad.csv")
    defer { for path in [vpa, trace] { try? FileManager.default.removeItem(atPath: path) } }
    let base = ["recommend", "--vpa", vpa, "--trace", trace, "--tune"]
    let unknown = try CLI.run(base + ["--parameters", "targetCPUPercentil"])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("unknown parameter \"targetCPUPercentil\""))
    let budget = try CLI.run(base + ["--budget", "0"])
    #expect(budget.status == 2)
    let holdOut = try CLI.run(base + ["--hold-out", "1"])
    #expect(holdOut.status == 2)
    #expect(holdOut.stderr.contains("--hold-out"))
    let grid = try CLI.run(base + ["--strategy", "grid", "--budget", "3"])
    #expect(grid.status == 2)
  }
}

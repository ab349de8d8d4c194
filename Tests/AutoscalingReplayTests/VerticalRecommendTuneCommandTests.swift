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
    let initialForRandom = try CLI.run(base + ["--strategy", "random", "--initial-samples", "4"])
    #expect(initialForRandom.status == 2)
    #expect(
      initialForRandom.stderr.contains(
        "--initial-samples applies to --strategy refine only, not random"),
      "\(initialForRandom.stderr)")
    let initialAboveBudget = try CLI.run(base + ["--budget", "5", "--initial-samples", "6"])
    #expect(initialAboveBudget.status == 2)
    #expect(
      initialAboveBudget.stderr.contains(
        "--initial-samples expects a whole number from 1 to the budget (5), got 6"),
      "\(initialAboveBudget.stderr)")
  }

  /// `--initial-samples N` with N = budget: the refine search is then its Latin-hypercube
  /// start alone, so it evaluates exactly what `--strategy latin-hypercube` does with the same
  /// seed and budget, and the two print the same table. By default a budget of 10 starts
  /// from 8 samples and refines the last 2, which here ends elsewhere.
  @Test func initialSamplesStartTheRefineSearch() throws {
    let vpa = try Recommend.write("tune-initial-vpa.yaml", Recommend.vpa)
    let trace = try Self.trace("tune-initial.csv")
    defer { for path in [vpa, trace] { try? FileManager.default.removeItem(atPath: path) } }
    let base = [
      "recommend", "--vpa", vpa, "--trace", trace, "--cpu-request", "4", "--tune", "--budget",
      "10", "--seed", "1", "--parameters", "safetyMarginFraction,targetCPUPercentile",
    ]
    let refine = try CLI.run(base + ["--strategy", "refine", "--initial-samples", "10"])
    #expect(refine.status == 0, "\(refine.stderr)")
    let hypercube = try CLI.run(base + ["--strategy", "latin-hypercube"])
    #expect(hypercube.status == 0, "\(hypercube.stderr)")
    let automatic = try CLI.run(base + ["--strategy", "refine"])
    #expect(automatic.status == 0, "\(automatic.stderr)")
    #expect(refine.stdout.contains("10 candidates evaluated"))
    #expect(refine.stdout == hypercube.stdout)
    // Here the default start (8 samples, then 2 refined) chooses differently.
    #expect(automatic.stdout != hypercube.stdout)
  }
}

import AutoscalingCore
import AutoscalingTraces
import Foundation
import Testing
import _AutoscalingTestSupport

/// `autoscale tune` and `autoscale merge` end to end, through the built binary: sharded and
/// merged equals unsharded, the emitted HPA reads back as the chosen configuration, the
/// chosen configuration meets the SLO bound when replayed again, and bad input fails with one
/// message and no file written.
@Suite("autoscale tune and merge")
struct TuneCommandLineTests {
  typealias CLI = CommandLineTests

  /// 3 × 2 × 2 = 12 candidates, no constraint: every combination is valid.
  static let gridSpace = """
    # a tiny space for tests
    base: empty
    dimensions:
      - name: scaleDown.stabilizationWindowSeconds
        values: [0, 60, 300]
      - name: scaleUp.policy.value
        values: [10, 100]
      - name: scaleDown.policy.type
        categories: [Percent, Pods]
    """

  static func file(_ name: String, _ text: String) throws -> String {
    let path = CLI.temporaryPath(name)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  static func remove(_ paths: [String]) {
    for path in paths { try? FileManager.default.removeItem(atPath: path) }
  }

  static func common(space: String) -> [String] {
    ["--hpa", CLI.hpa, "--workload", CLI.deployment, "--trace", CLI.trace, "--space", space]
  }

  static func json(_ path: String) throws -> [String: Any] {
    let data = try #require(FileManager.default.contents(atPath: path))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  /// Held-out replica-seconds and under-provisioned share from a result file's `scores`.
  static func heldOut(_ scores: Any?) throws -> (cost: Double, share: Double) {
    let part = try #require((scores as? [String: Any])?["holdOut"] as? [String: Any])
    return (
      try #require(part["replicaSeconds"] as? Double),
      try #require(part["underProvisionedTimeShare"] as? Double)
    )
  }

  /// The chosen configuration's scores on the tuning part, from a result file's object.
  static func chosenTuningScores(_ result: [String: Any]) throws -> [String: Any] {
    let chosen = try #require(result["chosen"] as? [String: Any])
    return try #require((chosen["scores"] as? [String: Any])?["tuning"] as? [String: Any])
  }

  /// The scorecard (`autoscale replay --json`) of an emitted HPA on the test trace, seed 2.
  static func replayed(_ yaml: String) throws -> [String: Any] {
    let replay = try CLI.run([
      "replay", "--hpa", yaml, "--workload", CLI.deployment, "--trace", CLI.trace, "--seed", "2",
      "--json",
    ])
    #expect(replay.status == 0, "\(replay.stderr)")
    return try #require(
      try JSONSerialization.jsonObject(with: Data(replay.stdout.utf8)) as? [String: Any])
  }

  /// The selection bound on the under-provisioned share recorded in a result file.
  static func bound(_ result: [String: Any]) throws -> Double {
    let selection =
      ((result["search"] as? [String: Any])?["configuration"] as? [String: Any])?["selection"]
      as? [String: Any]
    return try #require(selection?["maxUnderProvisionedTimeShare"] as? Double)
  }

  @Test(arguments: [("grid", 30), ("latin-hypercube", 8), ("random", 9)])
  func shardedAndMergedEqualsUnsharded(strategy: String, budget: Int) throws {
    try #require(FileManager.default.fileExists(atPath: CLI.hpa))
    let space = try Self.file("tune-grid-\(strategy).yaml", Self.gridSpace)
    let name = "tune-\(strategy)"
    let whole = CLI.temporaryPath("\(name)-whole.json")
    let wholeYAML = CLI.temporaryPath("\(name)-whole.yaml")
    let report = CLI.temporaryPath("\(name)-whole.html")
    let merged = CLI.temporaryPath("\(name)-merged.json")
    let mergedYAML = CLI.temporaryPath("\(name)-merged.yaml")
    let shards = (0..<3).map { CLI.temporaryPath("\(name)-shard\($0).json") }
    defer { Self.remove([space, whole, wholeYAML, report, merged, mergedYAML] + shards) }
    let settings =
      Self.common(space: space) + ["--strategy", strategy, "--budget", "\(budget)", "--seed", "3"]

    let unsharded = try CLI.run(
      ["tune"] + settings + ["--out", whole, "--manifest-out", wholeYAML, "--report", report])
    #expect(unsharded.status == 0, "\(unsharded.stderr)")
    for (index, path) in shards.enumerated() {
      let shard = try CLI.run(["tune"] + settings + ["--shard", "\(index)/3", "--out", path])
      #expect(shard.status == 0, "\(shard.stderr)")
      #expect(shard.stdout.contains("shard \(index)/3"))
    }
    // Any order of the shard files gives the same merge.
    let merge = try CLI.run(
      [
        "merge", shards[2], shards[0], shards[1], "--out", merged, "--hpa", CLI.hpa,
        "--manifest-out", mergedYAML,
      ])
    #expect(merge.status == 0, "\(merge.stderr)")

    let wholeData = try #require(FileManager.default.contents(atPath: whole))
    let mergedData = try #require(FileManager.default.contents(atPath: merged))
    #expect(wholeData == mergedData)
    #expect(
      FileManager.default.contents(atPath: wholeYAML)
        == FileManager.default.contents(atPath: mergedYAML))
    #expect(merge.stdout == unsharded.stdout)

    // The plan: the whole 12-candidate grid, or `budget` samples of it.
    let search = try #require(try Self.json(whole)["search"] as? [String: Any])
    let evaluations = try #require(search["evaluations"] as? [[String: Any]])
    #expect(evaluations.count == min(12, budget))
    #expect(search["plannedCandidates"] as? Int == min(12, budget))
    var shardTotal = 0
    for path in shards {
      let part = try #require(try Self.json(path)["search"] as? [String: Any])
      shardTotal += (part["evaluations"] as? [Any])?.count ?? 0
    }
    #expect(shardTotal == evaluations.count)

    let html = try String(contentsOfFile: report, encoding: .utf8)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("<svg") && html.contains("<circle"))
    #expect(html.contains("current HPA") && html.contains(">chosen</text>"))
    #expect(!html.contains("<script"))
  }

  /// The emitted HPA reads back through the manifest reader with every tuned field set to the
  /// chosen value (checked field by field against the chosen parameters) and every other field
  /// as in the user's manifest; labels and annotations survive.
  @Test func emittedManifestLoadsBackAsTheChosenConfiguration() throws {
    try #require(FileManager.default.fileExists(atPath: CLI.hpa))
    let source = try String(contentsOfFile: CLI.hpa, encoding: .utf8)
      .replacingOccurrences(
        of: "\nmetadata:\n",
        with: "\nmetadata:\n  labels:\n    team: ml\n  annotations:\n"
          + "    example.com/owner: \"ml: inference\"\n")
    #expect(source.contains("team: ml"))
    let hpa = try Self.file("tune-labelled-hpa.yaml", source)
    let space = try Self.file(
      "tune-manifest-space.yaml",
      """
      base: empty
      dimensions:
        - name: scaleUp.tolerance
          values: [0, 0.05]
        - name: scaleDown.policy.value
          values: [1, 50]
        - name: metrics.targetPercent
          values: [80, 120]
        - name: minReplicas
          values: [1, 2]
      """)
    let out = CLI.temporaryPath("tune-manifest.json")
    let yaml = CLI.temporaryPath("tune-manifest.yaml")
    defer { Self.remove([hpa, space, out, yaml]) }
    let result = try CLI.run([
      "tune", "--hpa", hpa, "--workload", CLI.deployment, "--trace", CLI.trace, "--space", space,
      "--strategy", "grid", "--budget", "16", "--max-under-provisioned", "5%", "--out", out,
      "--manifest-out", yaml,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    // Within 5 % a candidate cheaper than the current HPA exists, so the manifest is tuned.
    #expect(!result.stdout.contains("keep the current HPA"))

    let original = try #require(ManifestLoader.load(path: CLI.hpa).horizontalPodAutoscalers.first)
    let tunedFile = try ManifestLoader.load(path: yaml)
    #expect(tunedFile.items.count == 1)
    let tuned = try #require(tunedFile.horizontalPodAutoscalers.first)
    #expect(tuned.apiVersion == "autoscaling/v2")
    #expect(tuned.name == original.name)
    #expect(tuned.scaleTargetRef == original.scaleTargetRef)
    #expect(tuned.maxReplicas == original.maxReplicas)
    let text = try String(contentsOfFile: yaml, encoding: .utf8)
    #expect(text.contains("team: \"ml\"") || text.contains("team: ml"))
    #expect(text.contains("example.com/owner: \"ml: inference\""))

    let object = try Self.json(out)
    let chosen = try #require(object["chosen"] as? [String: Any])
    let parameters = try #require(chosen["parameters"] as? [[String: String]])

    // The hold-out check, worked out here from the JSON scores: it holds when the chosen
    // configuration costs no more on the held-out part than the current HPA and is
    // under-provisioned there no longer than the larger of the current HPA's share and the bound.
    let tunedHeldOut = try Self.heldOut(chosen["scores"])
    let currentHeldOut = try Self.heldOut(object["current"])
    let bound = try Self.bound(object)
    let holds =
      tunedHeldOut.cost <= currentHeldOut.cost
      && tunedHeldOut.share <= max(currentHeldOut.share, bound)
    let verdict = holds ? "hold-out check: holds" : "hold-out check: DOES NOT HOLD"
    #expect(text.contains("# " + verdict))
    #expect(result.stdout.contains("\n" + verdict))
    #expect(result.stderr.contains("warning: hold-out check") == !holds)
    var values: [String: String] = [:]
    for parameter in parameters { values[parameter["name"] ?? ""] = parameter["value"] }
    #expect(values.count == 4)

    let behavior = try #require(tuned.behavior)
    let tolerance = try #require(Double(values["scaleUp.tolerance"] ?? ""))
    #expect(abs((behavior.scaleUp.tolerance?.doubleValue ?? -1) - tolerance) < 1e-9)
    // The user's one scale-down policy (Percent 10 / 60 s) with the tuned value.
    let downValue = try #require(Int32(values["scaleDown.policy.value"] ?? ""))
    #expect(
      behavior.scaleDown.policies == [
        HorizontalPodAutoscalerManifest.ScalingPolicy(
          type: .percent, value: downValue, periodSeconds: 60)
      ])
    #expect(behavior.scaleDown.stabilizationWindowSeconds == 300)
    #expect(
      behavior.scaleUp == original.behavior?.scaleUp.withTolerance(behavior.scaleUp.tolerance))
    #expect(tuned.minReplicas == Int32(values["minReplicas"] ?? ""))
    // Targets scaled by the percentage: utilization to whole percent, values to milli-units.
    let percent = try #require(Double(values["metrics.targetPercent"] ?? ""))
    #expect(tuned.metrics.count == original.metrics.count)
    for (new, old) in zip(tuned.metrics, original.metrics) {
      if let utilization = old.target.averageUtilization {
        #expect(
          new.target.averageUtilization
            == Int32((Double(utilization) * percent / 100).rounded()))
      }
      if let average = old.target.averageValue {
        #expect(
          abs((new.target.averageValue?.doubleValue ?? 0) - average.doubleValue * percent / 100)
            < 1e-3)
      }
    }
  }

  /// With no hold-out, the chosen configuration's scores are those of a plain replay of the
  /// emitted manifest on the same trace and seed, and they meet the bound; `5%` and `0.05`
  /// mean the same.
  @Test func chosenConfigurationMeetsTheBoundWhenReplayedAgain() throws {
    try #require(FileManager.default.fileExists(atPath: CLI.hpa))
    let space = try Self.file("tune-bound-space.yaml", Self.gridSpace)
    let out = CLI.temporaryPath("tune-bound.json")
    let decimal = CLI.temporaryPath("tune-bound-decimal.json")
    let yaml = CLI.temporaryPath("tune-bound.yaml")
    defer { Self.remove([space, out, decimal, yaml]) }
    let settings =
      Self.common(space: space) + ["--strategy", "grid", "--hold-out", "0", "--seed", "2"]
    let result = try CLI.run(
      ["tune"] + settings + ["--max-under-provisioned", "5%", "--out", out, "--manifest-out", yaml])
    #expect(result.status == 0, "\(result.stderr)")
    let again = try CLI.run(
      ["tune"] + settings + ["--max-under-provisioned", "0.05", "--out", decimal])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(
      FileManager.default.contents(atPath: out) == FileManager.default.contents(atPath: decimal))

    let object = try Self.json(out)
    #expect(object["constraintMet"] as? Bool == true)
    let scores = try Self.chosenTuningScores(object)
    let share = try #require(scores["underProvisionedTimeShare"] as? Double)
    let cost = try #require(scores["replicaSeconds"] as? Double)
    #expect(share <= 0.05)
    let card = try Self.replayed(yaml)
    let replayed = try #require(card["underProvisionedTimeShare"] as? Double)
    #expect(replayed <= 0.05)
    #expect(abs(replayed - share) < 1e-12)
    #expect(abs((card["replicaSeconds"] as? Double ?? -1) - cost) < 1e-6)
  }

  /// A space of longer scale-down windows only: every candidate costs more than the current
  /// HPA at no less under-provisioning, so the tool says to keep it, and the manifest it
  /// writes is the current HPA, unchanged (replayed again, it scores as the current HPA).
  @Test func nothingBetterThanTheCurrentHPAKeepsIt() throws {
    try #require(FileManager.default.fileExists(atPath: CLI.hpa))
    let space = try Self.file(
      "tune-keep-space.yaml",
      """
      base: empty
      dimensions:
        - name: scaleDown.stabilizationWindowSeconds
          values: [1800, 3600]
      """)
    let out = CLI.temporaryPath("tune-keep.json")
    let yaml = CLI.temporaryPath("tune-keep.yaml")
    let report = CLI.temporaryPath("tune-keep.html")
    defer { Self.remove([space, out, yaml, report]) }
    let result = try CLI.run(
      ["tune"] + Self.common(space: space)
        + ["--strategy", "grid", "--hold-out", "0", "--seed", "2", "--out", out]
        + ["--manifest-out", yaml, "--report", report])
    #expect(result.status == 0, "\(result.stderr)")

    // Worked out from the result file: the best candidate costs more than the current HPA
    // and is under-provisioned no less.
    let object = try Self.json(out)
    let chosen = try Self.chosenTuningScores(object)
    let current = try #require(
      (object["current"] as? [String: Any])?["tuning"] as? [String: Any])
    let chosenCost = try #require(chosen["replicaSeconds"] as? Double)
    let currentCost = try #require(current["replicaSeconds"] as? Double)
    let chosenShare = try #require(chosen["underProvisionedTimeShare"] as? Double)
    let currentShare = try #require(current["underProvisionedTimeShare"] as? Double)
    try #require(chosenCost > currentCost && chosenShare >= currentShare)

    #expect(result.stdout.contains("keep the current HPA: none of the 2 candidates evaluated"))
    #expect(result.stdout.contains("Chosen (the current HPA is preferable): "))
    #expect(result.stderr.contains("note: keep the current HPA"))
    #expect(result.stderr.contains("the manifest written is your HPA, unchanged"))
    let html = try String(contentsOfFile: report, encoding: .utf8)
    #expect(html.contains("<p class=\"warning\">Keep the current HPA: none of the 2 candidates"))
    let text = try String(contentsOfFile: yaml, encoding: .utf8)
    #expect(text.hasPrefix("# Kept by autoscale tune: your HPA, unchanged."))
    let kept = try #require(try ManifestLoader.load(path: yaml).horizontalPodAutoscalers.first)
    let original = try #require(
      try ManifestLoader.load(path: CLI.hpa).horizontalPodAutoscalers.first)
    #expect(try kept.spec() == original.spec())
    let card = try Self.replayed(yaml)
    #expect(abs((card["replicaSeconds"] as? Double ?? -1) - currentCost) < 1e-6)
    #expect(abs((card["underProvisionedTimeShare"] as? Double ?? -1) - currentShare) < 1e-12)
  }

  /// `--progress lines` writes a line at every tenth of each phase, ending at 100 %, with the
  /// counts rising; without it (stderr is not a terminal here) and with `none`, nothing.
  @Test func progressLinesForLogs() throws {
    let space = try Self.file("tune-progress-space.yaml", Self.gridSpace)
    defer { Self.remove([space]) }
    let settings = ["tune"] + Self.common(space: space) + ["--strategy", "grid"]
    let lines = try CLI.run(settings + ["--progress", "lines"])
    #expect(lines.status == 0, "\(lines.stderr)")
    let search = lines.stderr.split(separator: "\n").filter { $0.hasPrefix("tune: search ") }
    // 12 candidates: a line each time the count passes another tenth of 12.
    let counts = search.compactMap { line in
      line.dropFirst("tune: search ".count).split(separator: "/").first.flatMap { Int($0) }
    }
    let expected = (1...12).filter { $0 * 10 / 12 > ($0 - 1) * 10 / 12 }
    #expect(counts == expected)
    #expect(search.last?.hasPrefix("tune: search 12/12 (100 %), done in ") == true)
    #expect(search.dropLast().allSatisfy { $0.contains(" left") })
    for quiet in [[], ["--progress", "none"]] {
      let run = try CLI.run(settings + quiet)
      #expect(run.status == 0, "\(run.stderr)")
      #expect(!run.stderr.contains("tune: search"))
      #expect(run.stdout == lines.stdout)
    }
  }

  /// `--max-scaling-actions` one below what the unbounded choice makes: the chosen
  /// configuration then scales at most that often, also when its manifest is replayed again,
  /// and the header names both bounds.
  @Test func stabilityBoundHoldsWhenReplayedAgain() throws {
    try #require(FileManager.default.fileExists(atPath: CLI.hpa))
    let space = try Self.file("tune-actions-space.yaml", Self.gridSpace)
    let free = CLI.temporaryPath("tune-actions-free.json")
    let bounded = CLI.temporaryPath("tune-actions-bounded.json")
    let yaml = CLI.temporaryPath("tune-actions.yaml")
    defer { Self.remove([space, free, bounded, yaml]) }
    let settings =
      Self.common(space: space)
      + ["--strategy", "grid", "--hold-out", "0", "--seed", "2", "--max-under-provisioned", "5%"]
    func chosenActions(_ path: String) throws -> Double {
      try #require(try Self.chosenTuningScores(Self.json(path))["scalingActions"] as? Double)
    }
    let unbounded = try CLI.run(["tune"] + settings + ["--out", free])
    #expect(unbounded.status == 0, "\(unbounded.stderr)")
    let actions = try chosenActions(free)
    try #require(actions >= 1)
    let bound = Int(actions) - 1

    let result = try CLI.run(
      ["tune"] + settings
        + ["--max-scaling-actions", "\(bound)", "--out", bounded, "--manifest-out", yaml])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout.contains(
        "Current vs chosen (cheapest with under-provisioned time ≤ 5 % and at most \(bound) "
          + "scaling actions):"), "\(result.stdout)")
    #expect(try chosenActions(bounded) <= Double(bound))
    let card = try Self.replayed(yaml)
    let replayed = try #require(card["scalingActions"] as? Int)
    #expect(replayed <= bound)
    #expect(Double(replayed) == (try chosenActions(bounded)))

    // `1x`: no more often than the current HPA on the tuning part; the header shows the count.
    let relative = try CLI.run(
      ["tune"] + settings + ["--max-scaling-actions", "1x", "--out", bounded])
    #expect(relative.status == 0, "\(relative.stderr)")
    let current = try #require(
      ((try Self.json(bounded)["current"] as? [String: Any])?["tuning"] as? [String: Any])?[
        "scalingActions"] as? Double)
    #expect(
      relative.stdout.contains("and at most \(Int(current)) scaling actions):"),
      "\(relative.stdout)")
    #expect(try chosenActions(bounded) <= current)
  }

  /// On a full grid every candidate is evaluated and the chosen one is the cheapest within the
  /// bound, so "why nothing cheaper" must say the whole space was seen; the cheaper
  /// neighbour it lists must be the front's row with those parameters, above the 2 % bound.
  @Test func whyNothingCheaperNamesTheBoundTheCheaperNeighbourBreaks() throws {
    try #require(FileManager.default.fileExists(atPath: CLI.hpa))
    let space = try Self.file("tune-why-space.yaml", Self.gridSpace)
    let report = CLI.temporaryPath("tune-why.html")
    defer { Self.remove([space, report]) }
    let result = try CLI.run(
      ["tune"] + Self.common(space: space)
        + ["--strategy", "grid", "--hold-out", "0", "--max-under-provisioned", "2%"]
        + ["--report", report])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    func cells(_ line: String) -> [String] { line.split(separator: " ").map(String.init) }

    let why = try #require(lines.first { $0.hasPrefix("Why nothing cheaper: ") })
    let counts = cells(String(why.dropFirst("Why nothing cheaper: ".count)))
    #expect(counts.count > 3 && counts[0] == counts[2] && counts[1] == "of", "\(why)")
    #expect(
      why.hasSuffix("every candidate of the space was evaluated: none cheaper meets the bound."))

    // The chosen row of the front (marked *) and the cheaper one that differs only in
    // scaleUp.policy.value: the front is cheapest first, so it is the row above.
    let front = lines.prefix { !$0.isEmpty }.dropFirst(2).map(cells)
    let chosenIndex = try #require(front.firstIndex { $0.first == "*" })
    #expect(chosenIndex == 1, "\(front)")
    let chosen = front[chosenIndex].suffix(3)
    let cheaper = front[chosenIndex - 1]
    #expect(Array(cheaper.suffix(3)) == [chosen[chosen.startIndex], "10", chosen.last ?? ""])
    let row = try #require(
      lines.first { $0.hasPrefix("scaleUp.policy.value ") && $0.contains(" → ") })
    let rowCells = cells(row)
    #expect(Array(rowCells.prefix(5)) == ["scaleUp.policy.value", "100", "→", "10", cheaper[0]])
    #expect(rowCells[6] == cheaper[1])
    #expect(row.hasSuffix("whole part: \(cheaper[1]) % > 2.000 %"), "\(row)")
    #expect((Double(cheaper[1]) ?? 0) > 2)
    // The report carries the same lines, escaped.
    let html = try String(contentsOfFile: report, encoding: .utf8)
    #expect(html.contains("<h2>Why nothing cheaper</h2>"))
    #expect(html.contains("whole part: \(cheaper[1]) % &gt; 2.000 %"))
  }

  /// A tuning part that rewards scaling down at once (800 requests/s for 20 minutes, then 100)
  /// and a held-out hour that punishes it (800 and 100 alternating every 2 minutes): the
  /// cheapest configuration on the tuning part is short of pods on the held-out part far more
  /// often than the current HPA, and the tool says so on stderr and in the manifest.
  @Test func holdOutCheckWarnsWhenTheHeldOutPartDisagrees() throws {
    try #require(FileManager.default.fileExists(atPath: CLI.hpa))
    var csv = "timestamp,requests_per_second\n"
    for step in 0..<960 {
      let heldOut = step >= 720
      let high = heldOut ? (step - 720) / 8 % 2 == 0 : step < 80
      csv += "\(1_767_571_200 + 15 * step),\(high ? 800 : 100)\n"
    }
    let trace = try Self.file("tune-holdout-trace.csv", csv)
    let space = try Self.file(
      "tune-holdout-space.yaml",
      """
      base: empty
      dimensions:
        - name: scaleDown.stabilizationWindowSeconds
          values: [0, 300]
        - name: scaleDown.policy.value
          values: [10, 100]
      """)
    let out = CLI.temporaryPath("tune-holdout.json")
    let yaml = CLI.temporaryPath("tune-holdout.yaml")
    let report = CLI.temporaryPath("tune-holdout.html")
    defer { Self.remove([trace, space, out, yaml, report]) }
    let result = try CLI.run([
      "tune", "--hpa", CLI.hpa, "--workload", CLI.deployment, "--trace", trace, "--space", space,
      "--strategy", "grid", "--budget", "4", "--out", out, "--manifest-out", yaml,
      "--report", report,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try Self.json(out)
    let chosen = try #require(object["chosen"] as? [String: Any])
    let parameters = try #require(chosen["parameters"] as? [[String: String]])
    #expect(parameters.map { $0["value"] ?? "" } == ["0", "100"])
    let tuned = try Self.heldOut(chosen["scores"]).share
    let current = try Self.heldOut(object["current"]).share
    let bound = try Self.bound(object)
    #expect(tuned > max(current, bound))
    #expect(result.stderr.contains("warning: hold-out check: DOES NOT HOLD"))
    #expect(result.stderr.contains(String(format: "under-provisioned %.3f %%", tuned * 100)))
    let text = try String(contentsOfFile: yaml, encoding: .utf8)
    #expect(text.contains("# hold-out check: DOES NOT HOLD"))
    // The report replays the current and the chosen HPA over the whole trace on one chart,
    // the held-out part starting after 720 of the 960 steps (2026-01-05T00:00Z + 3 h), and
    // shades where the chosen one is short (it is, on the held-out part).
    let html = try String(contentsOfFile: report, encoding: .utf8)
    let section = try #require(
      html.components(separatedBy: "<h2>Current vs chosen over the trace</h2>").last)
    #expect(html.contains("<h2>Current vs chosen over the trace</h2>"))
    #expect(section.contains("current HPA: ready replicas"))
    #expect(section.contains("chosen: ready replicas"))
    #expect(section.contains("the held-out part starts at 2026-01-05T03:00:00Z"))
    let chart = try #require(section.components(separatedBy: "</svg>").first)
    #expect(chart.contains("fill=\"#e5484d\" fill-opacity=\"0.18\""))
    #expect(chart.components(separatedBy: "<path ").count - 1 == 3)
  }

  /// `--initial-samples N` starts the refine search from N Latin-hypercube samples: with N
  /// equal to the budget, every candidate is one of them, so the search evaluates exactly the
  /// Latin hypercube of the same seed (`--strategy latin-hypercube`), in the same order. (By
  /// default a budget of 10 starts from 8 samples and refines the last 2.)
  @Test func initialSamplesStartTheRefineSearch() throws {
    let space = try Self.file("tune-initial.yaml", Self.gridSpace)
    let outputs = ["refine", "lhs"].map { CLI.temporaryPath("tune-initial-\($0).json") }
    defer { Self.remove([space] + outputs) }
    let base = ["tune"] + Self.common(space: space) + ["--budget", "10", "--seed", "3"]
    let refine = try CLI.run(
      base + ["--strategy", "refine", "--initial-samples", "10", "--out", outputs[0]])
    #expect(refine.status == 0, "\(refine.stderr)")
    let hypercube = try CLI.run(base + ["--strategy", "latin-hypercube", "--out", outputs[1]])
    #expect(hypercube.status == 0, "\(hypercube.stderr)")
    func levels(_ path: String) throws -> [[Int]] {
      let search = try #require(try Self.json(path)["search"] as? [String: Any])
      let evaluations = try #require(search["evaluations"] as? [[String: Any]])
      return try evaluations.map { try #require($0["levels"] as? [Int]) }
    }
    let refined = try levels(outputs[0])
    #expect(refined.count == 10)
    #expect(refined == (try levels(outputs[1])))
    let configuration = (try Self.json(outputs[0])["search"] as? [String: Any])?["configuration"]
    let strategy = (configuration as? [String: Any])?["strategy"] as? [String: Any]
    let settings = try #require(strategy?["refine"] as? [String: Any])
    #expect(settings["initialSamples"] as? Int == 10)
    #expect(settings["seed"] as? Int == 3)
  }

  struct BadInput: CustomTestStringConvertible, Sendable {
    var name: String
    var arguments: [String]
    var space: String = TuneCommandLineTests.gridSpace
    var status: Int32
    var message: String
    var testDescription: String { name }
  }

  static let badInputs: [BadInput] = [
    BadInput(
      name: "space with no valid candidate",
      arguments: ["--budget", "10"],
      space: """
        base: empty
        dimensions:
          - name: minReplicas
            values: [6, 7]
          - name: maxReplicas
            values: [4, 5]
        constraints: ["minReplicas <= maxReplicas"]
        """, status: 1, message: "no valid candidate"),
    BadInput(
      name: "unknown parameter in the space file", arguments: [],
      space: "dimensions:\n  - name: scaleUp.bogus\n    values: [1]\n", status: 1,
      message: "parameter 'scaleUp.bogus' is not an HPA tuning parameter"),
    BadInput(
      name: "wrong type in the space file", arguments: [],
      space: "dimensions:\n  - name: scaleUp.tolerance\n    values: abc\n", status: 1,
      message: "dimensions[0].values: expected a list"),
    BadInput(
      name: "budget of zero", arguments: ["--budget", "0"], status: 2,
      message: "budget must be at least 1"),
    BadInput(
      name: "unknown progress style", arguments: ["--progress", "bar"], status: 2,
      message: "--progress expects auto, lines or none, got \"bar\""),
    BadInput(
      name: "shard index out of range", arguments: ["--shard", "3/3"], status: 2,
      message: "shard 3/3 is out of range"),
    BadInput(
      name: "shard text", arguments: ["--shard", "1of3"], status: 2,
      message: "is not of the form I/N"),
    BadInput(
      name: "adaptive strategy sharded", arguments: ["--shard", "0/2", "--strategy", "refine"],
      status: 2, message: "cannot be sharded"),
    BadInput(
      name: "bound above 100 %", arguments: ["--max-under-provisioned", "50"], status: 2,
      message: "did you mean 50%?"),
    BadInput(
      name: "negative scaling-action bound", arguments: ["--max-scaling-actions", "-1"],
      status: 2,
      message: "--max-scaling-actions expects a whole number ≥ 0 (12) or a multiple of the "
        + "current HPA's actions (2x), got \"-1\""),
    BadInput(
      name: "fractional scaling-action bound", arguments: ["--max-scaling-actions", "2.5"],
      status: 2, message: "(2x), got \"2.5\""),
    BadInput(
      name: "negative scaling-action multiple", arguments: ["--max-scaling-actions", "-2x"],
      status: 2, message: "(2x), got \"-2x\""),
    BadInput(
      name: "grid larger than the budget", arguments: ["--strategy", "grid", "--budget", "5"],
      status: 2, message: "the grid has 12 candidates but the budget is 5"),
    BadInput(
      name: "initial samples for another strategy",
      arguments: ["--strategy", "grid", "--initial-samples", "4"], status: 2,
      message: "--initial-samples applies to --strategy refine only, not grid"),
    BadInput(
      name: "initial samples above the budget",
      arguments: ["--budget", "10", "--initial-samples", "11"], status: 2,
      message: "--initial-samples expects a whole number from 1 to the budget (10), got 11"),
  ]

  @Test(arguments: badInputs)
  func badInputFailsWithOneMessageAndNoFile(_ input: BadInput) throws {
    try #require(FileManager.default.fileExists(atPath: CLI.hpa))
    let slug = input.name.replacingOccurrences(of: " ", with: "-")
    let space = try Self.file("tune-bad-\(slug).yaml", input.space)
    let outputs = ["json", "html"].map { CLI.temporaryPath("tune-bad-\(slug).\($0)") }
    defer { Self.remove([space] + outputs) }
    var arguments = ["tune"] + Self.common(space: space) + input.arguments
    arguments += ["--out", outputs[0], "--report", outputs[1]]
    let result = try CLI.run(arguments)
    #expect(result.status == input.status, "\(result.stderr)")
    #expect(result.stderr.contains(input.message), "\(result.stderr)")
    #expect(result.stderr.components(separatedBy: "error:").count == 2)
    #expect(result.stdout.isEmpty)
    for path in outputs { #expect(!FileManager.default.fileExists(atPath: path)) }
  }

  /// Shards of different spaces, a missing shard, a file that is not a result: exit 1, one
  /// message, no output.
  @Test func mergeRefusesResultsThatDoNotBelongTogether() throws {
    try #require(FileManager.default.fileExists(atPath: CLI.hpa))
    let spaceA = try Self.file("tune-merge-a.yaml", Self.gridSpace)
    let spaceB = try Self.file(
      "tune-merge-b.yaml", Self.gridSpace.replacingOccurrences(of: "[0, 60, 300]", with: "[0, 120]")
    )
    let shardA = CLI.temporaryPath("tune-merge-a0.json")
    let shardB = CLI.temporaryPath("tune-merge-b1.json")
    let out = CLI.temporaryPath("tune-merge-out.json")
    let yaml = CLI.temporaryPath("tune-merge-out.yaml")
    defer { Self.remove([spaceA, spaceB, shardA, shardB, out, yaml]) }
    let a = try CLI.run(
      ["tune"] + Self.common(space: spaceA) + [
        "--strategy", "grid", "--shard", "0/2", "--out", shardA,
      ])
    let b = try CLI.run(
      ["tune"] + Self.common(space: spaceB) + [
        "--strategy", "grid", "--shard", "1/2", "--out", shardB,
      ])
    #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")

    let mixed = try CLI.run(["merge", shardA, shardB, "--out", out])
    #expect(mixed.status == 1)
    #expect(mixed.stderr.contains("different spaces, traces or search settings"), "\(mixed.stderr)")
    let missing = try CLI.run(["merge", shardA, "--out", out])
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("shards 1 are missing") || missing.stderr.contains("missing"))
    let notAResult = try CLI.run(["merge", spaceA, "--out", out])
    #expect(notAResult.status == 1)
    #expect(notAResult.stderr.contains("is not a result of autoscale tune --out"))
    let noHPA = try CLI.run(["merge", shardA, "--manifest-out", yaml])
    #expect(noHPA.status == 2)
    #expect(noHPA.stderr.contains("--manifest-out needs --hpa"))
    for path in [out, yaml] { #expect(!FileManager.default.fileExists(atPath: path)) }
    // The usage line says several files are taken.
    let help = try CLI.run(["merge", "--help"])
    #expect(
      help.stdout.contains("usage: autoscale merge [options] FILE.json [FILE.json …]"),
      "\(help.stdout)")
  }
}

extension HorizontalPodAutoscalerManifest.ScalingRules {
  fileprivate func withTolerance(_ tolerance: Quantity?) -> Self {
    var rules = self
    rules.tolerance = tolerance
    return rules
  }
}

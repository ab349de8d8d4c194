import AutoscalingReplay
import AutoscalingTuning
import Foundation
import VerticalAutoscaling

/// `autoscale recommend --tune`: searches the recommender's flags on the same replay
/// `recommend` would run, tuning on the first part of the window and validating on the rest.
enum RecommendTune {
  /// The flags `recommend` gains for tuning.
  static let options = [
    OptionSpec(
      name: "tune", valueName: nil,
      help: "search the recommender's flags (the flags above are the seed) for the least "
        + "slack without more under-request time, OOM kills or updates than the seed"),
    OptionSpec(
      name: "parameters", valueName: "LIST",
      help: "with --tune: comma-separated parameters to search: "
        + VerticalParameter.allCases.map(\.rawValue).joined(separator: ", "),
      defaultValue: "all"),
    OptionSpec(
      name: "strategy", valueName: "NAME",
      help: "with --tune: grid, random, latin-hypercube, refine or halving",
      defaultValue: "refine"),
    TuneFlags.initialSamplesOption(condition: "--tune --strategy refine"),
    OptionSpec(
      name: "budget", valueName: "N", help: "with --tune: most candidates evaluated",
      defaultValue: "60"),
    OptionSpec(
      name: "seed", valueName: "N", help: "with --tune: seed of the search", defaultValue: "0"),
    OptionSpec(
      name: "hold-out", valueName: "F",
      help: "with --tune: share of the window held out for validation, e.g. 25% or 0",
      defaultValue: "25%"),
    OptionSpec(
      name: "max-under-request", valueName: "P",
      help: "with --tune: bound on the time with usage above the request, e.g. 2% or 0.02",
      defaultValue: "the seed's own"),
    OptionSpec(
      name: "max-oom-kills", valueName: "N", help: "with --tune: bound on OOM kills",
      defaultValue: "the seed's own"),
    OptionSpec(
      name: "max-updates", valueName: "N",
      help: "with --tune: bound on updates (evictions and in-place resizes)",
      defaultValue: "the seed's own"),
  ]

  /// The `--json` output of `recommend --tune`.
  struct Output: Codable {
    var container: String
    var seed: VerticalCandidate
    var chosen: VerticalCandidate
    var boundsMet: Bool
    var bounds: VerticalBounds
    var front: [VerticalCandidate]
    var evaluated: Int
    /// The chosen flags as recommender command-line flags.
    var flags: [String]
  }

  /// Runs the search and prints the result.
  ///
  /// - Parameters:
  ///   - arguments: The command line.
  ///   - replay: The replay `recommend` would run (its flags are the seed).
  ///   - container: The container's name, for the output.
  /// - Throws: `UsageError` for bad flags, `CommandFailure` when the search fails.
  static func run(_ arguments: ParsedArguments, replay: VerticalReplay, container: String) throws {
    let budget = try arguments.int("budget", default: 60)
    guard budget >= 1 else {
      throw UsageError(message: "--budget: " + TuningError.invalidBudget(budget).description)
    }
    let strategy = try TuneFlags.strategy(arguments, defaultName: "refine", budget: budget)
    let holdOut = try TuneFlags.fraction(
      arguments.value("hold-out") ?? "0.25", flag: "hold-out", allowOne: false)
    let maxUnder = try arguments.value("max-under-request").map { text throws(UsageError) in
      try TuneFlags.fraction(text, flag: "max-under-request") * 100
    }
    let maxOOMs = try arguments.value("max-oom-kills").map { _ throws(UsageError) in
      Double(try arguments.int("max-oom-kills", default: 0))
    }
    let maxUpdates = try arguments.value("max-updates").map { _ throws(UsageError) in
      Double(try arguments.int("max-updates", default: 0))
    }
    var parameters = VerticalParameter.allCases
    if let list = arguments.value("parameters"), list != "all" {
      parameters = []
      for item in list.split(separator: ",") {
        let text = item.trimmingCharacters(in: .whitespaces)
        guard let parameter = VerticalParameter(rawValue: text) else {
          throw UsageError(
            message: "--parameters: unknown parameter \"\(text)\"; use "
              + VerticalParameter.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if !parameters.contains(parameter) { parameters.append(parameter) }
      }
    }
    let tuner: VerticalTuner
    do throws(TuningError) {
      let scenario = try VerticalTuningScenario(
        name: container, replay: replay, holdOutFraction: holdOut)
      let evaluator = try VerticalReplayEvaluator(
        space: try .vpaRecommenderDefault(parameters), base: replay.recommender,
        scenarios: [scenario])
      tuner = VerticalTuner(
        evaluator: evaluator,
        configuration: SearchConfiguration(strategy: strategy, budget: budget),
        bounds: VerticalBounds(
          maxUnderRequestTimePercent: maxUnder, maxOOMKills: maxOOMs, maxUpdates: maxUpdates))
    } catch {
      throw TuneFlags.failure(error)
    }
    let result: VerticalTuningResult
    do {
      result = try Blocking.run { () async throws(TuningError) -> VerticalTuningResult in
        try await tuner.run()
      }
    } catch {
      throw TuneFlags.failure(error)
    }
    if result.evaluated > 1, result.front.allSatisfy({ $0.tuning == result.seed.tuning }) {
      Console.error(
        "note: every candidate scored the same as the current settings: on this trace the replayed "
          + "VPA never changed the pod's requests (in update mode Off or Initial it never does), so "
          + "the recommender's settings cannot be told apart here")
    }
    let output = Output(
      container: container, seed: result.seed, chosen: result.chosen,
      boundsMet: result.boundsMet, bounds: result.bounds, front: result.front,
      evaluated: result.evaluated,
      flags: flags(result.chosen, evaluator: tuner.evaluator))
    if arguments.flag("json") {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      print(String(decoding: try encoder.encode(output), as: UTF8.self))
    } else {
      print(table(output, holdOut: holdOut))
    }
  }

  /// The chosen candidate as upstream recommender flags.
  static func flags(_ candidate: VerticalCandidate, evaluator: VerticalReplayEvaluator)
    -> [String]
  {
    var configuration = evaluator.base
    for value in candidate.parameters {
      VerticalParameter(rawValue: value.name)?.apply(value.value, to: &configuration)
    }
    func number(_ value: Double) -> String { NumberText.format(value, digits: 4) }
    func hours(_ duration: Duration) -> String {
      number(Double(duration.components.seconds) / 3600) + "h"
    }
    let aggregation = configuration.aggregation
    return [
      "--target-cpu-percentile=\(number(configuration.targetCPUPercentile))",
      "--target-memory-percentile=\(number(configuration.targetMemoryPercentile))",
      "--recommendation-lower-bound-cpu-percentile=\(number(configuration.lowerBoundCPUPercentile))",
      "--recommendation-upper-bound-cpu-percentile=\(number(configuration.upperBoundCPUPercentile))",
      "--recommendation-lower-bound-memory-percentile=\(number(configuration.lowerBoundMemoryPercentile))",
      "--recommendation-upper-bound-memory-percentile=\(number(configuration.upperBoundMemoryPercentile))",
      "--recommendation-margin-fraction=\(number(configuration.safetyMarginFraction))",
      "--cpu-histogram-decay-half-life=\(hours(aggregation.cpuHistogramDecayHalfLife))",
      "--memory-histogram-decay-half-life=\(hours(aggregation.memoryHistogramDecayHalfLife))",
      "--oom-bump-up-ratio=\(number(aggregation.oomBumpUpRatio))",
      "--oom-min-bump-up-bytes=\(number(aggregation.oomMinBumpUpBytes))",
      "--confidence-interval-cpu=\(hours(configuration.cpuConfidenceInterval))",
      "--confidence-interval-memory=\(hours(configuration.memoryConfidenceInterval))",
      "--pod-recommendation-min-cpu-millicores=\(number(configuration.podMinCPUMillicores))",
      "--pod-recommendation-min-memory-mb=\(number(configuration.podMinMemoryMiB))",
    ]
  }

  static func table(_ output: Output, holdOut: Double) -> String {
    func cells(_ score: VerticalObjectives?) -> [String] {
      guard let score else { return ["-", "-", "-", "-"] }
      return [
        NumberText.format(score.slackPercent, digits: 2) + " %",
        NumberText.format(score.underRequestTimePercent, digits: 2) + " %",
        NumberText.format(score.oomKills, digits: 0),
        NumberText.format(score.updates, digits: 0),
      ]
    }
    let tuningLabel = holdOut > 0 ? "tuning part" : "whole window"
    var rows = [["", "part", "slack", "under-request time", "OOM kills", "updates"]]
    rows.append(["upstream/seed", tuningLabel] + cells(output.seed.tuning))
    rows.append(["tuned", tuningLabel] + cells(output.chosen.tuning))
    if holdOut > 0 {
      rows.append(["upstream/seed", "held out"] + cells(output.seed.holdOut))
      rows.append(["tuned", "held out"] + cells(output.chosen.holdOut))
    }
    let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    var text = rows.map { row in
      row.enumerated().map { index, cell in
        index < 2
          ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
          : String(repeating: " ", count: widths[index] - cell.count) + cell
      }.joined(separator: "  ")
    }
    text.append("")
    text.append(
      "\(output.evaluated) candidates evaluated, \(output.front.count) on the Pareto front; "
        + (output.chosen.ordinal == nil
          ? "no candidate beat the seed: keep the current flags."
          : "chosen: candidate \(output.chosen.ordinal ?? 0)."))
    if !output.boundsMet {
      text.append(
        "No candidate met the bounds (under-request ≤ "
          + NumberText.format(output.bounds.maxUnderRequestTimePercent ?? 0, digits: 2)
          + " %, OOM kills ≤ "
          + NumberText.format(output.bounds.maxOOMKills ?? 0, digits: 0) + ", updates ≤ "
          + NumberText.format(output.bounds.maxUpdates ?? 0, digits: 0)
          + "): the safest one is shown.")
    }
    text.append("")
    text.append("Tuned parameters:")
    for value in output.chosen.parameters {
      let seed = output.seed.parameters.first { $0.name == value.name }?.value
      let note =
        seed.map { $0 == value.value ? "" : "  (seed \(NumberText.format($0, digits: 4)))" } ?? ""
      text.append(
        "  " + value.name.padding(toLength: 26, withPad: " ", startingAt: 0)
          + NumberText.format(value.value, digits: 4) + note)
    }
    text.append("")
    text.append("As recommender flags:")
    text.append("  " + output.flags.joined(separator: " \\\n  "))
    return text.joined(separator: "\n")
  }
}

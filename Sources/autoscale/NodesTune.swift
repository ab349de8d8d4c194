import AutoscalingReplay
import AutoscalingTuning
import Foundation
import NodeAutoscaling

/// `autoscale nodes --tune`: sweeps consolidation settings (policy × consolidateAfter × budget)
/// over the pod trace and prints the cost vs disruption trade-off (`ConsolidationTuner`).
enum NodesTune {
  static let optionSpecs: [OptionSpec] = [
    OptionSpec(
      name: "tune", valueName: nil,
      help: "sweep consolidationPolicy × consolidateAfter × budget instead of one replay; print the front"),
    OptionSpec(
      name: "tune-after", valueName: "LIST",
      help: "consolidateAfter levels for --tune, comma-separated durations (Never allowed)",
      defaultValue: "0s,30s,1m,5m,15m,1h"),
    OptionSpec(
      name: "tune-budgets", valueName: "LIST", help: "budget levels for --tune, percent of nodes, comma-separated",
      defaultValue: "10,50,100"),
  ]

  static let epilogue = """
    With --tune, every combination of consolidationPolicy (WhenEmpty, WhenEmptyOrUnderutilized),
    consolidateAfter (--tune-after) and a nodes budget (--tune-budgets) is replayed (the
    --consolidation and --consolidate-after overrides are ignored); the table lists each by cost,
    with * on the Pareto front of cost (USD), pods disrupted and pending pod-seconds.
    """

  static func run(_ replay: NodeReplay, _ arguments: ParsedArguments) throws {
    var after: [Int] = []
    for item in (arguments.value("tune-after") ?? "0s,30s,1m,5m,15m,1h").split(separator: ",") {
      let text = item.trimmingCharacters(in: .whitespaces)
      if text == "Never" {
        after.append(-1)
        continue
      }
      guard let milliseconds = DurationText.milliseconds(text), milliseconds >= 0 else {
        throw UsageError(message: "--tune-after expects durations such as 30s,5m,1h or Never, got \"\(text)\"")
      }
      after.append(Int(milliseconds / 1_000))
    }
    var budgets: [Int] = []
    for item in (arguments.value("tune-budgets") ?? "10,50,100").split(separator: ",") {
      guard let value = Int(item.trimmingCharacters(in: .whitespaces)), (0...100).contains(value) else {
        throw UsageError(message: "--tune-budgets expects percentages 0–100 separated by commas, got \"\(item)\"")
      }
      budgets.append(value)
    }
    let candidates: [ConsolidationCandidate]
    do throws(TuningError) {
      let space = try ParameterSpace(dimensions: [
        Dimension(name: ConsolidationTuner.policyDimension, domain: .categories(["WhenEmpty", "WhenEmptyOrUnderutilized"])),
        Dimension(name: ConsolidationTuner.consolidateAfterDimension, domain: .integers(after)),
        Dimension(name: ConsolidationTuner.budgetDimension, domain: .integers(budgets)),
      ])
      let tuner = try ConsolidationTuner(replay: replay, space: space)
      candidates = try Blocking.run { () async throws(TuningError) -> [ConsolidationCandidate] in
        try await tuner.tune(budget: 10_000)
      }
    } catch {
      throw CommandFailure("consolidation sweep: \(error)")
    }
    let ordered = candidates.sorted {
      $0.card.costDollars != $1.card.costDollars ? $0.card.costDollars < $1.card.costDollars : $0.card.podsDisrupted < $1.card.podsDisrupted
    }
    if arguments.flag("json") {
      let rows = ordered.map { candidate in
        TunedRow(
          consolidationPolicy: candidate.settings.policy.rawValue,
          consolidateAfterSeconds: candidate.settings.consolidateAfterSeconds,
          budgetNodesPercent: candidate.settings.budgetNodesPercent, onFront: candidate.onFront,
          costDollars: candidate.card.costDollars, podsDisrupted: candidate.card.podsDisrupted,
          pendingPodSeconds: candidate.card.pendingPodSeconds)
      }
      print(try NodeInputs.json(rows), terminator: "")
      return
    }
    print("\(candidates.count) settings replayed over \(replay.pods.count) pods; * = Pareto front (cost, disrupted, pending)")
    var lines = [["", "policy", "after", "budget", "cost $", "disrupted", "pending pod-s"]]
    for candidate in ordered {
      let after = candidate.settings.consolidateAfterSeconds.map { "\($0)s" } ?? "Never"
      lines.append([
        candidate.onFront ? "*" : "", candidate.settings.policy.rawValue, after, "\(candidate.settings.budgetNodesPercent)%",
        NumberText.format(candidate.card.costDollars), String(candidate.card.podsDisrupted),
        NumberText.format(candidate.card.pendingPodSeconds),
      ])
    }
    let widths = (0..<lines[0].count).map { column in lines.map { $0[column].count }.max() ?? 0 }
    for line in lines {
      print(zip(line, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  "))
    }
  }

  struct TunedRow: Encodable {
    var consolidationPolicy: String
    var consolidateAfterSeconds: Int?
    var budgetNodesPercent: Int
    var onFront: Bool
    var costDollars: Double
    var podsDisrupted: Int
    var pendingPodSeconds: Double
  }
}

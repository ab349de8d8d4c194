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
    OptionSpec(
      name: "tune-balanced-k", valueName: "LIST",
      help: "with --tune, also sweep the Balanced policy with these minimum-savings thresholds k "
        + "(a move must save at least 1/k of its pool's cost share per share of disruption)",
      defaultValue: "Balanced not swept"),
  ]

  static let epilogue = """
    With --tune, every combination of consolidationPolicy (WhenEmpty, WhenEmptyOrUnderutilized,
    and Balanced with each k of --tune-balanced-k), consolidateAfter (--tune-after) and a nodes
    budget (--tune-budgets) is replayed (the
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
    var thresholds: [Double] = []
    for item in (arguments.value("tune-balanced-k") ?? "").split(separator: ",") {
      guard let value = Double(item.trimmingCharacters(in: .whitespaces)), value > 0, value.isFinite else {
        throw UsageError(message: "--tune-balanced-k expects numbers greater than 0 separated by commas, got \"\(item)\"")
      }
      thresholds.append(value)
    }
    var candidates: [ConsolidationCandidate] = []
    do throws(TuningError) {
      // Two sweeps when Balanced is asked for: k matters only under Balanced, so the other
      // policies are not replayed once per k; the front is then taken over both.
      var spaces = [
        try ParameterSpace(dimensions: [
          Dimension(name: ConsolidationTuner.policyDimension, domain: .categories(["WhenEmpty", "WhenEmptyOrUnderutilized"])),
          Dimension(name: ConsolidationTuner.consolidateAfterDimension, domain: .integers(after)),
          Dimension(name: ConsolidationTuner.budgetDimension, domain: .integers(budgets)),
        ])
      ]
      if !thresholds.isEmpty {
        spaces.append(
          try ParameterSpace(dimensions: [
            Dimension(name: ConsolidationTuner.policyDimension, domain: .categories(["Balanced"])),
            Dimension(name: ConsolidationTuner.balancedKDimension, domain: .reals(thresholds)),
            Dimension(name: ConsolidationTuner.consolidateAfterDimension, domain: .integers(after)),
            Dimension(name: ConsolidationTuner.budgetDimension, domain: .integers(budgets)),
          ]))
      }
      for space in spaces {
        let tuner = try ConsolidationTuner(replay: replay, space: space)
        candidates += try Blocking.run { () async throws(TuningError) -> [ConsolidationCandidate] in
          try await tuner.tune(budget: 10_000)
        }
      }
      if spaces.count > 1 { candidates = ConsolidationCandidate.markingFront(candidates) }
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
          balancedK: candidate.settings.policy == .balanced ? candidate.settings.balancedK : nil,
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
        candidate.onFront ? "*" : "",
        candidate.settings.policy.rawValue + (candidate.settings.policy == .balanced ? " k=\(NumberText.format(candidate.settings.balancedK))" : ""),
        after, "\(candidate.settings.budgetNodesPercent)%",
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
    var balancedK: Double?
    var consolidateAfterSeconds: Int?
    var budgetNodesPercent: Int
    var onFront: Bool
    var costDollars: Double
    var podsDisrupted: Int
    var pendingPodSeconds: Double
  }
}

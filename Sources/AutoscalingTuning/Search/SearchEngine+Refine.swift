extension SearchEngine {
  /// The `refine` strategy: a Latin hypercube start, then a pattern search on level indices
  /// around the incumbents (the chosen candidate and its two neighbours on the cost-ordered
  /// Pareto front).
  ///
  /// Each round evaluates, in parallel, the unseen valid neighbours of the incumbents at the
  /// current step (a quarter of each dimension's levels at first; categorical dimensions try
  /// every other category). A round that leaves the chosen candidate unchanged halves the
  /// steps; at one level it adds diagonal moves (two dimensions at once); then it widens the
  /// band of front members refined around the chosen one (doubling, up to 4 on each side); when the whole front
  /// has been refined without a better choice, or the budget is spent, the search stops. Every decision depends only on earlier results in
  /// ordinal order, so the outcome is the same on any number of cores.
  func refine(
    seed: UInt64, initialSamples: Int?, progress: (@Sendable (SearchProgress) -> Void)?
  ) async throws(TuningError) -> [Evaluation] {
    let budget = configuration.budget
    let automatic = max(8, min(budget / 5, 10 * space.dimensions.count))
    let initialCount = min(budget, max(1, initialSamples ?? automatic))
    let initial = try CandidatePlan.levels(
      space: space, strategy: .latinHypercube(seed: seed), budget: initialCount)
    var evaluations: [Evaluation] = []
    var seen = Set(initial)
    try await append(initial, to: &evaluations, progress: progress)

    let counts = space.levelCounts
    var shift = 2
    var diagonal = false
    var reach = 1
    var chosen = configuration.selection.choose(from: evaluations)?.0.ordinal
    while evaluations.count < budget {
      let steps = counts.map { max(1, ($0 - 1) >> shift) }
      let unitSteps = steps.allSatisfy { $0 == 1 }
      let (incumbents, frontSize) = Self.incumbents(
        of: evaluations, selection: configuration.selection, reach: reach)
      // Escalation when a round brings nothing: finer steps, then diagonal moves, then a
      // wider band of the front around the chosen candidate; stop when all are exhausted.
      func escalate() -> Bool {
        if !unitSteps {
          shift += 1
        } else if !diagonal {
          diagonal = true
        } else if reach < min(frontSize, Self.maximumReach) {
          reach *= 2
        } else {
          return false
        }
        return true
      }
      var batch: [[Int]] = []
      for incumbent in incumbents {
        for neighbour in space.moves(from: incumbent.levels, steps: steps, diagonal: diagonal)
        where space.isValid(neighbour) && seen.insert(neighbour).inserted {
          batch.append(neighbour)
        }
      }
      batch = Array(batch.prefix(budget - evaluations.count))
      if batch.isEmpty {
        if escalate() { continue }
        break
      }
      try await append(batch, to: &evaluations, progress: progress)
      let next = configuration.selection.choose(from: evaluations)?.0.ordinal
      if next == chosen {
        if !escalate() { break }
      } else {
        diagonal = false
        reach = 1
      }
      chosen = next
    }
    return evaluations
  }

  /// Evaluates a batch and appends it with the next ordinals.
  private func append(
    _ batch: [[Int]], to evaluations: inout [Evaluation],
    progress: (@Sendable (SearchProgress) -> Void)?
  ) async throws(TuningError) {
    let start = evaluations.count
    let budget = configuration.budget
    var forward: (@Sendable (SearchProgress) -> Void)?
    if let progress {
      forward = { @Sendable step in
        progress(SearchProgress(completed: start + step.completed, total: budget, phase: "search"))
      }
    }
    let ordinals = Array(start..<(start + batch.count))
    let scores = try await evaluate(
      batch, ordinals: ordinals, segment: .tuning, phase: "search", progress: forward)
    for (offset, (levels, score)) in zip(batch, scores).enumerated() {
      evaluations.append(Evaluation(ordinal: start + offset, levels: levels, objectives: score))
    }
  }

  /// The widest band of front members refined on each side of the chosen candidate.
  static var maximumReach: Int { 4 }

  /// The chosen evaluation, then up to `reach` front members on each side of it in cost
  /// order (nearest first), and the front's size.
  private static func incumbents(
    of evaluations: [Evaluation], selection: Selection, reach: Int
  ) -> ([Evaluation], frontSize: Int) {
    guard let (chosen, _) = selection.choose(from: evaluations) else { return ([], 0) }
    let front = ParetoFront.of(evaluations)
    guard let position = front.firstIndex(where: { $0.ordinal == chosen.ordinal }) else {
      return ([chosen], front.count)
    }
    var result = [chosen]
    for distance in 1...max(1, reach) {
      if position - distance >= 0 { result.append(front[position - distance]) }
      if position + distance < front.count { result.append(front[position + distance]) }
    }
    return (result, front.count)
  }
}

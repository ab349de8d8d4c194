extension SearchEngine {
  /// The `refine` strategy: a Latin hypercube start, then a pattern search on level indices
  /// around the incumbents (the chosen candidate and its two neighbours on the cost-ordered
  /// Pareto front), restarted from a new hypercube whenever it converges with budget left.
  ///
  /// Each round evaluates, in parallel, the unseen valid neighbours of the incumbents at the
  /// current step (a quarter of each dimension's levels at first; categorical dimensions try
  /// every other category). A round that leaves the chosen candidate unchanged halves the
  /// steps; at one level it adds diagonal moves (two dimensions at once); then it widens the
  /// band of front members refined around the chosen one (doubling, up to 4 on each side).
  /// When the whole band has been refined without a better choice, that start has converged:
  /// the next start draws a new hypercube (seeded from `seed` and the start's number) and
  /// refines around the best of what it sees, reusing the scores of candidates an earlier
  /// start evaluated. The choice is made over every evaluation. A start that evaluates
  /// nothing new ends the search, after evaluating, in a small space (at most 1,000,000 raw
  /// level combinations), every valid candidate no start reached, up to the budget.
  ///
  /// Every decision depends only on earlier results in ordinal order, so the outcome is the
  /// same on any number of cores, and a search's evaluations are the first ones of the same
  /// search with a larger budget when both start from the same number of samples: more
  /// budget never leads to a dearer choice.
  func refine(
    seed: UInt64, initialSamples: Int?, progress: (@Sendable (SearchProgress) -> Void)?
  ) async throws(TuningError) -> [Evaluation] {
    let budget = configuration.budget
    let automatic = max(8, min(budget / 5, 10 * space.dimensions.count))
    let initialCount = min(budget, max(1, initialSamples ?? automatic))
    var evaluations: [Evaluation] = []
    // Where each evaluated candidate sits in `evaluations`, so a restart reuses a score
    // instead of replaying the candidate again.
    var evaluated: [[Int]: Int] = [:]
    var start = 0
    while evaluations.count < budget {
      let before = evaluations.count
      // The first start's plan fails on a space without valid candidates; a restart that
      // draws none (constraints that leave valid candidates rare) just ends the search.
      let samples =
        start == 0
        ? try CandidatePlan.levels(
          space: space, strategy: .latinHypercube(seed: seed), budget: initialCount)
        : CandidatePlan.sample(
          space: space, budget: initialCount, seed: Self.startSeed(seed, start: start),
          latin: true, completing: false)
      try await descend(
        from: samples, evaluations: &evaluations, evaluated: &evaluated, progress: progress)
      start += 1
      guard evaluations.count == before else { continue }
      // A start that found nothing new: the space is (nearly) exhausted. A small one is
      // finished in grid order, so a budget of at least its size evaluates every candidate.
      if let raw = space.rawSize, raw <= CandidatePlan.gridEnumerationLimits.lower {
        let rest = CandidatePlan.enumerateValid(space).filter { evaluated[$0] == nil }
        let fresh = Array(rest.prefix(budget - evaluations.count))
        if !fresh.isEmpty { try await append(fresh, to: &evaluations, progress: progress) }
      }
      break
    }
    return evaluations
  }

  /// The hypercube seed of the `start`-th start: the search's own seed for the first, a
  /// fixed mix of it for the restarts.
  static func startSeed(_ seed: UInt64, start: Int) -> UInt64 {
    start == 0 ? seed : seed &+ UInt64(start) &* 0x9E37_79B9_7F4A_7C15
  }

  /// One local search: evaluates `samples`, then refines around the best of what this
  /// search has seen (its samples and moves; a candidate an earlier start evaluated counts
  /// with its score, unreplayed) until it converges or the budget is spent.
  private func descend(
    from samples: [[Int]], evaluations: inout [Evaluation], evaluated: inout [[Int]: Int],
    progress: (@Sendable (SearchProgress) -> Void)?
  ) async throws(TuningError) {
    let budget = configuration.budget
    var local: [Evaluation] = []
    var seen = Set<[Int]>()
    // Adds candidates to this search: earlier scores where they exist, evaluations for the
    // rest (up to the budget). Returns how many joined.
    func visit(_ candidates: [[Int]]) async throws(TuningError) -> Int {
      var fresh: [[Int]] = []
      var joined = 0
      for levels in candidates where seen.insert(levels).inserted {
        if let index = evaluated[levels] {
          local.append(evaluations[index])
          joined += 1
        } else if evaluations.count + fresh.count < budget {
          fresh.append(levels)
        }
      }
      guard !fresh.isEmpty else { return joined }
      let first = evaluations.count
      try await append(fresh, to: &evaluations, progress: progress)
      for index in first..<evaluations.count {
        evaluated[evaluations[index].levels] = index
        local.append(evaluations[index])
      }
      return joined + fresh.count
    }
    _ = try await visit(samples)

    let counts = space.levelCounts
    var shift = 2
    var diagonal = false
    var reach = 1
    var chosen = configuration.selection.choose(from: local)?.0.ordinal
    while evaluations.count < budget {
      let steps = counts.map { max(1, ($0 - 1) >> shift) }
      let unitSteps = steps.allSatisfy { $0 == 1 }
      let (incumbents, frontSize) = Self.incumbents(
        of: local, selection: configuration.selection, reach: reach)
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
      var moves: [[Int]] = []
      for incumbent in incumbents {
        for neighbour in space.moves(from: incumbent.levels, steps: steps, diagonal: diagonal)
        where space.isValid(neighbour) && !seen.contains(neighbour) {
          moves.append(neighbour)
        }
      }
      if try await visit(moves) == 0 {
        if escalate() { continue }
        break
      }
      let next = configuration.selection.choose(from: local)?.0.ordinal
      if next == chosen {
        if !escalate() { break }
      } else {
        diagonal = false
        reach = 1
      }
      chosen = next
    }
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

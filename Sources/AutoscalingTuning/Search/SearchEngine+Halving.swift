extension SearchEngine {
  /// The `halving` strategy: rungs of growing trace prefixes, keeping the best
  /// 1/`reduction` of the candidates at each rung.
  ///
  /// - Returns: The last rung's evaluations (whole tuning part) and the plan's size.
  func successiveHalving(
    seed: UInt64, reduction: Int, rungs: Int, progress: (@Sendable (SearchProgress) -> Void)?
  ) async throws(TuningError) -> ([Evaluation], Int) {
    guard reduction >= 2, (1...8).contains(rungs) else {
      throw .invalidInput(
        reason:
          "successive halving needs a reduction ≥ 2 and 1…8 rungs (got \(reduction), \(rungs))")
    }
    let plan = try CandidatePlan.levels(
      space: space, strategy: .latinHypercube(seed: seed), budget: configuration.budget)
    var survivors = Array(plan.indices)
    var evaluations: [Evaluation] = []
    for rung in 0..<rungs {
      var fraction = 1.0
      for _ in 0..<(rungs - 1 - rung) { fraction /= Double(reduction) }
      let scores = try await evaluate(
        survivors.map { plan[$0] }, ordinals: survivors, segment: .tuning,
        prefix: fraction < 1 ? fraction : nil, phase: "search (rung \(rung + 1)/\(rungs))",
        progress: progress)
      evaluations = zip(survivors, scores).map {
        Evaluation(ordinal: $0, levels: plan[$0], objectives: $1)
      }
      if rung == rungs - 1 { break }
      let keep = max(1, (survivors.count + reduction - 1) / reduction)
      survivors = Self.ranked(evaluations, selection: configuration.selection)
        .prefix(keep).map(\.ordinal).sorted()
    }
    return (evaluations, plan.count)
  }

  /// Evaluations best first: those meeting the bound by cost, then the rest by
  /// under-provisioning (ties by the other objectives, then ordinal).
  static func ranked(_ evaluations: [Evaluation], selection: Selection) -> [Evaluation] {
    let meeting = evaluations.filter {
      selection.isConstrained && selection.isMet(by: $0.objectives)
    }
    let others = evaluations.filter {
      !(selection.isConstrained && selection.isMet(by: $0.objectives))
    }
    return meeting.sorted(by: Selection.cheaperFirst) + others.sorted(by: Selection.saferFirst)
  }
}

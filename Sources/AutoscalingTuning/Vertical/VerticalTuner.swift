import VerticalAutoscaling

/// The limits a tuned recommender must respect on the tuning part.
public struct VerticalBounds: Sendable, Hashable, Codable {
  /// The largest acceptable under-request time, percent; `nil`: the seed's own.
  public var maxUnderRequestTimePercent: Double?
  /// The most acceptable OOM kills; `nil`: the seed's own.
  public var maxOOMKills: Double?

  /// Creates bounds.
  ///
  /// - Parameters:
  ///   - maxUnderRequestTimePercent: Percent of traced time, or `nil` for the seed's.
  ///   - maxOOMKills: A count, or `nil` for the seed's.
  public init(maxUnderRequestTimePercent: Double? = nil, maxOOMKills: Double? = nil) {
    self.maxUnderRequestTimePercent = maxUnderRequestTimePercent
    self.maxOOMKills = maxOOMKills
  }
}

/// One scored set of recommender flags.
public struct VerticalCandidate: Sendable, Hashable, Codable {
  /// The position in the search's plan; `nil` for the seed.
  public var ordinal: Int?
  /// The searched parameters' values, in dimension order.
  public var parameters: [VerticalParameterValue]
  /// The scores on the tuning part (combined over traces).
  public var tuning: VerticalObjectives
  /// The scores on the held-out rest, when scored.
  public var holdOut: VerticalObjectives?
}

/// What a vertical tuning run found.
public struct VerticalTuningResult: Sendable, Hashable, Codable {
  /// The seed (the base flags), scored on both parts.
  public var seed: VerticalCandidate
  /// The recommended flags, scored on both parts (the seed when nothing beats it).
  public var chosen: VerticalCandidate
  /// Whether ``chosen`` meets ``bounds`` (always true with the default, seed-relative bounds).
  public var boundsMet: Bool
  /// The bounds in force, resolved: percent of time and a count.
  public var bounds: VerticalBounds
  /// The Pareto front of the search (slack, under-request time, OOM kills, updates).
  public var front: [VerticalCandidate]
  /// Candidates evaluated, not counting the seed.
  public var evaluated: Int
  /// The generic search's result (scores in the generic slots, see ``VerticalObjectives``).
  public var search: SearchResult
}

/// Searches the VPA recommender's flags (percentiles, margin, half-lives, OOM bump-up,
/// confidence, minimum resources) for the least slack that is no worse than the seed — or
/// than explicit bounds — on under-request time and OOM kills.
///
/// The search itself is the generic ``SearchEngine`` (any ``Strategy``, budget, aggregation
/// and parallelism) over a ``VerticalReplayEvaluator``; its under-provisioning bound is set to
/// the resolved under-request bound, so adaptive strategies refine around acceptable
/// candidates. The choice adds the OOM bound the generic ``Selection`` does not know: among the
/// seed and every evaluated candidate, the least slack meeting both bounds (ties: less
/// under-request time, fewer OOM kills, fewer updates, the seed, then the lower ordinal). With
/// the default bounds the seed always qualifies, so the chosen flags never have more slack
/// than the seed on the tuning part, nor more under-request time or OOM kills.
public struct VerticalTuner: Sendable {
  /// The scorer (space, seed flags, traces).
  public var evaluator: VerticalReplayEvaluator
  /// Strategy, budget and aggregation (its selection is replaced by the resolved bound).
  public var configuration: SearchConfiguration
  /// The bounds.
  public var bounds: VerticalBounds
  /// The work split (never changes the result).
  public var parallelism: Parallelism

  /// Creates a tuner.
  ///
  /// - Parameters:
  ///   - evaluator: The scorer.
  ///   - configuration: Strategy, budget and aggregation.
  ///   - bounds: The bounds (default: the seed's own figures).
  ///   - parallelism: The work split.
  public init(
    evaluator: VerticalReplayEvaluator, configuration: SearchConfiguration,
    bounds: VerticalBounds = VerticalBounds(), parallelism: Parallelism = Parallelism()
  ) {
    self.evaluator = evaluator
    self.configuration = configuration
    self.bounds = bounds
    self.parallelism = parallelism
  }

  /// Runs the search.
  ///
  /// - Parameter progress: Called after each finished chunk of the search.
  /// - Returns: The seed, the chosen flags, the front and the generic result.
  /// - Throws: The engine's or the evaluator's ``TuningError``.
  public func run(progress: (@Sendable (SearchProgress) -> Void)? = nil) async throws(TuningError)
    -> VerticalTuningResult
  {
    let aggregation = configuration.aggregation
    let scenarios = evaluator.scenarios.indices
    func combined(_ flags: RecommenderConfiguration, _ segment: Segment) throws(TuningError)
      -> VerticalObjectives
    {
      var scores: [Objectives] = []
      for scenario in scenarios {
        scores.append(try evaluator.score(flags, scenario: scenario, segment: segment).objectives)
      }
      return VerticalObjectives(aggregation.combine(scores))
    }
    let seedScore = try combined(evaluator.base, .tuning)
    let resolved = VerticalBounds(
      maxUnderRequestTimePercent: bounds.maxUnderRequestTimePercent
        ?? seedScore.underRequestTimePercent,
      maxOOMKills: bounds.maxOOMKills ?? seedScore.oomKills)
    var settings = configuration
    settings.selection = Selection(
      maxUnderProvisionedTimeShare: (resolved.maxUnderRequestTimePercent ?? 0) / 100)
    let engine = SearchEngine(
      space: evaluator.space, evaluator: evaluator, configuration: settings,
      parallelism: parallelism)
    let search = try await engine.run(progress: progress)

    let space = evaluator.space
    func candidate(_ evaluation: Evaluation) -> VerticalCandidate {
      VerticalCandidate(
        ordinal: evaluation.ordinal,
        parameters: zip(space.dimensions, space.values(evaluation.levels)).map {
          VerticalParameterValue(name: $0.name, value: $1.numeric ?? 0)
        },
        tuning: VerticalObjectives(evaluation.objectives),
        holdOut: evaluation.holdOut.map(VerticalObjectives.init))
    }
    var seed = VerticalCandidate(
      ordinal: nil, parameters: evaluator.parameterValues(of: evaluator.base), tuning: seedScore,
      holdOut: nil)
    let all = [seed] + search.evaluations.map(candidate)
    let pick = Self.choose(all, bounds: resolved)
    var chosen = pick.candidate
    if evaluator.hasHoldOut {
      seed.holdOut = try combined(evaluator.base, .holdOut)
      if let ordinal = chosen.ordinal, chosen.holdOut == nil,
        let evaluation = search.evaluations.first(where: { $0.ordinal == ordinal })
      {
        chosen.holdOut = try combined(evaluator.configuration(for: evaluation.levels), .holdOut)
      } else if chosen.ordinal == nil {
        chosen.holdOut = seed.holdOut
      }
    }
    return VerticalTuningResult(
      seed: seed, chosen: chosen, boundsMet: pick.met, bounds: resolved,
      front: search.front.map(candidate), evaluated: search.evaluations.count, search: search)
  }

  /// The choice rule (see the type's overview).
  ///
  /// - Parameters:
  ///   - candidates: The seed first, then the evaluated candidates.
  ///   - bounds: Resolved bounds (`nil` fields are no bound).
  /// - Returns: The pick and whether it meets the bounds; the least OOM kills, then
  ///   under-request time, then slack when nothing does.
  static func choose(_ candidates: [VerticalCandidate], bounds: VerticalBounds)
    -> (candidate: VerticalCandidate, met: Bool)
  {
    func meets(_ score: VerticalObjectives) -> Bool {
      score.underRequestTimePercent <= (bounds.maxUnderRequestTimePercent ?? .infinity) + 1e-9
        && score.oomKills <= (bounds.maxOOMKills ?? .infinity)
    }
    func key(_ candidate: VerticalCandidate, safer: Bool) -> [Double] {
      let score = candidate.tuning
      let order = Double(candidate.ordinal.map { $0 + 1 } ?? 0)
      return safer
        ? [score.oomKills, score.underRequestTimePercent, score.slackPercent, score.updates, order]
        : [score.slackPercent, score.underRequestTimePercent, score.oomKills, score.updates, order]
    }
    func better(_ a: [Double], _ b: [Double]) -> Bool {
      for (x, y) in zip(a, b) where x != y { return x < y }
      return false
    }
    var feasible: VerticalCandidate?
    var fallback: VerticalCandidate?
    for candidate in candidates {
      if meets(candidate.tuning),
        feasible.map({ better(key(candidate, safer: false), key($0, safer: false)) }) ?? true
      {
        feasible = candidate
      }
      if fallback.map({ better(key(candidate, safer: true), key($0, safer: true)) }) ?? true {
        fallback = candidate
      }
    }
    if let feasible { return (feasible, true) }
    // `candidates` always holds the seed, so the fallback exists.
    return (fallback ?? candidates[0], false)
  }
}

/// A deterministic, parallel search over a parameter space.
///
/// The engine plans candidates (or, for ``Strategy/refine(seed:initialSamples:)``, plans them
/// round by round from earlier results), evaluates them in chunks on concurrent tasks, puts
/// the results back in candidate order, and reduces them to a Pareto front and a chosen
/// candidate. The result does not depend on the number of cores or tasks.
public struct SearchEngine<Evaluator: CandidateEvaluator>: Sendable {
  /// The space searched.
  public var space: ParameterSpace
  /// The scorer.
  public var evaluator: Evaluator
  /// The settings that decide the result.
  public var configuration: SearchConfiguration
  /// How the work is split (never changes the result).
  public var parallelism: Parallelism

  /// Creates a search.
  ///
  /// - Parameters:
  ///   - space: The space searched.
  ///   - evaluator: The scorer.
  ///   - configuration: Strategy, budget, selection and aggregation.
  ///   - parallelism: The work split.
  public init(
    space: ParameterSpace, evaluator: Evaluator, configuration: SearchConfiguration,
    parallelism: Parallelism = Parallelism()
  ) {
    self.space = space
    self.evaluator = evaluator
    self.configuration = configuration
    self.parallelism = parallelism
  }

  /// A stable identity of the space, the scenarios and the settings (16 hex digits).
  ///
  /// Shards of one search share it; results with different fingerprints are not merged.
  public var fingerprint: String {
    let text =
      "tuning-v1|" + space.canonicalText + "|" + configuration.strategy.description
      + "|budget=\(configuration.budget)|max-under=\(configuration.selection.maxUnderProvisionedTimeShare.map { String($0) } ?? "none")"
      + (configuration.selection.windowBounds.map {
        "|window-bounds=" + $0.map { String($0) }.joined(separator: ",")
      } ?? "")
      + (configuration.selection.maxScalingActions.map { "|max-actions=\($0)" } ?? "")
      + "|aggregation=\(configuration.aggregation.rawValue)|hold-out=\(evaluator.hasHoldOut)|"
      + evaluator.scenarioIdentities.joined(separator: "\u{1F}")
    return StableHash.fnv1a(text)
  }

  /// Runs the search, or one shard of it.
  ///
  /// - Parameters:
  ///   - shard: The slice to evaluate (``Shard/whole`` for all).
  ///   - progress: Called after each finished chunk, from one task at a time.
  /// - Returns: The evaluations of this shard, its Pareto front (with held-out scores when
  ///   the evaluator has a hold-out), and the chosen candidate.
  /// - Throws: ``TuningError/invalidBudget(_:)``, ``TuningError/noValidCandidate(reason:)``,
  ///   ``TuningError/gridTooLarge(candidates:budget:)``,
  ///   ``TuningError/strategyNotShardable(strategy:)``, or an evaluator's error (the one of
  ///   the lowest candidate, whatever the scheduling).
  public func run(
    shard: Shard = .whole, progress: (@Sendable (SearchProgress) -> Void)? = nil
  ) async throws(TuningError) -> SearchResult {
    guard configuration.budget >= 1 else { throw .invalidBudget(configuration.budget) }
    guard !evaluator.scenarioIdentities.isEmpty else {
      throw .invalidInput(reason: "the evaluator has no scenario (trace) to replay")
    }
    var evaluations: [Evaluation]
    let planned: Int
    if configuration.strategy.isAdaptive {
      guard shard.count == 1 else {
        throw .strategyNotShardable(strategy: configuration.strategy.name)
      }
      switch configuration.strategy {
      case .successiveHalving(let seed, let reduction, let rungs):
        (evaluations, planned) = try await successiveHalving(
          seed: seed, reduction: reduction, rungs: rungs, progress: progress)
      case .refine(let seed, let initial):
        evaluations = try await refine(seed: seed, initialSamples: initial, progress: progress)
        planned = evaluations.count
      case .grid, .random, .latinHypercube:
        evaluations = []
        planned = 0
      }
    } else {
      let plan = try CandidatePlan.levels(
        space: space, strategy: configuration.strategy, budget: configuration.budget)
      planned = plan.count
      let mine = plan.indices.filter(shard.contains)
      let scores = try await evaluate(
        mine.map { plan[$0] }, ordinals: mine, segment: .tuning, phase: "search",
        progress: progress)
      evaluations = zip(mine, scores).map {
        Evaluation(ordinal: $0, levels: plan[$0], objectives: $1)
      }
    }
    var result = SearchResult(
      fingerprint: fingerprint, shard: shard, space: space, configuration: configuration,
      scenarioIdentities: evaluator.scenarioIdentities, plannedCandidates: planned,
      evaluations: evaluations)
    if evaluator.hasHoldOut {
      let front = result.front
      let holdOut = try await evaluate(
        front.map(\.levels), ordinals: front.map(\.ordinal), segment: .holdOut,
        phase: "hold-out", progress: progress)
      var byOrdinal: [Int: Objectives] = [:]
      for (member, score) in zip(front, holdOut) { byOrdinal[member.ordinal] = score }
      for index in evaluations.indices {
        evaluations[index].holdOut = byOrdinal[evaluations[index].ordinal]
      }
      result.evaluations = evaluations
    }
    return result
  }

  /// Scores candidates in parallel and returns the scores in input order.
  ///
  /// - Parameters:
  ///   - levels: The candidates.
  ///   - ordinals: Their ordinals (for error messages), same count.
  ///   - segment: The part of the scenarios to score.
  ///   - prefix: For the tuning part, the share of it scored (`nil`: all of it).
  ///   - phase: The progress label.
  ///   - progress: The progress callback.
  /// - Returns: One combined score per candidate.
  /// - Throws: The error of the lowest failing candidate.
  func evaluate(
    _ levels: [[Int]], ordinals: [Int], segment: Segment, prefix: Double? = nil,
    phase: String, progress: (@Sendable (SearchProgress) -> Void)?
  ) async throws(TuningError) -> [Objectives] {
    let chunkSize = parallelism.chunkSize
    let chunkCount = (levels.count + chunkSize - 1) / chunkSize
    let evaluator = self.evaluator
    let aggregation = configuration.aggregation
    let scenarios = evaluator.scenarioIdentities.count
    var chunks = [[Objectives]?](repeating: nil, count: chunkCount)
    var firstFailure: (chunk: Int, error: TuningError)?
    await withTaskGroup(of: (Int, Result<[Objectives], TuningError>).self) { group in
      var next = 0
      var completed = 0
      func add() {
        let chunk = next
        next += 1
        let range = (chunk * chunkSize)..<min(levels.count, (chunk + 1) * chunkSize)
        let work = Array(levels[range])
        let names = Array(ordinals[range])
        group.addTask {
          (
            chunk,
            Self.score(
              work, ordinals: names, evaluator: evaluator, scenarios: scenarios,
              segment: segment, prefix: prefix, aggregation: aggregation)
          )
        }
      }
      while next < min(chunkCount, parallelism.maximumConcurrentTasks) { add() }
      while let (chunk, outcome) = await group.next() {
        switch outcome {
        case .success(let scores):
          chunks[chunk] = scores
          completed += scores.count
          progress?(SearchProgress(completed: completed, total: levels.count, phase: phase))
          if firstFailure == nil, next < chunkCount { add() }
        case .failure(let error):
          if firstFailure.map({ chunk < $0.chunk }) ?? true { firstFailure = (chunk, error) }
        }
      }
    }
    if let firstFailure { throw firstFailure.error }
    var scores: [Objectives] = []
    scores.reserveCapacity(levels.count)
    for chunk in chunks { scores += chunk ?? [] }
    return scores
  }

  /// Scores one chunk serially.
  private static func score(
    _ levels: [[Int]], ordinals: [Int], evaluator: Evaluator, scenarios: Int, segment: Segment,
    prefix: Double?, aggregation: ScenarioAggregation
  ) -> Result<[Objectives], TuningError> {
    var scores: [Objectives] = []
    scores.reserveCapacity(levels.count)
    var perScenario: [Objectives] = []
    perScenario.reserveCapacity(scenarios)
    for (candidate, ordinal) in zip(levels, ordinals) {
      perScenario.removeAll(keepingCapacity: true)
      for scenario in 0..<scenarios {
        let score: Objectives
        do {
          if let prefix, segment == .tuning, prefix < 1 {
            score = try evaluator.objectives(
              for: candidate, scenario: scenario, tuningPrefix: prefix)
          } else {
            score = try evaluator.objectives(for: candidate, scenario: scenario, segment: segment)
          }
        } catch .evaluationFailed(_, let reason) {
          return .failure(.evaluationFailed(candidate: ordinal, reason: reason))
        } catch {
          return .failure(error)
        }
        if let name = score.nonFiniteObjective {
          return .failure(.nonFiniteObjective(objective: name, candidate: ordinal))
        }
        perScenario.append(score)
      }
      scores.append(aggregation.combine(perScenario))
    }
    return .success(scores)
  }
}

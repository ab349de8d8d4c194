import AutoscalingTuning
import Foundation
import Testing
import _AutoscalingTestSupport

/// A space of `counts.count` integer dimensions with levels `0..<count` each.
func integerSpace(_ counts: [Int], constraints: [Constraint] = []) throws -> ParameterSpace {
  try ParameterSpace(
    dimensions: counts.enumerated().map { index, count in
      Dimension(name: "d\(index)", domain: .integers(Array(0..<count)))
    },
    constraints: constraints)
}

/// Every level vector of a space, by nested counting, independent of the engine's enumerator.
func bruteForceLevels(_ counts: [Int]) -> [[Int]] {
  var all: [[Int]] = [[]]
  for count in counts {
    all = all.flatMap { prefix in (0..<count).map { prefix + [$0] } }
  }
  return all
}

/// Whether `a` dominates `b`, written out independently of ``Objectives/dominates(_:)``.
func dominatesByHand(_ a: Objectives, _ b: Objectives) -> Bool {
  let pairs = [
    (a.replicaSeconds, b.replicaSeconds),
    (a.underProvisionedTimeShare, b.underProvisionedTimeShare),
    (a.unservedDemand, b.unservedDemand), (a.scalingActions, b.scalingActions),
  ]
  return pairs.allSatisfy { $0.0 <= $0.1 } && pairs.contains { $0.0 < $0.1 }
}

@Suite("Search engine")
struct SearchEngineTests {
  @Test("grid on a tiny space matches brute force: every candidate, front and choice")
  func gridMatchesBruteForce() async throws {
    let counts = [4, 3, 3]
    let space = try integerSpace(counts)
    let bound = 0.006
    let engine = SearchEngine(
      space: space, evaluator: SyntheticEvaluator(),
      configuration: SearchConfiguration(
        strategy: .grid, budget: 36,
        selection: Selection(maxUnderProvisionedTimeShare: bound)))
    let result = try await engine.run()

    let all = bruteForceLevels(counts)
    let scores = all.map { SyntheticEvaluator.score($0, factors: (1, 1), segment: .tuning) }
    #expect(result.evaluations.map(\.levels) == all)
    #expect(result.evaluations.map(\.objectives) == scores)

    let expectedFront = Set(
      all.indices.filter { i in !all.indices.contains { dominatesByHand(scores[$0], scores[i]) } })
    #expect(Set(result.front.map(\.ordinal)) == expectedFront)
    let costs = result.front.map(\.objectives.replicaSeconds)
    #expect(costs == costs.sorted())

    let feasible = all.indices.filter { scores[$0].underProvisionedTimeShare <= bound }
    let cheapest = try #require(
      feasible.min { scores[$0].replicaSeconds < scores[$1].replicaSeconds })
    let chosen = try #require(result.chosen)
    #expect(chosen.objectives.replicaSeconds == scores[cheapest].replicaSeconds)
    #expect(chosen.objectives.underProvisionedTimeShare <= bound)
    #expect(result.constraintMet)
    #expect(result.front.contains(chosen))
  }

  @Test("grid respects constraints between dimensions")
  func gridFiltersConstraints() async throws {
    let space = try integerSpace([5, 5], constraints: [Constraint("d0", .lessOrEqual, "d1")])
    let result = try await SearchEngine(
      space: space, evaluator: SyntheticEvaluator(),
      configuration: SearchConfiguration(strategy: .grid, budget: 100)
    ).run()
    // Pairs (a, b) with a ≤ b among 0…4: 5 + 4 + 3 + 2 + 1.
    #expect(result.evaluations.count == 15)
    #expect(result.evaluations.allSatisfy { $0.levels[0] <= $0.levels[1] })
  }

  /// The whole grid of a 12 × 8 × 8 synthetic space, and `refine` (seed 7) on a quarter of
  /// its evaluations, both choosing with `selection`.
  static func gridAndRefine(
    _ selection: Selection
  ) async throws -> (grid: SearchResult, refine: SearchResult) {
    let space = try integerSpace([12, 8, 8])
    func search(_ strategy: Strategy, budget: Int) async throws -> SearchResult {
      try await SearchEngine(
        space: space, evaluator: SyntheticEvaluator(),
        configuration: SearchConfiguration(strategy: strategy, budget: budget, selection: selection)
      ).run()
    }
    return (try await search(.grid, budget: 768), try await search(.refine(seed: 7), budget: 192))
  }

  @Test(
    "refine finds the grid's optimum with far fewer evaluations",
    arguments: [0.004, 0.006, 0.01, 0.02])
  func refineFindsGridOptimum(bound: Double) async throws {
    let (grid, smart) = try await Self.gridAndRefine(
      Selection(maxUnderProvisionedTimeShare: bound))
    let best = try #require(grid.chosen)
    let found = try #require(smart.chosen)
    #expect(grid.evaluations.count == 768)
    #expect(found.objectives.replicaSeconds == best.objectives.replicaSeconds)
    #expect(smart.constraintMet)
  }

  @Test(
    "with a stability bound too, refine finds the grid's optimum with far fewer evaluations",
    arguments: [(0.006, 40.0), (0.01, 30.0), (0.02, 50.0), (0.02, 70.0), (0.05, 35.0)])
  func refineFindsGridOptimumWithStabilityBound(bound: Double, actions: Double) async throws {
    let (grid, smart) = try await Self.gridAndRefine(
      Selection(maxUnderProvisionedTimeShare: bound, maxScalingActions: actions))
    // Worked out by brute force over the closed form: the cheapest within both bounds, and
    // the actions bound binds (the cheapest within the time-share bound alone costs less).
    let all = bruteForceLevels([12, 8, 8]).map {
      SyntheticEvaluator.score($0, factors: (1, 1), segment: .tuning)
    }
    let slo = all.filter { $0.underProvisionedTimeShare <= bound }
    let within = slo.filter { $0.scalingActions <= actions }
    let cheapest = try #require(within.map(\.replicaSeconds).min())
    #expect(try #require(slo.map(\.replicaSeconds).min()) < cheapest)
    #expect(try #require(grid.chosen).objectives.replicaSeconds == cheapest)
    #expect(try #require(smart.chosen).objectives.replicaSeconds == cheapest)
    #expect(smart.constraintMet)
  }

  @Test("refine restarts: budget spent, nothing twice, a smaller budget's search a prefix")
  func refineRestartsWithBudgetLeft() async throws {
    let space = try integerSpace([12, 8, 8])
    func search(budget: Int) async throws -> SearchResult {
      try await SearchEngine(
        space: space, evaluator: SyntheticEvaluator(),
        configuration: SearchConfiguration(
          strategy: .refine(seed: 7), budget: budget,
          selection: Selection(maxUnderProvisionedTimeShare: 0.006))
      ).run()
    }
    // Both start from 30 samples (10 per dimension), so the smaller search is the larger
    // one cut short. The first start converges after 125 evaluations (a search without
    // restarts stops there), so most of the 600 are restarts.
    let small = try await search(budget: 150)
    let large = try await search(budget: 600)
    #expect(large.evaluations.count == 600)
    #expect(Set(large.evaluations.map(\.levels)).count == 600)
    #expect(small.evaluations == Array(large.evaluations.prefix(small.evaluations.count)))
    let smallChoice = try #require(small.chosen)
    let largeChoice = try #require(large.chosen)
    #expect(largeChoice.objectives.replicaSeconds <= smallChoice.objectives.replicaSeconds)
  }

  @Test("restarts find a needle one start cannot reach; enough budget evaluates every candidate")
  func refineRestartsFindTheNeedle() async throws {
    let space = try integerSpace([20, 20])
    let evaluator = NeedleEvaluator()
    func search(budget: Int) async throws -> SearchResult {
      try await SearchEngine(
        space: space, evaluator: evaluator,
        configuration: SearchConfiguration(
          strategy: .refine(seed: 3), budget: budget,
          selection: Selection(maxUnderProvisionedTimeShare: 0.5))
      ).run()
    }
    // The first start's 20 samples miss the needle, and the cheapest costs less than 369.
    // Its descent moves only from the cheapest candidate seen, by at most 4 levels along one
    // axis or 1 along two; the candidates that reach the needle so are its dear
    // surroundings (10,000) and (13, 16) or (17, 12), which cost 369 and 377: never the
    // cheapest seen. So one start stays in the bowl…
    let first = try await search(budget: 20)
    #expect(first.evaluations.count == 20)
    #expect(!first.evaluations.contains { $0.levels == NeedleEvaluator.needle })
    #expect(try #require(first.chosen).objectives.replicaSeconds < 369)
    // …and a budget of the whole space evaluates all 400 candidates, so it is found.
    let whole = try await search(budget: 400)
    #expect(whole.evaluations.count == 400)
    #expect(Set(whole.evaluations.map(\.levels)) == Set(bruteForceLevels([20, 20])))
    #expect(try #require(whole.chosen).levels == NeedleEvaluator.needle)
    // A larger budget stops there: nothing is left to evaluate.
    #expect(try await search(budget: 1_000).evaluations.count == 400)
  }

  @Test("results are identical with one task and many", arguments: ["random", "refine", "lhs"])
  func independentOfParallelism(strategyName: String) async throws {
    let space = try integerSpace([9, 7, 6, 5])
    let strategy = try #require(Strategy.named(strategyName, seed: 42))
    let configuration = SearchConfiguration(
      strategy: strategy, budget: 120, selection: Selection(maxUnderProvisionedTimeShare: 0.01),
      aggregation: .mean)
    let evaluator = SyntheticEvaluator(scenarios: [(1, 1), (1.2, 0.8)], hasHoldOut: true)
    let serial = try await SearchEngine(
      space: space, evaluator: evaluator, configuration: configuration, parallelism: .serial
    ).run()
    let parallel = try await SearchEngine(
      space: space, evaluator: evaluator, configuration: configuration,
      parallelism: Parallelism(chunkSize: 3, maximumConcurrentTasks: 16)
    ).run()
    #expect(serial == parallel)
    #expect(serial.evaluations.map(\.ordinal) == Array(0..<serial.evaluations.count))
  }

  @Test("sharded and merged equals unsharded, through JSON", arguments: [1, 2, 3, 7])
  func shardedMergeEqualsUnsharded(shardCount: Int) async throws {
    let space = try integerSpace([10, 6, 6, 3])
    let engine = SearchEngine(
      space: space,
      evaluator: SyntheticEvaluator(scenarios: [(1, 1), (0.9, 1.3)], hasHoldOut: true),
      configuration: SearchConfiguration(
        strategy: .latinHypercube(seed: 3), budget: 150,
        selection: Selection(maxUnderProvisionedTimeShare: 0.008)))
    let whole = try await engine.run()
    var shards: [SearchResult] = []
    for index in (0..<shardCount).reversed() {
      let part = try await engine.run(shard: Shard(index: index, count: shardCount))
      let data = try JSONEncoder().encode(part)
      shards.append(try JSONDecoder().decode(SearchResult.self, from: data))
    }
    let merged = try SearchResult.merging(shards)
    #expect(merged == whole)
    #expect(merged.front == whole.front)
    #expect(merged.chosen == whole.chosen)
    // Hold-out scores exist exactly for the front.
    #expect(
      merged.evaluations.filter { $0.holdOut != nil }.map(\.ordinal)
        == whole.front.map(\.ordinal).sorted())
  }

  /// A result file whose evaluation names a level the space does not have is refused when read
  /// (found by fuzzing `autoscale merge`: the chosen candidate's overrides indexed past a domain).
  @Test(
    "a result whose levels do not fit its space is refused when read",
    arguments: [[99, 0, 0, 0], [-1, 0, 0, 0], [0, 0, 0]])
  func resultLevelsOutsideTheSpace(levels: [Int]) async throws {
    let engine = SearchEngine(
      space: try integerSpace([10, 6, 6, 3]),
      evaluator: SyntheticEvaluator(scenarios: [(1, 1)], hasHoldOut: false),
      configuration: SearchConfiguration(strategy: .random(seed: 1), budget: 5))
    let result = try await engine.run()
    var object = try #require(
      try JSONSerialization.jsonObject(with: JSONEncoder().encode(result)) as? [String: Any])
    var evaluations = try #require(object["evaluations"] as? [[String: Any]])
    evaluations[0]["levels"] = levels
    object["evaluations"] = evaluations
    let data = try JSONSerialization.data(withJSONObject: object)
    do {
      _ = try JSONDecoder().decode(SearchResult.self, from: data)
      Issue.record("levels \(levels) were accepted")
    } catch DecodingError.dataCorrupted(let context) {
      #expect(
        context.debugDescription
          == "evaluation \(result.evaluations[0].ordinal) has levels \(levels), which do not fit the space "
          + "(4 dimensions with 10, 6, 6, 3 levels)")
    }
    // Unchanged, the file reads back to the same result.
    #expect(
      try JSONDecoder().decode(SearchResult.self, from: JSONEncoder().encode(result)) == result)
  }

  @Test("merging refuses foreign, missing and duplicate shards")
  func mergeErrors() async throws {
    let space = try integerSpace([6, 6])
    func run(seed: UInt64, _ index: Int, of count: Int) async throws -> SearchResult {
      try await SearchEngine(
        space: space, evaluator: SyntheticEvaluator(),
        configuration: SearchConfiguration(strategy: .random(seed: seed), budget: 20)
      ).run(shard: Shard(index: index, count: count))
    }
    let a0 = try await run(seed: 1, 0, of: 2)
    let a1 = try await run(seed: 1, 1, of: 2)
    let b1 = try await run(seed: 2, 1, of: 2)
    let c0 = try await run(seed: 1, 0, of: 3)
    #expect(a0.fingerprint != b1.fingerprint)
    #expect(
      throws: TuningError.fingerprintMismatch(
        expected: a0.fingerprint, found: b1.fingerprint, shard: 1)
    ) {
      try SearchResult.merging([a0, b1])
    }
    #expect(throws: TuningError.missingShards([1])) { try SearchResult.merging([a0]) }
    #expect(throws: TuningError.duplicateShard(index: 0)) {
      try SearchResult.merging([a0, a0, a1])
    }
    #expect(throws: TuningError.shardCountMismatch(expected: 2, found: 3)) {
      try SearchResult.merging([a0, c0])
    }
    #expect(throws: TuningError.nothingToMerge) { try SearchResult.merging([]) }
    // A shard file edited to hold another shard's candidate (found by fuzzing merge: the merged
    // result then depended on the order of the files).
    var edited = a1
    let stolen = try #require(a0.evaluations.first)
    edited.evaluations[0].ordinal = stolen.ordinal
    #expect(throws: TuningError.duplicateEvaluation(ordinal: stolen.ordinal)) {
      try SearchResult.merging([a0, edited])
    }
    #expect(throws: TuningError.duplicateEvaluation(ordinal: stolen.ordinal)) {
      try SearchResult.merging([edited, a0])
    }
    let other = SyntheticEvaluator(scenarios: [(2, 1)])
    let foreign = try await SearchEngine(
      space: space, evaluator: other,
      configuration: SearchConfiguration(strategy: .random(seed: 1), budget: 20)
    ).run(shard: Shard(index: 1, count: 2))
    #expect(foreign.fingerprint != a1.fingerprint)
    #expect(throws: TuningError.self) { try SearchResult.merging([a0, foreign]) }
  }

  @Test("bad input gives typed errors")
  func badInput() async throws {
    let space = try integerSpace([4, 4])
    func engine(_ strategy: Strategy, budget: Int, space: ParameterSpace) -> SearchEngine<
      SyntheticEvaluator
    > {
      SearchEngine(
        space: space, evaluator: SyntheticEvaluator(),
        configuration: SearchConfiguration(strategy: strategy, budget: budget))
    }
    await #expect(throws: TuningError.invalidBudget(0)) {
      try await engine(.random(seed: 1), budget: 0, space: space).run()
    }
    await #expect(throws: TuningError.gridTooLarge(candidates: 16, budget: 10)) {
      try await engine(.grid, budget: 10, space: space).run()
    }
    await #expect(throws: TuningError.strategyNotShardable(strategy: "refine")) {
      try await engine(.refine(seed: 1), budget: 10, space: space)
        .run(shard: Shard(index: 0, count: 2))
    }
    #expect(throws: TuningError.shardOutOfRange(index: 4, count: 4)) { try Shard(parsing: "4/4") }
    #expect(throws: TuningError.shardOutOfRange(index: 0, count: 0)) {
      try Shard(index: 0, count: 0)
    }
    #expect(throws: TuningError.shardOutOfRange(index: -1, count: 3)) { try Shard(parsing: "-1/3") }
    #expect(throws: TuningError.invalidShardText("two/3")) { try Shard(parsing: "two/3") }
    #expect(try Shard(parsing: " 2/5") == Shard(index: 2, count: 5))

    let impossible = try ParameterSpace(
      dimensions: [
        Dimension(name: "minReplicas", domain: .integers([5, 6])),
        Dimension(name: "maxReplicas", domain: .integers([2, 3])),
      ],
      constraints: [Constraint(parsing: "minReplicas <= maxReplicas")])
    let strategies: [Strategy] = [
      .grid, .random(seed: 1), .latinHypercube(seed: 1), .refine(seed: 1),
      .successiveHalving(seed: 1),
    ]
    for strategy in strategies {
      await #expect(throws: TuningError.self) {
        try await engine(strategy, budget: 10, space: impossible).run()
      }
      do {
        _ = try await engine(strategy, budget: 10, space: impossible).run()
      } catch {
        guard case .noValidCandidate(let reason) = error else {
          Issue.record("expected noValidCandidate, got \(error)")
          continue
        }
        #expect(reason.contains("minReplicas"))
      }
    }
    #expect(throws: TuningError.emptyDimension(name: "x")) {
      try ParameterSpace(dimensions: [Dimension(name: "x", domain: .integers([]))])
    }
    #expect(throws: TuningError.duplicateDimension(name: "x")) {
      try ParameterSpace(dimensions: [
        Dimension(name: "x", domain: .integers([1])), Dimension(name: "x", domain: .reals([1])),
      ])
    }
    #expect(throws: TuningError.self) {
      try ParameterSpace(
        dimensions: [Dimension(name: "x", domain: .integers([1]))],
        constraints: [Constraint("x", .less, "y")])
    }
  }

  @Test("an evaluator failure reports the lowest failing candidate whatever the split")
  func lowestFailureWins() async throws {
    let space = try integerSpace([8, 8])
    let evaluator = SyntheticEvaluator(failing: [[5, 1], [2, 3], [7, 7]])
    for parallelism in [Parallelism.serial, Parallelism(chunkSize: 2, maximumConcurrentTasks: 8)] {
      await #expect(throws: TuningError.evaluationFailed(candidate: 19, reason: "synthetic")) {
        try await SearchEngine(
          space: space, evaluator: evaluator,
          configuration: SearchConfiguration(strategy: .grid, budget: 64), parallelism: parallelism
        ).run()
      }
    }
  }

  @Test("without a feasible candidate the least under-provisioned one is chosen")
  func infeasibleBound() async throws {
    let space = try integerSpace([5, 4, 4])
    let result = try await SearchEngine(
      space: space, evaluator: SyntheticEvaluator(),
      configuration: SearchConfiguration(
        strategy: .grid, budget: 80, selection: Selection(maxUnderProvisionedTimeShare: 0.00001))
    ).run()
    let chosen = try #require(result.chosen)
    #expect(!result.constraintMet)
    let least = result.evaluations.map(\.objectives.underProvisionedTimeShare).min()
    #expect(chosen.objectives.underProvisionedTimeShare == least)
  }

  @Test("worst-case and mean aggregation over scenarios")
  func aggregation() async throws {
    let space = try integerSpace([3, 2, 2])
    let scenarios: [(cost: Double, risk: Double)] = [(1, 1), (1.5, 0.5), (0.5, 2)]
    for aggregation in ScenarioAggregation.allCases {
      let result = try await SearchEngine(
        space: space, evaluator: SyntheticEvaluator(scenarios: scenarios),
        configuration: SearchConfiguration(strategy: .grid, budget: 12, aggregation: aggregation)
      ).run()
      for evaluation in result.evaluations {
        let each = scenarios.map {
          SyntheticEvaluator.score(evaluation.levels, factors: $0, segment: .tuning)
        }
        let costs = each.map(\.replicaSeconds)
        let risks = each.map(\.underProvisionedTimeShare)
        switch aggregation {
        case .worstCase:
          #expect(evaluation.objectives.replicaSeconds == costs.max())
          #expect(evaluation.objectives.underProvisionedTimeShare == risks.max())
        case .mean:
          #expect(abs(evaluation.objectives.replicaSeconds - costs.reduce(0, +) / 3) < 1e-9)
          #expect(
            abs(evaluation.objectives.underProvisionedTimeShare - risks.reduce(0, +) / 3) < 1e-12)
        }
      }
    }
  }
}

@Suite("Pareto front and sampling")
struct FrontAndSamplingTests {
  @Test("the front is exactly the non-dominated set, in cost order", arguments: 0..<40)
  func frontMatchesDefinition(seed: UInt64) {
    var generator = SplitMix64(seed: seed)
    let evaluations = (0..<60).map { ordinal in
      // Small integer grids make ties and duplicates frequent.
      Evaluation(
        ordinal: ordinal, levels: [ordinal],
        objectives: Objectives(
          replicaSeconds: Double(generator.next() % 6),
          underProvisionedTimeShare: Double(generator.next() % 5) / 100,
          unservedDemand: Double(generator.next() % 4),
          scalingActions: Double(generator.next() % 3)))
    }
    let front = ParetoFront.of(evaluations.shuffled(using: &generator))
    let expected = evaluations.filter { e in
      !evaluations.contains { dominatesByHand($0.objectives, e.objectives) }
    }
    #expect(Set(front.map(\.ordinal)) == Set(expected.map(\.ordinal)))
    #expect(front.count == expected.count)
    for (a, b) in zip(front, front.dropFirst()) {
      #expect(
        a.objectives.replicaSeconds < b.objectives.replicaSeconds
          || (a.objectives.replicaSeconds == b.objectives.replicaSeconds))
    }
    #expect(ParetoFront.of(evaluations) == front)
  }

  @Test("a Latin hypercube with as many levels as samples covers every level once")
  func latinHypercubeStrata() async throws {
    let space = try integerSpace([200, 200, 200])
    let result = try await SearchEngine(
      space: space, evaluator: SyntheticEvaluator(),
      configuration: SearchConfiguration(strategy: .latinHypercube(seed: 9), budget: 200)
    ).run()
    #expect(result.evaluations.count == 200)
    for dimension in 0..<3 {
      #expect(Set(result.evaluations.map { $0.levels[dimension] }) == Set(0..<200))
    }
  }

  @Test("random sampling gives distinct valid candidates and depends on the seed")
  func randomSampling() async throws {
    let space = try integerSpace([30, 30, 30], constraints: [Constraint("d0", .less, "d1")])
    func run(_ seed: UInt64) async throws -> SearchResult {
      try await SearchEngine(
        space: space, evaluator: SyntheticEvaluator(),
        configuration: SearchConfiguration(strategy: .random(seed: seed), budget: 300)
      ).run()
    }
    let a = try await run(1)
    let b = try await run(2)
    #expect(a.evaluations.count == 300)
    #expect(Set(a.evaluations.map(\.levels)).count == 300)
    #expect(a.evaluations.allSatisfy { $0.levels[0] < $0.levels[1] })
    #expect(a.evaluations.map(\.levels) != b.evaluations.map(\.levels))
    #expect(try await run(1) == a)
  }

  @Test("a small space is shuffled whole when the budget covers it")
  func smallSpaceSampling() async throws {
    let space = try integerSpace([3, 3])
    let result = try await SearchEngine(
      space: space, evaluator: SyntheticEvaluator(),
      configuration: SearchConfiguration(strategy: .random(seed: 5), budget: 50)
    ).run()
    #expect(Set(result.evaluations.map(\.levels)) == Set(bruteForceLevels([3, 3])))
  }
}

/// Collects progress reports from concurrent tasks.
private final class ProgressLog: @unchecked Sendable {
  private var reports: [SearchProgress] = []
  private let lock = NSLock()

  func append(_ report: SearchProgress) {
    lock.lock()
    reports.append(report)
    lock.unlock()
  }

  var all: [SearchProgress] {
    lock.lock()
    defer { lock.unlock() }
    return reports
  }
}

@Suite("Progress")
struct ProgressTests {
  @Test("progress counts up to the plan, then through the hold-out front")
  func progressReports() async throws {
    let space = try integerSpace([6, 5, 4])
    let log = ProgressLog()
    let result = try await SearchEngine(
      space: space, evaluator: SyntheticEvaluator(hasHoldOut: true),
      configuration: SearchConfiguration(strategy: .grid, budget: 120),
      parallelism: Parallelism(chunkSize: 7, maximumConcurrentTasks: 4)
    ).run { log.append($0) }
    let search = log.all.filter { $0.phase == "search" }
    let holdOut = log.all.filter { $0.phase == "hold-out" }
    #expect(search.map(\.completed) == search.map(\.completed).sorted())
    #expect(search.last?.completed == 120)
    #expect(search.allSatisfy { $0.total == 120 })
    #expect(holdOut.last?.completed == result.front.count)
  }
}

/// Records the prefix fractions asked for, and scores prefixes with a distortion.
private struct PrefixEvaluator: CandidateEvaluator {
  /// Fail every prefix evaluation (to prove the engine asks for prefixes).
  var failOnPrefix = false
  var scenarioIdentities: [String] { ["prefix"] }
  var hasHoldOut: Bool { false }

  func objectives(
    for levels: [Int], scenario: Int, segment: Segment
  ) throws(TuningError) -> Objectives {
    SyntheticEvaluator.score(levels, factors: (1, 1), segment: segment)
  }

  func objectives(
    for levels: [Int], scenario: Int, tuningPrefix fraction: Double
  ) throws(TuningError) -> Objectives {
    if failOnPrefix { throw .evaluationFailed(candidate: -1, reason: "prefix \(fraction)") }
    // A prefix sees a lighter load: less risk, same ordering of costs.
    return SyntheticEvaluator.score(levels, factors: (fraction, fraction), segment: .tuning)
  }
}

@Suite("Successive halving")
struct SuccessiveHalvingTests {
  @Test("halving keeps a third per rung and ends on full-trace scores")
  func rungs() async throws {
    let space = try integerSpace([12, 8, 8])
    let selection = Selection(maxUnderProvisionedTimeShare: 0.006)
    let grid = try await SearchEngine(
      space: space, evaluator: SyntheticEvaluator(),
      configuration: SearchConfiguration(strategy: .grid, budget: 768, selection: selection)
    ).run()
    let halving = try await SearchEngine(
      space: space, evaluator: SyntheticEvaluator(),
      configuration: SearchConfiguration(
        strategy: .successiveHalving(seed: 3), budget: 768, selection: selection)
    ).run()
    // 768 → 256 → 86 survivors reach the last rung.
    #expect(halving.evaluations.count == 86)
    #expect(halving.plannedCandidates == 768)
    for evaluation in halving.evaluations {
      #expect(
        evaluation.objectives
          == SyntheticEvaluator.score(evaluation.levels, factors: (1, 1), segment: .tuning))
    }
    // With faithful prefixes the best candidate always survives.
    #expect(halving.chosen?.objectives == grid.chosen?.objectives)
  }

  @Test("rungs use growing prefixes; results do not depend on parallelism")
  func prefixesAndDeterminism() async throws {
    let space = try integerSpace([9, 7, 6])
    let configuration = SearchConfiguration(
      strategy: .successiveHalving(seed: 5, reduction: 2, rungs: 4), budget: 200,
      selection: Selection(maxUnderProvisionedTimeShare: 0.01))
    let serial = try await SearchEngine(
      space: space, evaluator: PrefixEvaluator(), configuration: configuration,
      parallelism: .serial
    ).run()
    let parallel = try await SearchEngine(
      space: space, evaluator: PrefixEvaluator(), configuration: configuration,
      parallelism: Parallelism(chunkSize: 3, maximumConcurrentTasks: 8)
    ).run()
    #expect(serial == parallel)
    // 200 → 100 → 50 → 25.
    #expect(serial.evaluations.count == 25)
    // The first rung asks for the shortest prefix, 1/2³, for candidate 0 first.
    await #expect(throws: TuningError.evaluationFailed(candidate: 0, reason: "prefix 0.125")) {
      try await SearchEngine(
        space: space, evaluator: PrefixEvaluator(failOnPrefix: true), configuration: configuration,
        parallelism: .serial
      ).run()
    }
    await #expect(throws: TuningError.strategyNotShardable(strategy: "halving")) {
      try await SearchEngine(
        space: space, evaluator: PrefixEvaluator(), configuration: configuration
      ).run(shard: Shard(index: 1, count: 2))
    }
    await #expect(throws: TuningError.self) {
      try await SearchEngine(
        space: space, evaluator: PrefixEvaluator(),
        configuration: SearchConfiguration(
          strategy: .successiveHalving(seed: 5, reduction: 1, rungs: 3), budget: 20)
      ).run()
    }
  }
}

/// A bowl with its bottom at ``bowl`` and, far from it, one much cheaper candidate whose
/// neighbours are all dearer than the bowl's slopes: a pattern search that starts in the bowl
/// never steps onto it.
struct NeedleEvaluator: CandidateEvaluator {
  static let bowl = [3, 3]
  static let needle = [17, 16]
  var scenarioIdentities: [String] { ["needle"] }
  var hasHoldOut: Bool { false }

  func objectives(
    for levels: [Int], scenario: Int, segment: Segment
  ) throws(TuningError) -> Objectives {
    let cost: Double
    if levels == Self.needle {
      cost = 10
    } else if abs(levels[0] - Self.needle[0]) <= 2 && abs(levels[1] - Self.needle[1]) <= 2 {
      cost = 10_000
    } else {
      let a = Double(levels[0] - Self.bowl[0])
      let b = Double(levels[1] - Self.bowl[1])
      cost = 100 + a * a + b * b
    }
    return Objectives(
      replicaSeconds: cost, underProvisionedTimeShare: 0, unservedDemand: 0, scalingActions: 1)
  }
}

/// Spaces whose constraints leave few valid candidates: `dimensions` integer dimensions of
/// `levels` levels each, non-decreasing (d0 ≤ d1 ≤ …), so C(dimensions + levels − 1,
/// dimensions) of levels^dimensions combinations are valid (6 of 10: 5,005 of 1 M, 0.5 %;
/// 9 of 8: 11,440 of 134 M, 0.009 %).
private func chainSpace(dimensions: Int, levels: Int) throws -> ParameterSpace {
  let constraints = (0..<(dimensions - 1)).map {
    Constraint("d\($0)", .lessOrEqual, "d\($0 + 1)")
  }
  return try integerSpace(
    Array(repeating: levels, count: dimensions), constraints: constraints)
}

@Suite("Sparse spaces")
struct SparseSpaceTests {
  private func search(
    _ space: ParameterSpace, _ strategy: Strategy, budget: Int
  ) async throws -> SearchResult {
    try await SearchEngine(
      space: space, evaluator: SyntheticEvaluator(),
      configuration: SearchConfiguration(
        strategy: strategy, budget: budget,
        selection: Selection(maxUnderProvisionedTimeShare: 0.006))
    ).run()
  }

  /// 200 samples: the hypercube's 200 and ~13,800 random draws find about 70 valid ones (0.5 %).
  @Test("sampling an enumerable space completes from its valid candidates", arguments: 1...3)
  func enumerableSparseSpace(seed: UInt64) async throws {
    let space = try chainSpace(dimensions: 6, levels: 10)
    for strategy in [Strategy.latinHypercube(seed: seed), .random(seed: seed)] {
      let plan = try await search(space, strategy, budget: 200)
      #expect(plan.evaluations.count == 200)
      #expect(Set(plan.evaluations.map(\.levels)).count == 200)
      #expect(plan.evaluations.allSatisfy { space.isValid($0.levels) })
    }
  }

  @Test("refine never fails after its first start, even when a restart draws nothing")
  func restartDrawingNothing() async throws {
    let space = try chainSpace(dimensions: 9, levels: 8)
    var searched = 0
    for seed in UInt64(1)...12 {
      // The first start is the Latin hypercube of 90 samples (10 per dimension) with the
      // same seed: when that plan exists, the refine search must succeed.
      do {
        _ = try await search(space, .latinHypercube(seed: seed), budget: 90)
      } catch let error as TuningError {
        guard case .noValidCandidate(let reason) = error else { throw error }
        #expect(reason.contains("no random draw"), "\(reason)")
        continue
      }
      let refined = try await search(space, .refine(seed: seed), budget: 3_000)
      #expect(!refined.evaluations.isEmpty)
      #expect(refined.evaluations.allSatisfy { space.isValid($0.levels) })
      #expect(Set(refined.evaluations.map(\.levels)).count == refined.evaluations.count)
      searched += 1
    }
    #expect(searched > 0)
  }
}

@Suite("Refine on random small spaces")
struct RefineRandomSpaceTests {
  /// 40 random spaces of 1–4 integer dimensions (1–6 levels) with random `<=`/`<` constraints
  /// between them, random budgets and seeds. In a space this small, refine evaluates
  /// min(budget, valid candidates) distinct valid candidates (restarts, then the rest in grid
  /// order), and with the whole space's budget chooses what the grid chooses.
  @Test(
    "evaluates min(budget, valid) distinct valid candidates; with enough budget, the grid's choice")
  func randomSpaces() async throws {
    var rng = SplitMix64(seed: 2026_11_30)
    for _ in 0..<40 {
      let counts = (0..<Int.random(in: 1...4, using: &rng)).map { _ in
        Int.random(in: 1...6, using: &rng)
      }
      var constraints: [Constraint] = []
      if counts.count > 1 {
        for _ in 0..<Int.random(in: 0...2, using: &rng) {
          let lhs = Int.random(in: 0..<counts.count, using: &rng)
          let rhs = (lhs + Int.random(in: 1..<counts.count, using: &rng)) % counts.count
          constraints.append(
            Constraint("d\(lhs)", Bool.random(using: &rng) ? .lessOrEqual : .less, "d\(rhs)"))
        }
      }
      let space = try integerSpace(counts, constraints: constraints)
      // Valid candidates counted here, by brute force on the level values (level i is i).
      let valid = bruteForceLevels(counts).filter { levels in
        constraints.allSatisfy { constraint in
          let a = levels[Int(constraint.lhs.dropFirst())!]
          let b = levels[Int(constraint.rhs.dropFirst())!]
          return constraint.relation == .less ? a < b : a <= b
        }
      }
      guard !valid.isEmpty else { continue }
      let budget = Int.random(in: 1...(valid.count + 20), using: &rng)
      let selection = Selection(maxUnderProvisionedTimeShare: 0.006)
      let result = try await SearchEngine(
        space: space, evaluator: SyntheticEvaluator(),
        configuration: SearchConfiguration(
          strategy: .refine(seed: UInt64.random(in: 0...99, using: &rng)), budget: budget,
          selection: selection)
      ).run()
      let levels = result.evaluations.map(\.levels)
      #expect(levels.count == min(budget, valid.count), "\(counts) \(constraints) \(budget)")
      #expect(Set(levels).count == levels.count)
      #expect(Set(levels).isSubset(of: Set(valid)))
      if budget >= valid.count {
        let grid = try await SearchEngine(
          space: space, evaluator: SyntheticEvaluator(),
          configuration: SearchConfiguration(
            strategy: .grid, budget: valid.count, selection: selection)
        ).run()
        #expect(
          result.chosen?.objectives.replicaSeconds == grid.chosen?.objectives.replicaSeconds)
      }
    }
  }
}

@Suite("Contradictory constraints")
struct ContradictoryConstraintTests {
  @Test(
    "a cycle with a strict '<' is named in the error, in small and unenumerable spaces",
    arguments: [5, 40])
  func strictCycle(levels: Int) async throws {
    // 3 dimensions of `levels` levels plus 3 of 40: 8 M (enumerable) or 4.1 G combinations.
    let constraints = [
      Constraint("d0", .lessOrEqual, "d1"), Constraint("d1", .lessOrEqual, "d2"),
      Constraint("d2", .less, "d0"),
    ]
    let space = try integerSpace(
      [levels, levels, levels, 40, 40, 40], constraints: constraints)
    for strategy in [Strategy.latinHypercube(seed: 1), .random(seed: 2), .refine(seed: 3)] {
      do {
        _ = try await SearchEngine(
          space: space, evaluator: SyntheticEvaluator(),
          configuration: SearchConfiguration(strategy: strategy, budget: 20)
        ).run()
        Issue.record("\(strategy) found a candidate in a contradictory space")
      } catch {
        guard case .noValidCandidate(let reason) = error else {
          Issue.record("expected noValidCandidate, got \(error)")
          continue
        }
        #expect(reason.contains("contradict"), "\(reason)")
        for constraint in constraints { #expect(reason.contains(constraint.description)) }
      }
    }
  }

  @Test("a cycle of '<=' only is satisfiable: it asks for equal values")
  func nonStrictCycle() async throws {
    let space = try integerSpace(
      [5, 5],
      constraints: [Constraint("d0", .lessOrEqual, "d1"), Constraint("d1", .lessOrEqual, "d0")])
    let result = try await SearchEngine(
      space: space, evaluator: SyntheticEvaluator(),
      configuration: SearchConfiguration(strategy: .grid, budget: 25)
    ).run()
    #expect(result.evaluations.map(\.levels) == (0..<5).map { [$0, $0] })
  }
}

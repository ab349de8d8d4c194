import AutoscalingTuning
import Testing
import _AutoscalingTestSupport

/// What a search saw around the chosen candidate: cheaper single-parameter alternatives, the
/// bounds they break, and the one-level coverage.
@Suite("Neighbourhood of the chosen candidate")
struct NeighbourhoodTests {
  /// The grid of ``SyntheticEvaluator`` over 4 × 3 × 3 levels with a 0.6 % bound, worked by
  /// hand. Cost = 1000 − 60 t + 25 w + 8 s and τU = 0.001 (t² + 4) / (1 + s) + 0.0001 w for
  /// levels t, s, w. τU ≤ 0.006 needs t ≤ 1 at s = 0, t ≤ 2 at s = 1, t ≤ 3 at s = 2; the
  /// cheapest of those is (3, 2, 0): 1000 − 180 + 16 = 836. Changing one level of it:
  /// t = 2 costs 896 and w = 1 costs 861 (dearer); s = 1 costs 828 (cheaper) with
  /// τU = 0.001 × 13 / 2 = 0.0065 > 0.006; s = 0 costs 820 but is farther than s = 1.
  @Test("on a full grid: the one cheaper neighbour, the bound it breaks, a local optimum")
  func fullGrid() async throws {
    let space = try ParameterSpace(dimensions: [
      Dimension(name: "metrics.cpu.averageUtilization", domain: .integers([60, 70, 80, 90])),
      Dimension(name: "scaleUp.policy.value", domain: .integers([100, 200, 400])),
      Dimension(name: "scaleDown.stabilizationWindowSeconds", domain: .integers([0, 60, 120])),
    ])
    let result = try await SearchEngine(
      space: space, evaluator: SyntheticEvaluator(),
      configuration: SearchConfiguration(
        strategy: .grid, budget: 36, selection: Selection(maxUnderProvisionedTimeShare: 0.006))
    ).run()
    let chosen = try #require(result.chosen)
    #expect(chosen.levels == [3, 2, 0])
    #expect(chosen.objectives.replicaSeconds == 836)

    let neighbourhood = result.neighbourhood(of: chosen)
    // One step from (3, 2, 0) inside the grid: t = 2, s = 1, w = 1.
    #expect(neighbourhood.oneLevelNeighbours == 3)
    #expect(neighbourhood.oneLevelEvaluated == 3)
    #expect(neighbourhood.isLocalOptimum)
    #expect(neighbourhood.cheaper.count == 1)
    let alternative = try #require(neighbourhood.cheaper.first)
    #expect(alternative.dimension == 1)
    #expect(alternative.name == "scaleUp.policy.value")
    #expect(alternative.from == .integer(400))
    #expect(alternative.to == .integer(200))
    #expect(alternative.evaluation.levels == [3, 1, 0])
    #expect(alternative.evaluation.objectives.replicaSeconds == 828)
    guard case .wholePart(let share, let bound) = try #require(alternative.violations.first) else {
      Issue.record("expected a whole-part violation, got \(alternative.violations)")
      return
    }
    #expect(abs(share - 0.0065) < 1e-12)
    #expect(bound == 0.006)
    #expect(alternative.violations.count == 1)

    // The same, as the tuning result's text: 828 / 836 − 1 = −0.96 %.
    let tuning = TuningResult(
      search: result, current: SegmentScores(tuning: chosen.objectives, holdOut: nil),
      currentBehavior: nil)
    let text = tuning.alternativesTable()
    #expect(text.hasPrefix("3 of 3 one-level neighbours of the chosen configuration evaluated; "
      + "every candidate of the space was evaluated: none cheaper meets the bound.\n"))

    // Without one far candidate (levels (0, 0, 2)), and not a grid, the same neighbourhood is
    // only a local optimum: the search did not see the whole space.
    var partial = result
    partial.configuration.strategy = .latinHypercube(seed: 0)
    partial.evaluations.removeAll { $0.levels == [0, 0, 2] }
    #expect(partial.evaluations.count == 35)
    let partialText = TuningResult(
      search: partial, current: SegmentScores(tuning: chosen.objectives, holdOut: nil),
      currentBehavior: nil
    ).alternativesTable()
    #expect(partialText.hasPrefix(
      "3 of 3 one-level neighbours of the chosen configuration evaluated; "
        + "none cheaper meets the bound: a local optimum at the space's levels; a search from "
        + "other samples may still find a cheaper one elsewhere.\n"))
    let row = try #require(text.split(separator: "\n").last.map(String.init))
    let cells = row.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    #expect(
      cells.prefix(7) == ["scaleUp.policy.value", "400", "→", "200", "0.2", "-1.0", "0.650"])
    #expect(row.hasSuffix("whole part: 0.650 % > 0.600 %"))
  }

  /// Hand-made evaluations around the reference (2, A): which alternatives are listed, in
  /// which order, with which violations, and what counts as covered.
  @Test("nearest cheaper on each side, every cheaper category, window violations, coverage")
  func handMadeEvaluations() throws {
    let space = try ParameterSpace(dimensions: [
      Dimension(name: "level", domain: .integers([0, 1, 2, 3, 4])),
      Dimension(name: "kind", domain: .categories(["A", "B", "C"])),
    ])
    let selection = Selection(maxUnderProvisionedTimeShare: 0.01, windowBounds: [0.01, 0.01])
    func evaluation(_ ordinal: Int, _ levels: [Int], cost: Double, windows: [Double])
      -> Evaluation
    {
      Evaluation(
        ordinal: ordinal, levels: levels,
        objectives: Objectives(
          replicaSeconds: cost, underProvisionedTimeShare: windows.reduce(0, +) / 2,
          unservedDemand: 0, scalingActions: 0, windowUnderProvisionedTimeShares: windows))
    }
    let reference = evaluation(0, [2, 0], cost: 100, windows: [0.01, 0.01])
    let evaluations = [
      reference,
      evaluation(1, [0, 0], cost: 80, windows: [0, 0.02]),  // cheaper, but not the nearest below
      evaluation(2, [1, 0], cost: 90, windows: [0.03, 0]),  // nearest cheaper below
      evaluation(3, [3, 0], cost: 120, windows: [0, 0]),  // above, dearer
      evaluation(4, [4, 0], cost: 95, windows: [0, 0]),  // nearest cheaper above, acceptable
      evaluation(5, [2, 1], cost: 99, windows: [0.005, 0.012]),  // category B, cheaper
      evaluation(6, [1, 1], cost: 50, windows: [0, 0]),  // two parameters differ
    ]
    let result = SearchResult(
      fingerprint: "test", shard: .whole, space: space,
      configuration: SearchConfiguration(strategy: .grid, budget: 15, selection: selection),
      scenarioIdentities: ["hand"], plannedCandidates: 15, evaluations: evaluations)
    let neighbourhood = result.neighbourhood(of: reference)
    #expect(neighbourhood.cheaper.map(\.evaluation.ordinal) == [2, 4, 5])
    #expect(neighbourhood.cheaper.map(\.to) == [.integer(1), .integer(4), .category("B")])
    #expect(
      neighbourhood.cheaper[0].violations == [
        .wholePart(share: 0.015, bound: 0.01), .window(index: 0, share: 0.03, bound: 0.01),
      ])
    #expect(neighbourhood.cheaper[1].violations.isEmpty)
    #expect(neighbourhood.cheaper[2].violations == [.window(index: 1, share: 0.012, bound: 0.01)])
    #expect(
      neighbourhood.cheaper[2].violations.map(\.description) == ["window 2: 1.200 % > 1.000 %"])
    // One level from (2, A): levels 1 and 3, categories B and C; C was never evaluated.
    #expect(neighbourhood.oneLevelNeighbours == 4)
    #expect(neighbourhood.oneLevelEvaluated == 3)
    #expect(!neighbourhood.isLocalOptimum)
  }

  /// Random spaces (integer and categorical dimensions, one constraint) and random subsets of
  /// their candidates with random scores, checked against a brute-force reading of the
  /// definitions over every evaluation.
  @Test("random evaluations: every alternative is the nearest cheaper single-parameter change")
  func randomEvaluationsAgreeWithBruteForce() throws {
    var random = SplitMix64(seed: 2026)
    for _ in 0..<300 {
      let dimensionCount = Int.random(in: 1...3, using: &random)
      var dimensions: [Dimension] = []
      for index in 0..<dimensionCount {
        let count = Int.random(in: 1...5, using: &random)
        dimensions.append(
          Bool.random(using: &random)
            ? Dimension(name: "n\(index)", domain: .integers(Array(0..<count)))
            : Dimension(name: "c\(index)", domain: .categories((0..<count).map { "k\($0)" })))
      }
      let numeric = dimensions.indices.filter {
        if case .integers = dimensions[$0].domain { return true } else { return false }
      }
      var constraints: [Constraint] = []
      if numeric.count >= 2, Bool.random(using: &random) {
        constraints.append(
          Constraint(dimensions[numeric[0]].name, .lessOrEqual, dimensions[numeric[1]].name))
      }
      let space = try ParameterSpace(dimensions: dimensions, constraints: constraints)
      let counts = space.levelCounts
      let all = bruteForceLevels(counts)
      let bound = 0.5
      let selection = Selection(maxUnderProvisionedTimeShare: bound, windowBounds: [0.5, 0.5])
      var evaluations: [Evaluation] = []
      for levels in all
      where space.isValid(levels) && Double.random(in: 0..<1, using: &random) < 0.7 {
        let windows = [
          Double.random(in: 0..<1, using: &random), Double.random(in: 0..<1, using: &random),
        ]
        evaluations.append(
          Evaluation(
            ordinal: evaluations.count, levels: levels,
            objectives: Objectives(
              replicaSeconds: Double(Int.random(in: 0..<20, using: &random)),
              underProvisionedTimeShare: Double.random(in: 0..<1, using: &random),
              unservedDemand: 0, scalingActions: 0, windowUnderProvisionedTimeShares: windows)))
      }
      guard let reference = evaluations.randomElement(using: &random) else { continue }
      let result = SearchResult(
        fingerprint: "random", shard: .whole, space: space,
        configuration: SearchConfiguration(
          strategy: .grid, budget: all.count, selection: selection),
        scenarioIdentities: ["random"], plannedCandidates: all.count, evaluations: evaluations)
      let neighbourhood = result.neighbourhood(of: reference)

      // Brute force: cheaper evaluations that differ from the reference in one dimension.
      func differing(_ levels: [Int]) -> [Int] {
        levels.indices.filter { levels[$0] != reference.levels[$0] }
      }
      let cheaper = evaluations.filter {
        $0.objectives.replicaSeconds < reference.objectives.replicaSeconds
          && differing($0.levels).count == 1
      }
      var expected: [Int] = []  // ordinals, in dimension order, lower side first
      for dimension in counts.indices {
        let here = reference.levels[dimension]
        let same = cheaper.filter { differing($0.levels) == [dimension] }
        if numeric.contains(dimension) {
          let below = same.filter { $0.levels[dimension] < here }
            .max { $0.levels[dimension] < $1.levels[dimension] }
          let above = same.filter { $0.levels[dimension] > here }
            .min { $0.levels[dimension] < $1.levels[dimension] }
          expected += [below, above].compactMap { $0?.ordinal }
        } else {
          expected += same.sorted { $0.levels[dimension] < $1.levels[dimension] }.map(\.ordinal)
        }
      }
      #expect(neighbourhood.cheaper.map(\.evaluation.ordinal) == expected)
      for alternative in neighbourhood.cheaper {
        #expect(differing(alternative.evaluation.levels) == [alternative.dimension])
        let objectives = alternative.evaluation.objectives
        #expect(alternative.violations == selection.violations(of: objectives))
        let domain = space.dimensions[alternative.dimension].domain
        #expect(alternative.from == domain[reference.levels[alternative.dimension]])
        #expect(alternative.to == domain[alternative.evaluation.levels[alternative.dimension]])
      }

      // One-level neighbours: valid candidates one step (numeric) or one other category away.
      let oneLevel = all.filter { levels in
        guard space.isValid(levels), differing(levels).count == 1, let d = differing(levels).first
        else { return false }
        return !numeric.contains(d) || abs(levels[d] - reference.levels[d]) == 1
      }
      let evaluatedLevels = Set(evaluations.map(\.levels))
      #expect(neighbourhood.oneLevelNeighbours == oneLevel.count)
      #expect(
        neighbourhood.oneLevelEvaluated == oneLevel.filter { evaluatedLevels.contains($0) }.count)
      let acceptableCheaperStep = cheaper.contains { candidate in
        oneLevel.contains(candidate.levels) && selection.isMet(by: candidate.objectives)
      }
      #expect(
        neighbourhood.isLocalOptimum
          == (neighbourhood.oneLevelEvaluated == oneLevel.count && !acceptableCheaperStep))
    }
  }

  @Test("violations agree with isMet, including a different number of windows")
  func violationsAgreeWithIsMet() {
    let selection = Selection(maxUnderProvisionedTimeShare: 0.02, windowBounds: [0.01, 0.03])
    let cases: [(whole: Double, windows: [Double]?, expected: [BoundViolation])] = [
      (0.02, [0.01, 0.03], []),
      (0.021, [0.01, 0.03], [.wholePart(share: 0.021, bound: 0.02)]),
      (0.01, [0.011, 0.031], [
        .window(index: 0, share: 0.011, bound: 0.01), .window(index: 1, share: 0.031, bound: 0.03),
      ]),
      (0.01, [0, 0, 0], [.windowCount(expected: 2, found: 3)]),
      (0.01, nil, []),
    ]
    for (whole, windows, expected) in cases {
      let objectives = Objectives(
        replicaSeconds: 1, underProvisionedTimeShare: whole, unservedDemand: 0,
        scalingActions: 0, windowUnderProvisionedTimeShares: windows)
      #expect(selection.violations(of: objectives) == expected)
      #expect(selection.isMet(by: objectives) == expected.isEmpty)
    }
  }
}

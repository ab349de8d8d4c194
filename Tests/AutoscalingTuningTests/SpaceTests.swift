import AutoscalingTuning
import Foundation
import Testing

@Suite("Parameter space")
struct SpaceTests {
  @Test("the default HPA space passes the API server's validation")
  func defaultSpaceIsValid() throws {
    let space = try ParameterSpace.hpaBehaviorDefault(minReplicas: 6, maxReplicas: 20)
    try space.validateAsHPASpace()
    // Every parameter but the per-metric targets, which depend on the HPA's metrics (a space
    // file names them; the default scales every target with metrics.targetPercent).
    let perMetric: Set<HPAParameter> = [.cpuUtilization, .memoryUtilization, .podsTargetPercent]
    #expect(
      Set(space.dimensions.map(\.name))
        == Set(HPAParameter.allCases.filter { !perMetric.contains($0) }.map(\.rawValue)))
    let minimum = try #require(space.index(of: "minReplicas"))
    #expect(space.dimensions[minimum].domain == .integers([1, 3, 6]))
    // Spec §2.4 ranges, checked directly on the levels.
    for dimension in space.dimensions {
      guard case .integers(let values) = dimension.domain else { continue }
      if dimension.name.hasSuffix("stabilizationWindowSeconds") {
        #expect(values.allSatisfy { (0...3600).contains($0) })
      }
      if dimension.name.hasSuffix("periodSeconds") {
        #expect(values.allSatisfy { (1...1800).contains($0) })
      }
    }
  }

  @Test(
    "levels the API server rejects are refused, naming the field",
    arguments: [
      ("scaleUp.stabilizationWindowSeconds", [0.0, 3601]),
      ("scaleDown.stabilizationWindowSeconds", [-1.0]),
      ("scaleUp.policy.periodSeconds", [0.0]),
      ("scaleDown.policy.periodSeconds", [1801.0]),
      ("scaleUp.policy.value", [0.0]),
      ("scaleUp.secondPolicy.value", [0.0]),
      ("scaleDown.secondPolicy.periodSeconds", [1801.0]),
      ("scaleDown.tolerance", [-0.1]),
      ("minReplicas", [0.0]),
      ("metrics.targetPercent", [0.0]),
    ])
  func invalidLevels(name: String, values: [Double]) throws {
    let description = SpaceDescription(
      base: .empty, dimensions: [DimensionDescription(name: name, values: values)])
    let space = try description.resolve(
      over: ParameterSpace.hpaBehaviorDefault(minReplicas: 1, maxReplicas: 5))
    #expect {
      try space.validateAsHPASpace()
    } throws: { error in
      guard case .invalidParameterValue(let field, _, _) = error as? TuningError else {
        return false
      }
      return field == name
    }
  }

  @Test("categorical levels outside the API enumerations are refused")
  func invalidCategories() throws {
    for (name, bad) in [
      ("scaleUp.selectPolicy", "Maximum"), ("scaleDown.policy.type", "Replicas"),
      ("scaleDown.policy.type", "None"), ("scaleUp.secondPolicy.type", "Replicas"),
    ] {
      let space = try SpaceDescription(
        base: .empty, dimensions: [DimensionDescription(name: name, categories: [bad])]
      ).resolve(over: ParameterSpace(dimensions: []))
      #expect(throws: TuningError.self) { try space.validateAsHPASpace() }
    }
    let unknown = try ParameterSpace(dimensions: [
      Dimension(name: "replicas", domain: .integers([1]))
    ])
    #expect(throws: TuningError.unknownParameter(name: "replicas")) {
      try unknown.validateAsHPASpace()
    }
  }

  @Test("a JSON space description replaces, adds, expands and excludes dimensions")
  func descriptionFromJSON() throws {
    let json = """
      { "dimensions": [
          { "name": "scaleDown.stabilizationWindowSeconds", "values": [0, 60, 300] },
          { "name": "scaleDown.policy.type", "categories": ["Percent"] },
          { "name": "scaleUp.tolerance", "min": 0, "max": 0.2, "steps": 5 },
          { "name": "scaleUp.policy.periodSeconds", "min": 15, "max": 60, "step": 15 },
          { "name": "minReplicas", "min": 1, "max": 4 } ],
        "exclude": ["scaleDown.tolerance", "maxReplicas"],
        "constraints": [] }
      """
    let description = try JSONDecoder().decode(SpaceDescription.self, from: Data(json.utf8))
    let base = try ParameterSpace.hpaBehaviorDefault(minReplicas: 2, maxReplicas: 10)
    let space = try description.resolve(over: base)
    try space.validateAsHPASpace()
    func domain(_ name: String) -> Domain? {
      space.index(of: name).map { space.dimensions[$0].domain }
    }
    #expect(domain("scaleDown.stabilizationWindowSeconds") == .integers([0, 60, 300]))
    #expect(domain("scaleDown.policy.type") == .categories(["Percent"]))
    #expect(domain("scaleUp.tolerance") == .reals([0, 0.05, 0.1, 0.15, 0.2]))
    #expect(domain("scaleUp.policy.periodSeconds") == .integers([15, 30, 45, 60]))
    #expect(domain("minReplicas") == .integers([1, 2, 3, 4]))
    #expect(domain("scaleDown.tolerance") == nil)
    #expect(domain("maxReplicas") == nil)
    // The base's min ≤ max constraint goes away with maxReplicas.
    #expect(space.constraints.isEmpty)
    // Replaced dimensions keep their position; order is the base's.
    #expect(
      space.index(of: "scaleUp.stabilizationWindowSeconds")
        == base.index(of: "scaleUp.stabilizationWindowSeconds"))
  }

  @Test("malformed descriptions give typed errors")
  func malformedDescriptions() throws {
    let base = try ParameterSpace(dimensions: [])
    let cases: [DimensionDescription] = [
      DimensionDescription(name: "a", values: []),
      DimensionDescription(name: "a", values: [1], min: 0, max: 3),
      DimensionDescription(name: "a", min: 5, max: 1),
      DimensionDescription(name: "a", min: 0, max: 1e9),
      DimensionDescription(name: "minReplicas", values: [1.5]),
      DimensionDescription(name: "a", min: 0, max: 1, steps: 0, kind: .real),
      DimensionDescription(name: "a"),
    ]
    for dimension in cases {
      #expect(throws: TuningError.self) {
        try SpaceDescription(base: .empty, dimensions: [dimension]).resolve(over: base)
      }
    }
    #expect(throws: TuningError.duplicateDimension(name: "a")) {
      try SpaceDescription(
        base: .empty,
        dimensions: [
          DimensionDescription(name: "a", values: [1]),
          DimensionDescription(name: "a", values: [2]),
        ]
      ).resolve(over: base)
    }
    #expect(throws: TuningError.self) {
      try SpaceDescription(
        base: .empty, dimensions: [DimensionDescription(name: "a", values: [1])],
        constraints: ["a <= b"]
      ).resolve(over: base)
    }
    #expect(throws: TuningError.self) { try Constraint(parsing: "a <= ") }
    #expect(
      try Constraint(parsing: "minReplicas<=maxReplicas")
        == Constraint("minReplicas", .lessOrEqual, "maxReplicas"))
  }

  @Test("a space round-trips through JSON and a bad one is refused on decoding")
  func spaceCodable() throws {
    let space = try ParameterSpace.hpaBehaviorDefault(minReplicas: 3, maxReplicas: 9)
    let data = try JSONEncoder().encode(space)
    #expect(try JSONDecoder().decode(ParameterSpace.self, from: data) == space)
    let bad = #"{"dimensions":[{"name":"x","domain":{"integers":{"_0":[]}}}],"constraints":[]}"#
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(ParameterSpace.self, from: Data(bad.utf8))
    }
  }

  @Test("default-space candidates are all valid under the constraint")
  func defaultSpaceCandidates() async throws {
    let space = try SpaceDescription(
      dimensions: [DimensionDescription(name: "maxReplicas", values: [1, 2, 3])]
    ).resolve(over: ParameterSpace.hpaBehaviorDefault(minReplicas: 4, maxReplicas: 8))
    let minimum = try #require(space.index(of: "minReplicas"))
    let maximum = try #require(space.index(of: "maxReplicas"))
    let result = try await SearchEngine(
      space: space, evaluator: SyntheticEvaluator(),
      configuration: SearchConfiguration(strategy: .latinHypercube(seed: 1), budget: 200)
    ).run()
    let values = result.evaluations.map { space.values($0.levels) }
    #expect(values.allSatisfy { ($0[minimum].numeric ?? 0) <= ($0[maximum].numeric ?? 0) })
    #expect(result.evaluations.count == 200)
  }
}

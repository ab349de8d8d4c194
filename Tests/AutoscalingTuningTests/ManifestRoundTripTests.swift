import AutoscalingCore
import AutoscalingTraces
import AutoscalingTuning
import HorizontalAutoscaling
import Testing

@Suite("Tuned behavior YAML through the manifest reader")
struct ManifestRoundTripTests {
  /// `../shared/manifests/ml-model-hpa.yaml` without its behavior block.
  static let manifestHead = """
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata:
      name: ml-model-hpa
    spec:
      scaleTargetRef:
        apiVersion: apps/v1
        kind: Deployment
        name: ml-model
      minReplicas: 2
      maxReplicas: 20
      metrics:
        - type: Resource
          resource:
            name: cpu
            target:
              type: Utilization
              averageUtilization: 70

    """

  @Test("the emitted YAML loads back and equals the chosen configuration's behavior")
  func roundTrip() async throws {
    let tuner = try BehaviorTuner(
      scenarios: [TunerFixture.scenario()],
      space: SpaceDescription(
        base: .empty,
        dimensions: [
          DimensionDescription(name: "scaleDown.stabilizationWindowSeconds", values: [0, 120]),
          DimensionDescription(name: "scaleDown.policy.type", categories: ["Pods", "Percent"]),
          DimensionDescription(name: "scaleUp.selectPolicy", categories: ["Min", "Max"]),
          DimensionDescription(name: "scaleUp.tolerance", values: [0.05]),
          DimensionDescription(name: "scaleUp.secondPolicy.type", categories: ["Pods"]),
          DimensionDescription(name: "scaleUp.secondPolicy.value", values: [3]),
        ]
      ).resolve(over: ParameterSpace(dimensions: [])),
      strategy: .grid, budget: 8)
    let result = try await tuner.tune()
    let chosen = try #require(result.chosen)
    let yaml = try #require(chosen.behavior).yaml(indent: 2)
    let file = try ManifestLoader.decode(text: Self.manifestHead + yaml, file: "tuned.yaml")
    let loaded = try #require(file.horizontalPodAutoscalers.first?.behavior)
    // The tuned HPA as the decision module holds it (defaulted), field by field.
    let expected = try #require(chosen.overrides.applied(to: TunerFixture.spec()).behavior)
    for (read, want) in [
      (loaded.scaleUp, expected.scaleUp), (loaded.scaleDown, expected.scaleDown),
    ] {
      let want = try #require(want)
      #expect(
        read.stabilizationWindowSeconds.map(Int64.init) == want.stabilizationWindow?.wholeSeconds)
      #expect(read.selectPolicy.rawValue == want.selectPolicy?.name)
      #expect(read.policies.map(\.type.rawValue) == want.policies?.map(\.type.name))
      #expect(read.policies.map { Int($0.value) } == want.policies?.map(\.value))
      #expect(
        read.policies.map { Int64($0.periodSeconds) } == want.policies?.map(\.period.wholeSeconds))
      #expect(read.tolerance == want.tolerance)
    }
    // And through the reader's conversion to the decision module's spec: the same HPA.
    let spec = try #require(file.horizontalPodAutoscalers.first).spec()
    #expect(spec.behavior == expected)
    // The chosen values really are in the YAML (not just the defaults).
    let parameters = Dictionary(uniqueKeysWithValues: chosen.parameters.map { ($0.name, $0.value) })
    #expect(
      String(loaded.scaleDown.stabilizationWindowSeconds ?? -1)
        == parameters["scaleDown.stabilizationWindowSeconds"])
    #expect(loaded.scaleUp.selectPolicy.rawValue == parameters["scaleUp.selectPolicy"])
    #expect(loaded.scaleUp.tolerance == Quantity(milliValue: 50))
    // Both scale-up policies: the fixture's first and the candidate's Pods 3.
    #expect(loaded.scaleUp.policies.count == 2)
    let second = try #require(loaded.scaleUp.policies.last)
    #expect(second.type.rawValue == "Pods")
    #expect(Int(second.value) == 3)
  }
}

import AutoscalingCore
import AutoscalingTuning
import HorizontalAutoscaling
import Testing

@Suite("Overrides and behavior YAML")
struct BehaviorSettingsTests {
  /// The behavior of `../shared/manifests/ml-model-hpa.yaml`, written out by hand.
  static let seed = BehaviorSettings(
    scaleUp: ScalingRulesSettings(
      stabilizationWindowSeconds: 0,
      policies: [ScalingPolicySettings(type: "Percent", value: 100, periodSeconds: 15)]),
    scaleDown: ScalingRulesSettings(
      stabilizationWindowSeconds: 300,
      policies: [ScalingPolicySettings(type: "Percent", value: 10, periodSeconds: 60)]))

  @Test("a candidate maps to the fields its dimensions name")
  func mapping() throws {
    let space = try SpaceDescription(
      base: .empty,
      dimensions: [
        DimensionDescription(name: "scaleDown.stabilizationWindowSeconds", values: [0, 120]),
        DimensionDescription(name: "scaleDown.policy.value", values: [5, 50]),
        DimensionDescription(name: "scaleUp.selectPolicy", categories: ["Max", "Min"]),
        DimensionDescription(name: "scaleUp.tolerance", values: [0, 0.05]),
        DimensionDescription(name: "metrics.targetPercent", values: [80, 120]),
        DimensionDescription(name: "minReplicas", values: [1, 3]),
      ]
    ).resolve(over: ParameterSpace(dimensions: []))
    let mapper = try HPAOverrideMapper(space: space)
    let overrides = mapper.overrides(for: [1, 0, 1, 1, 1, 0])
    #expect(overrides.scaleDown.stabilizationWindowSeconds == 120)
    #expect(overrides.scaleDown.policyValue == 5)
    #expect(overrides.scaleDown.policyType == nil)
    #expect(overrides.scaleUp.selectPolicy == "Min")
    #expect(overrides.scaleUp.tolerance == 0.05)
    #expect(overrides.metricTargetPercent == 120)
    #expect(overrides.minReplicas == 1)
    #expect(overrides.maxReplicas == nil)

    let tuned = Self.seed.applying(overrides)
    // Scale-down: new window; a single policy keeping the seed's type and period.
    #expect(tuned.scaleDown?.stabilizationWindowSeconds == 120)
    #expect(
      tuned.scaleDown?.policies == [
        ScalingPolicySettings(type: "Percent", value: 5, periodSeconds: 60)
      ])
    // Scale-up: select policy and tolerance set, the rest as written.
    #expect(tuned.scaleUp?.selectPolicy == "Min")
    #expect(tuned.scaleUp?.tolerance == Quantity(milliValue: 50))
    #expect(tuned.scaleUp?.policies == Self.seed.scaleUp?.policies)
    #expect(tuned.scaleUp?.stabilizationWindowSeconds == 0)
  }

  @Test("a policy set on a direction the user left out starts from upstream's default")
  func policyWithoutSeed() {
    var overrides = HPAOverrides()
    overrides.scaleUp.policyType = "Pods"
    let tuned = BehaviorSettings().applying(overrides)
    #expect(
      tuned.scaleUp?.policies == [
        ScalingPolicySettings(type: "Pods", value: 100, periodSeconds: 15)
      ])
    #expect(tuned.scaleDown == nil)
    #expect(BehaviorSettings().applying(HPAOverrides()) == BehaviorSettings())
  }

  @Test("a second policy joins the first, starting from the user's second or upstream's Pods 4")
  func secondPolicy() throws {
    let space = try SpaceDescription(
      base: .empty,
      dimensions: [
        DimensionDescription(name: "scaleUp.secondPolicy.type", categories: ["None", "Pods"]),
        DimensionDescription(name: "scaleUp.secondPolicy.value", values: [6]),
        DimensionDescription(name: "scaleDown.secondPolicy.periodSeconds", values: [120]),
      ]
    ).resolve(over: ParameterSpace(dimensions: []))
    let mapper = try HPAOverrideMapper(space: space)
    // Pods 6 beside the seed's one scale-up policy; its period is upstream's 15 s.
    let pods = Self.seed.applying(mapper.overrides(for: [1, 0, 0]))
    #expect(
      pods.scaleUp?.policies == [
        ScalingPolicySettings(type: "Percent", value: 100, periodSeconds: 15),
        ScalingPolicySettings(type: "Pods", value: 6, periodSeconds: 15),
      ])
    // Scale-down: upstream's second policy (Pods 4) with the candidate's period.
    #expect(
      pods.scaleDown?.policies == [
        ScalingPolicySettings(type: "Percent", value: 10, periodSeconds: 60),
        ScalingPolicySettings(type: "Pods", value: 4, periodSeconds: 120),
      ])
    // `None`: the direction keeps its first policy only.
    let none = Self.seed.applying(mapper.overrides(for: [0, 0, 0]))
    #expect(none.scaleUp?.policies == Self.seed.scaleUp?.policies)

    // A user with two policies: an unset field keeps the user's second policy's; setting only
    // the first policy still leaves one policy, as before.
    var user = Self.seed
    user.scaleUp?.policies = [
      ScalingPolicySettings(type: "Percent", value: 100, periodSeconds: 15),
      ScalingPolicySettings(type: "Pods", value: 4, periodSeconds: 30),
    ]
    var overrides = HPAOverrides()
    overrides.scaleUp.secondPolicyValue = 8
    #expect(
      user.applying(overrides).scaleUp?.policies == [
        ScalingPolicySettings(type: "Percent", value: 100, periodSeconds: 15),
        ScalingPolicySettings(type: "Pods", value: 8, periodSeconds: 30),
      ])
    overrides = HPAOverrides()
    overrides.scaleUp.policyValue = 200
    #expect(
      user.applying(overrides).scaleUp?.policies == [
        ScalingPolicySettings(type: "Percent", value: 200, periodSeconds: 15)
      ])
  }

  @Test(
    "selectPolicy chooses between the two policies: from 2 replicas, 100 % allows 4, Pods 6 allows 8",
    arguments: [("Max", 8), ("Min", 4)])
  func selectBetweenPolicies(select: String, limit: Int) throws {
    var overrides = HPAOverrides()
    overrides.scaleUp.selectPolicy = select
    overrides.scaleUp.secondPolicyType = "Pods"
    overrides.scaleUp.secondPolicyValue = 6
    let spec = try HorizontalPodAutoscalerSpec(
      metrics: [.resource(.cpu, target: .utilization(70))], minReplicas: 1, maxReplicas: 20,
      behavior: Self.seed.scalingBehavior)
    let tuned = try overrides.applied(to: spec)
    let rules = try #require(tuned.behavior?.scaleUp)
    #expect(rules.policies?.count == 2)
    #expect(ScaleEventLog().scaleUpLimit(current: 2, rules: rules, at: .epoch) == limit)
  }

  @Test("the behavior renders as indented YAML")
  func yaml() {
    var tuned = Self.seed
    tuned.scaleUp?.selectPolicy = "Max"
    tuned.scaleUp?.tolerance = ScalingRulesSettings.toleranceQuantity(0.1)
    let expected = """
        behavior:
          scaleUp:
            stabilizationWindowSeconds: 0
            selectPolicy: Max
            policies:
              - type: Percent
                value: 100
                periodSeconds: 15
            tolerance: 100m
          scaleDown:
            stabilizationWindowSeconds: 300
            policies:
              - type: Percent
                value: 10
                periodSeconds: 60

      """
    #expect(tuned.yaml(indent: 2) == expected)
    #expect(BehaviorSettings().yaml(indent: 0) == "behavior: {}\n")
  }

  @Test(
    "tolerance fractions round to thousandths",
    arguments: [(0.05, 50), (0.1, 100), (0.0, 0), (0.0004, 0), (1.5, 1500)])
  func toleranceQuantity(fraction: Double, milli: Int64) {
    #expect(ScalingRulesSettings.toleranceQuantity(fraction) == Quantity(milliValue: milli))
  }
}

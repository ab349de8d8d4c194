import AutoscalingCore
import HorizontalAutoscaling
import Testing
import _AutoscalingTestSupport

@Suite("Spec defaults and validation")
struct HorizontalPodAutoscalerSpecTests {
  @Test("API defaults: minReplicas 1, cpu 80 %, behavior filled in both directions")
  func defaults() throws {
    let spec = try HorizontalPodAutoscalerSpec(maxReplicas: 5, behavior: ScalingBehavior())
    #expect(spec.minReplicas == 1)
    #expect(spec.metrics == [.resource(.cpu, target: .utilization(80))])
    let behavior = try #require(spec.behavior)
    #expect(behavior.scaleUp?.stabilizationWindow == .zero)
    #expect(behavior.scaleUp?.selectPolicy == .max)
    #expect(
      behavior.scaleUp?.policies == [.pods(4, per: .seconds(15)), .percent(100, per: .seconds(15))])
    #expect(behavior.scaleDown?.stabilizationWindow == nil)
    #expect(behavior.scaleDown?.policies == [.percent(100, per: .seconds(15))])
  }

  @Test("written fields survive defaulting; an omitted field takes the default")
  func mergeKeepsWrittenFields() {
    let written = ScalingBehavior(
      scaleDown: ScalingRules(selectPolicy: .min, tolerance: Quantity(milliValue: 50)))
    let defaulted = written.defaulted()
    #expect(defaulted.scaleDown?.selectPolicy == .min)
    #expect(defaulted.scaleDown?.tolerance == Quantity(milliValue: 50))
    #expect(defaulted.scaleDown?.policies == [.percent(100, per: .seconds(15))])
    #expect(defaulted.scaleUp == ScalingRules.defaultScaleUp)
  }

  @Test("controller options carry upstream's production defaults")
  func productionOptions() {
    let options = HorizontalAutoscalerOptions.production
    #expect(options.syncPeriod == .seconds(15))
    #expect(options.tolerance == 0.1)
    #expect(options.cpuInitializationPeriod == .seconds(300))
    #expect(options.initialReadinessDelay == .seconds(30))
    #expect(options.downscaleStabilizationWindow == .seconds(300))
    #expect(options.scaleUpLimitFactor == 2)
    #expect(options.scaleUpLimitMinimum == 4)
    #expect(options.featureGates.configurableTolerance)
    #expect(!options.featureGates.scaleToZero)
  }

  struct Invalid: CustomTestStringConvertible, Sendable {
    var name: String
    var build: @Sendable () throws -> HorizontalPodAutoscalerSpec
    var field: String
    var testDescription: String { name }
  }

  static let cpu = MetricSpec.resource(.cpu, target: .utilization(50))
  static func rules(_ rules: ScalingRules) -> ScalingBehavior { ScalingBehavior(scaleUp: rules) }

  static let invalid: [Invalid] = [
    Invalid(
      name: "min > max", build: { try .init(metrics: [cpu], minReplicas: 5, maxReplicas: 3) },
      field: "spec.maxReplicas"),
    Invalid(
      name: "maxReplicas < 1",
      build: { try .init(metrics: [cpu], minReplicas: nil, maxReplicas: 0) },
      field: "spec.maxReplicas"),
    Invalid(
      name: "minReplicas 0 without the gate",
      build: { try .init(metrics: [cpu], minReplicas: 0, maxReplicas: 3) },
      field: "spec.minReplicas"),
    Invalid(
      name: "minReplicas 0 without Object/External",
      build: {
        try .init(
          metrics: [cpu], minReplicas: 0, maxReplicas: 3,
          featureGates: FeatureGates(scaleToZero: true))
      },
      field: "spec.minReplicas"),
    Invalid(
      name: "utilization target 0",
      build: { try .init(metrics: [.resource(.cpu, target: .utilization(0))], maxReplicas: 3) },
      field: "spec.metrics[0].resource.target.averageUtilization"),
    Invalid(
      name: "negative averageValue",
      build: {
        try .init(
          metrics: [.pods("qps", target: .averageValue(Quantity(milliValue: -1)))], maxReplicas: 3)
      },
      field: "spec.metrics[0].pods.target.averageValue"),
    Invalid(
      name: "zero Value",
      build: { try .init(metrics: [.external("q", target: .value(.zero))], maxReplicas: 3) },
      field: "spec.metrics[0].external.target.value"),
    Invalid(
      name: "unknown metric type",
      build: {
        try .init(metrics: [MetricSpec(type: MetricSourceType(name: "Cheddar"))], maxReplicas: 3)
      },
      field: "spec.metrics[0].type"),
    Invalid(
      name: "unknown target type",
      build: {
        try .init(
          metrics: [
            .resource(.cpu, target: MetricTarget(type: .init(name: "Most"), averageUtilization: 5))
          ],
          maxReplicas: 3)
      }, field: "spec.metrics[0].resource.target.type"),
    Invalid(
      name: "Pods metric with a Value target",
      build: { try .init(metrics: [.pods("qps", target: .value(Quantity(3)))], maxReplicas: 3) },
      field: "spec.metrics[0].pods.target.averageValue"),
    Invalid(
      name: "window above 3600 s",
      build: {
        try .init(
          metrics: [cpu], maxReplicas: 3,
          behavior: rules(ScalingRules(stabilizationWindow: .seconds(3601))))
      },
      field: "spec.behavior.scaleUp.stabilizationWindowSeconds"),
    Invalid(
      name: "negative window",
      build: {
        try .init(
          metrics: [cpu], maxReplicas: 3,
          behavior: ScalingBehavior(scaleDown: ScalingRules(stabilizationWindow: .seconds(-1))))
      }, field: "spec.behavior.scaleDown.stabilizationWindowSeconds"),
    Invalid(
      name: "period 0 s",
      build: {
        try .init(
          metrics: [cpu], maxReplicas: 3,
          behavior: rules(ScalingRules(policies: [.pods(1, per: .zero)])))
      },
      field: "spec.behavior.scaleUp.policies[0].periodSeconds"),
    Invalid(
      name: "period above 1800 s",
      build: {
        try .init(
          metrics: [cpu], maxReplicas: 3,
          behavior: rules(ScalingRules(policies: [.percent(10, per: .seconds(1801))])))
      }, field: "spec.behavior.scaleUp.policies[0].periodSeconds"),
    Invalid(
      name: "policy value 0",
      build: {
        try .init(
          metrics: [cpu], maxReplicas: 3,
          behavior: rules(
            ScalingRules(policies: [.pods(2, per: .seconds(15)), .percent(0, per: .seconds(15))])))
      }, field: "spec.behavior.scaleUp.policies[1].value"),
    Invalid(
      name: "empty policy list",
      build: {
        try .init(metrics: [cpu], maxReplicas: 3, behavior: rules(ScalingRules(policies: [])))
      },
      field: "spec.behavior.scaleUp.policies"),
    Invalid(
      name: "unknown selectPolicy",
      build: {
        try .init(
          metrics: [cpu], maxReplicas: 3,
          behavior: rules(ScalingRules(selectPolicy: .init(name: "Most"))))
      },
      field: "spec.behavior.scaleUp.selectPolicy"),
    Invalid(
      name: "negative tolerance",
      build: {
        try .init(
          metrics: [cpu], maxReplicas: 3,
          behavior: rules(ScalingRules(tolerance: Quantity(milliValue: -10))))
      }, field: "spec.behavior.scaleUp.tolerance"),
    Invalid(
      name: "tolerance with the gate off",
      build: {
        try .init(
          metrics: [cpu], maxReplicas: 3,
          behavior: rules(ScalingRules(tolerance: Quantity(milliValue: 10))),
          featureGates: FeatureGates(configurableTolerance: false))
      }, field: "spec.behavior.scaleUp.tolerance"),
    Invalid(
      name: "ContainerResource without a container",
      build: {
        try .init(
          metrics: [.containerResource(.cpu, container: "", target: .utilization(50))],
          maxReplicas: 3)
      },
      field: "spec.metrics[0].containerResource.container"),
  ]

  @Test("invalid specs are rejected naming the field", arguments: invalid)
  func rejects(_ invalid: Invalid) {
    do {
      let spec = try invalid.build()
      Issue.record("accepted \(spec)")
    } catch let error as SpecValidationError {
      #expect(error.field == invalid.field)
      #expect(error.description.hasPrefix(invalid.field + ": "))
    } catch {
      Issue.record("unexpected error type \(error)")
    }
  }

  @Test("scale to zero is accepted with the gate and an External metric")
  func scaleToZeroAccepted() throws {
    let spec = try HorizontalPodAutoscalerSpec(
      metrics: [.external("queue", target: .averageValue(Quantity(30)))], minReplicas: 0,
      maxReplicas: 5,
      featureGates: FeatureGates(scaleToZero: true))
    #expect(spec.minReplicas == 0)
  }

  @Test("a tolerance of 10 (no upper bound) is accepted")
  func largeTolerance() throws {
    _ = try Build.spec(behavior: ScalingBehavior(scaleDown: ScalingRules(tolerance: Quantity(10))))
  }

  @Test("replacingBehavior validates and swaps only the behavior")
  func replacingBehavior() throws {
    let spec = try Build.spec()
    let faster = try spec.replacingBehavior(
      ScalingBehavior(scaleUp: ScalingRules(policies: [.pods(10, per: .seconds(60))])))
    #expect(faster.metrics == spec.metrics)
    #expect(faster.behavior?.scaleUp?.policies == [.pods(10, per: .seconds(60))])
    #expect(throws: SpecValidationError.self) {
      try spec.replacingBehavior(
        ScalingBehavior(scaleUp: ScalingRules(policies: [.pods(-1, per: .seconds(60))])))
    }
  }
}

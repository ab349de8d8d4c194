import AutoscalingCore
import Foundation
import Testing

@Suite struct LabelSelectorTests {
  let labels: Labels = ["app": "ml-model", "tier": "gpu"]

  @Test func emptySelectorMatchesEverything() {
    #expect(LabelSelector().matches(labels))
    #expect(LabelSelector().matches([:]))
  }

  @Test(arguments: [
    (LabelSelector.Requirement(key: "app", operator: .in, values: ["ml-model", "web"]), true),
    (LabelSelector.Requirement(key: "app", operator: .in, values: ["web"]), false),
    (LabelSelector.Requirement(key: "missing", operator: .in, values: ["x"]), false),
    (LabelSelector.Requirement(key: "app", operator: .notIn, values: ["web"]), true),
    (LabelSelector.Requirement(key: "app", operator: .notIn, values: ["ml-model"]), false),
    (LabelSelector.Requirement(key: "missing", operator: .notIn, values: ["x"]), true),
    (LabelSelector.Requirement(key: "tier", operator: .exists), true),
    (LabelSelector.Requirement(key: "missing", operator: .exists), false),
    (LabelSelector.Requirement(key: "missing", operator: .doesNotExist), true),
    (LabelSelector.Requirement(key: "tier", operator: .doesNotExist), false),
  ])
  func requirement(_ requirement: LabelSelector.Requirement, matches: Bool) {
    #expect(requirement.matches(labels) == matches)
    #expect(LabelSelector(matchExpressions: [requirement]).matches(labels) == matches)
  }

  @Test func matchLabelsAndExpressionsAreAnded() {
    let selector = LabelSelector(
      matchLabels: ["app": "ml-model"],
      matchExpressions: [.init(key: "tier", operator: .in, values: ["cpu"])])
    #expect(!selector.matches(labels))
    #expect(selector.matches(["app": "ml-model", "tier": "cpu"]))
  }

  @Test func decodesFromKubernetesJSON() throws {
    let json = #"{"matchLabels":{"app":"x"},"matchExpressions":[{"key":"k","operator":"Exists"}]}"#
    let selector = try JSONDecoder().decode(LabelSelector.self, from: Data(json.utf8))
    #expect(selector.matchLabels == ["app": "x"])
    #expect(selector.matchExpressions == [.init(key: "k", operator: .exists)])
  }
}

@Suite struct SchedulingVocabularyTests {
  @Test(arguments: [
    // (toleration, taint, tolerated) — upstream ToleratesTaint rules.
    (
      Toleration(key: "nvidia.com/gpu", operator: .exists, effect: .noSchedule),
      Taint(key: "nvidia.com/gpu", value: "true", effect: .noSchedule), true
    ),
    (
      Toleration(key: "nvidia.com/gpu", operator: .exists, effect: .noExecute),
      Taint(key: "nvidia.com/gpu", value: "true", effect: .noSchedule), false
    ),
    (
      Toleration(key: "nvidia.com/gpu", operator: .equal, value: "true"),
      Taint(key: "nvidia.com/gpu", value: "true", effect: .noSchedule), true
    ),
    (
      Toleration(key: "nvidia.com/gpu", operator: .equal, value: "false"),
      Taint(key: "nvidia.com/gpu", value: "true", effect: .noSchedule), false
    ),
    (Toleration(operator: .exists), Taint(key: "anything", effect: .noExecute), true),
    (
      Toleration(key: "other", operator: .exists), Taint(key: "anything", effect: .noExecute), false
    ),
  ])
  func toleration(_ toleration: Toleration, taint: Taint, tolerated: Bool) {
    #expect(toleration.tolerates(taint) == tolerated)
    #expect([toleration].tolerate(taint) == tolerated)
  }

  @Test(arguments: [
    (NodeSelectorRequirement(key: "nvidia.com/gpu.memory", operator: .gt, values: ["20000"]), true),
    (
      NodeSelectorRequirement(key: "nvidia.com/gpu.memory", operator: .gt, values: ["24576"]), false
    ),
    (NodeSelectorRequirement(key: "nvidia.com/gpu.memory", operator: .lt, values: ["30000"]), true),
    (NodeSelectorRequirement(key: "nvidia.com/gpu.product", operator: .gt, values: ["1"]), false),
    (NodeSelectorRequirement(key: "missing", operator: .gt, values: ["1"]), false),
    (
      NodeSelectorRequirement(key: "karpenter.sh/capacity-type", operator: .in, values: ["spot"]),
      true
    ),
    (
      NodeSelectorRequirement(
        key: "karpenter.sh/capacity-type", operator: .notIn, values: ["spot"]), false
    ),
    (NodeSelectorRequirement(key: "missing", operator: .doesNotExist), true),
  ])
  func nodeRequirement(_ requirement: NodeSelectorRequirement, matches: Bool) {
    let node: Labels = [
      "nvidia.com/gpu.memory": "24576", "nvidia.com/gpu.product": "NVIDIA-A10G",
      "karpenter.sh/capacity-type": "spot",
    ]
    #expect(requirement.matches(node) == matches)
  }

  @Test func containerLimitDefaultsItsRequest() throws {
    let container = Container(
      name: "gpu", requests: [.cpu: try Quantity(parsing: "500m")],
      limits: [.cpu: try Quantity(parsing: "1"), .nvidiaGPU: Quantity(1)])
    #expect(container.requests[.cpu]?.milliValue == 500)
    #expect(container.requests[.nvidiaGPU]?.value == 1)
  }

  @Test func effectiveRequestIsMaxOfInitAndSumOfContainers() throws {
    let template = PodTemplate(
      containers: [
        Container(name: "a", requests: [.cpu: Quantity(milliValue: 300), .memory: Quantity(100)]),
        Container(name: "b", requests: [.cpu: Quantity(milliValue: 200), .memory: Quantity(100)]),
      ],
      initContainers: [
        Container(name: "init", requests: [.cpu: Quantity(milliValue: 800), .memory: Quantity(50)])
      ],
      overhead: [.cpu: Quantity(milliValue: 10)])
    let requests = template.effectiveRequests
    // cpu: max(300+200, 800) + 10 = 810m; memory: max(200, 50) = 200 bytes.
    #expect(requests[.cpu]?.milliValue == 810)
    #expect(requests[.memory]?.value == 200)
    #expect(!ResourceList([.cpu: Quantity(1)]).fits(in: requests))
    #expect(ResourceList([.cpu: Quantity(milliValue: 810)]).fits(in: requests))
  }
}

@Suite struct ResourceListAndTimeTests {
  @Test func quantitiesDecodeFromStringsAndNumbers() throws {
    let json = #"{"cpu":"250m","memory":"1.5Gi","nvidia.com/gpu":1,"pods":110,"x":0.5}"#
    let list = try JSONDecoder().decode(ResourceList.self, from: Data(json.utf8))
    #expect(list[.cpu]?.milliValue == 250)
    #expect(list[.memory]?.value == 1_610_612_736)
    #expect(list[.nvidiaGPU]?.value == 1)
    #expect(list[.pods]?.value == 110)
    #expect(list["x"]?.milliValue == 500)
    let encoded = try JSONEncoder().encode(list)
    #expect(try JSONDecoder().decode(ResourceList.self, from: encoded) == list)
  }

  @Test func badQuantityNamesWhatWasExpected() {
    let json = #"{"cpu":"abc"}"#
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(ResourceList.self, from: Data(json.utf8))
    }
  }

  @Test func resourceArithmetic() throws {
    let a: ResourceList = [.cpu: Quantity(milliValue: 500), .memory: try Quantity(parsing: "1Gi")]
    let b: ResourceList = [.cpu: Quantity(milliValue: 250), .nvidiaGPU: Quantity(1)]
    let sum = a + b
    #expect(sum[.cpu]?.milliValue == 750)
    #expect(sum[.nvidiaGPU]?.value == 1)
    #expect((sum - b)[.cpu]?.milliValue == 500)
    #expect(ResourceName.nvidiaGPU.isExtended)
    #expect(!ResourceName.cpu.isExtended)
  }

  @Test func instantArithmetic() {
    let start = Instant.seconds(100)
    #expect((start + .seconds(15)).millisecondsSinceEpoch == 115_000)
    #expect((start - .milliseconds(500)).millisecondsSinceEpoch == 99_500)
    #expect((Instant.seconds(130) - start) == .seconds(30))
    #expect(Instant(millisecondsSinceEpoch: -1).secondsSinceEpoch == -1)
    #expect(Duration.milliseconds(1_500).wholeMilliseconds == 1_500)
    #expect(Instant.distantPast < Instant.epoch)
  }
}

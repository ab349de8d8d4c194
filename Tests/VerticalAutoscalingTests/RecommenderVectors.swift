import AutoscalingCore
import Testing
import _AutoscalingTestSupport
import VerticalAutoscaling

enum RecommenderVectors {
  /// Estimator decorators over a constant base estimate.
  static func runEstimator(_ vector: VPAVector) throws {
    let given = vector.given
    let base = ResourceEstimate(
      cpuMillicores: try #require(given["base_cpu_millicores"].int64),
      memoryBytes: try #require(given["base_memory_bytes"].int64))
    if vector.id == "estimator.min_resource" {
      let minimum = ResourceEstimate(
        cpuMillicores: try #require(given["min_cpu_millicores"].int64),
        memoryBytes: try #require(given["min_memory_bytes"].int64))
      let result = ResourceEstimator.minimum(minimum, base: .constant(base)).estimate(
        AggregateContainerState(creationTime: Given.base))
      #expect(result.cpuMillicores == vector.expected["cpu_millicores"].int64)
      #expect(result.memoryBytes == vector.expected["memory_bytes"].int64)
      return
    }
    let interval = Given.seconds(given["confidence_interval_s"])
    var state = AggregateContainerState(creationTime: Given.base)
    func check(_ args: JSONValue, _ expect: JSONValue) throws {
      let estimator = ResourceEstimator.confidenceMultiplier(
        multiplier: try #require(args["multiplier"].double),
        exponent: try #require(args["exponent"].double),
        cpuInterval: interval, memoryInterval: interval, base: .constant(base))
      let result = estimator.estimate(state)
      if let millicores = expect["cpu_millicores"].int64 {
        #expect(result.cpuMillicores == millicores)
      }
      if let cores = expect["cpu_cores"].double {
        #expect(ResourceAmount.cores(fromMillicores: result.cpuMillicores) == cores)
      }
      if let bytes = expect["memory_bytes"].double { #expect(Double(result.memoryBytes) == bytes) }
    }
    if vector.steps.isEmpty {
      try check(given, vector.expected)
      return
    }
    for step in vector.steps {
      let args = step["args"]
      switch step["op"].string {
      case "estimate": try check(args, step["expect"])
      case "add_cpu_samples":
        let first = try Given.instant(args["first_time"])
        let usage = try #require(args["usage_millicores"].int64)
        for index in 0..<(args["count"].int ?? 0) {
          state.addCPUUsage(
            cores: ResourceAmount.cores(fromMillicores: usage), weight: 0.1,
            at: first + Given.seconds(args["spacing_s"]) * index)
        }
      case "confidence":
        #expect(
          ResourceEstimator.confidence(of: state, interval: interval)
            == step["expect"]["value"].double)
      default: Issue.record("unknown step \(step["op"])")
      }
    }
  }

  /// The pod recommender with constant estimators.
  static func runRecommender(_ vector: VPAVector) throws {
    let given = vector.given
    let constant = ResourceEstimator.constant(
      ResourceEstimate(
        cpuMillicores: try #require(given["estimators_constant"]["cpu_millicores"].int64),
        memoryBytes: try #require(given["estimators_constant"]["memory_bytes"].int64)))
    let recommender = PodResourceRecommender(
      targetEstimator: constant, lowerBoundEstimator: constant, upperBoundEstimator: constant,
      podMinCPUMillicores: given["pod_min_cpu_millicores"].double ?? 25,
      podMinMemoryMiB: given["pod_min_memory_mb"].double ?? 250)
    var aggregates: [String: AggregateContainerState] = [:]
    for container in given["containers"].array {
      var aggregate = AggregateContainerState(creationTime: Given.base)
      if let name = container.string {
        aggregates[name] = aggregate
      } else {
        let name = try #require(container["name"].string)
        aggregate.update(
          from: ContainerResourcePolicy(
            containerName: name,
            controlledResources: container["controlled_resources"].array.compactMap {
              $0.string.flatMap(RecommendedResource.init(rawValue:))
            }),
          defaults: AggregationConfiguration())
        aggregates[name] = aggregate
      }
    }
    let result = recommender.recommendedPodResources(for: aggregates)
    for (name, expectation) in vector.expected.object {
      let recommendation = try #require(result[name], "no recommendation for \(name)")
      let target = expectation["target"]
      if target.exists {
        #expect(recommendation.target.cpuMillicores == target["cpu"].int64)
        #expect(recommendation.target.memoryBytes == target["memory"].int64)
      }
      func keys(_ amounts: ResourceAmounts) -> [String] {
        (amounts.cpuMillicores == nil ? [] : ["cpu"])
          + (amounts.memoryBytes == nil ? [] : ["memory"])
      }
      if expectation.has("target_keys") {
        #expect(
          keys(recommendation.target) == expectation["target_keys"].array.compactMap(\.string))
        #expect(
          keys(recommendation.lowerBound)
            == expectation["lower_bound_keys"].array.compactMap(\.string))
        #expect(
          keys(recommendation.upperBound)
            == expectation["upper_bound_keys"].array.compactMap(\.string))
      }
    }
  }

  /// Formatting of recommendations and resource lists.
  static func runFormat(_ vector: VPAVector) throws {
    let given = vector.given
    let roundCPU = given["round_cpu_millicores"].int64 ?? 1
    let roundMemory = given["round_memory_bytes"].int64 ?? 1
    let humanize = given["humanize_memory"].bool ?? false
    let expected = vector.expected
    if given["recommendations"].exists {
      var amounts: [String: RecommendedAmounts] = [:]
      for (name, value) in given["recommendations"].object {
        let target = ResourceAmounts(
          cpuMillicores: value["target"]["cpu"].int64, memoryBytes: value["target"]["memory"].int64)
        amounts[name] = RecommendedAmounts(target: target, lowerBound: target, upperBound: target)
      }
      let list = RecommendationFormatting.containerRecommendations(
        from: amounts, roundCPUMillicores: roundCPU, roundMemoryBytes: roundMemory,
        humanizeMemory: humanize)
      #expect(list.map(\.containerName) == expected["order"].array.compactMap(\.string))
      for item in list {
        #expect(
          item.target == Given.resourceList(expected["targets"][item.containerName]),
          "\(item.containerName)")
        #expect(item.uncappedTarget == item.target)
      }
      return
    }
    let amounts = ResourceAmounts(
      cpuMillicores: given["cpu_millicores"].int64, memoryBytes: given["memory_bytes"].int64)
    let list = amounts.resourceList(
      roundCPUMillicores: roundCPU, roundMemoryBytes: roundMemory, humanizeMemory: humanize)
    #expect(list[.cpu]?.milliValue == expected["cpu_millicores"].int64)
    #expect(list[.memory]?.milliValue == expected["memory_value_millibytes"].int64)
    let expectedMemory = try Quantity(parsing: try #require(expected["memory_quantity"].string))
    #expect(list[.memory] == expectedMemory)
  }

  /// Conversions of `types.go`.
  static func runResourceAmount(_ vector: VPAVector) throws {
    let input = vector.given["input"]
    let expected = vector.expected
    switch vector.given["function"].string {
    case "CPUAmountFromCores":
      #expect(
        ResourceAmount.cpu(fromCores: try #require(input["cores"].double))
          == expected["millicores"].int64)
    case "CoresFromCPUAmount":
      #expect(
        ResourceAmount.cores(fromMillicores: try #require(input["millicores"].int64))
          == expected["cores"].double)
    case "MemoryAmountFromBytes":
      #expect(
        ResourceAmount.memory(fromBytes: try #require(input["bytes"].double))
          == expected["amount"].int64)
    case "ScaleResource":
      #expect(
        ResourceAmount.scaled(
          try #require(input["amount"].int64), by: try #require(input["factor"].double))
          == expected["amount"].int64)
    case "resourceAmountFromFloat":
      #expect(
        ResourceAmount.fromFloat(try #require(input["amount"].double)) == expected["amount"].int64)
    case "RoundUpToScale":
      let value = try #require(input["value"].int64)
      let scale = try #require(input["scale"].int64)
      do {
        let result = try ResourceAmount.roundedUp(value, toMultipleOf: scale)
        #expect(expected["error"].isNull)
        #expect(result == expected["value"].int64)
      } catch {
        // Upstream returns the value unchanged with the error.
        #expect(error.description.contains(try #require(expected["error"].string)))
        #expect(value == expected["value"].int64)
      }
    case "HumanizeMemoryQuantity":
      #expect(
        ResourceAmount.humanizedMemory(bytes: try #require(input["bytes"].int64))
          == expected["string"].string)
    default: Issue.record("unknown function \(vector.given["function"])")
    }
  }
}

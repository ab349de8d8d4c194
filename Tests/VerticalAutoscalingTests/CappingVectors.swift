import AutoscalingCore
import Testing
import _AutoscalingTestSupport
import VerticalAutoscaling

enum CappingVectors {
  /// The full capping processor, or one pod LimitRange step.
  static func run(_ vector: VPAVector) throws {
    let given = vector.given
    let expected = vector.expected
    let pod = Given.pod(given["pod"])
    if vector.id.hasPrefix("limit_range.pod_step") {
      var recommendations = Given.recommendations(given["recommendations"]) ?? []
      let resource = try #require(
        given["resource"].string.flatMap(RecommendedResource.init(rawValue:)))
      let field: RecommendationField =
        switch given["field"].string {
        case "lower_bound": .lowerBound
        case "upper_bound": .upperBound
        default: .target
        }
      CappingProcessor.applyPodLimitRange(
        &recommendations, pod: pod,
        limitRange: try #require(Given.limitRange(given["pod_limit_range"])),
        resource: resource, field: field)
      expectRecommendations(recommendations, expected["recommendations"])
      return
    }
    let result = CappingProcessor.apply(
      recommendation: Given.recommendations(given["vpa"]["recommendation"]),
      policy: Given.resourcePolicy(given["vpa"]["resource_policy"]), pod: pod,
      containerLimitRange: Given.limitRange(given["container_limit_range"]),
      podLimitRange: Given.limitRange(given["pod_limit_range"]))
    #expect(expected["error"].bool == false)
    expectRecommendations(result.recommendations, expected["recommendation"])
    for name in expected["annotations_absent_for"].array.compactMap(\.string) {
      #expect(result.annotations[name] == nil, "\(name) annotations")
    }
    for (name, list) in expected["annotations_contain"].object {
      for annotation in list.array.compactMap(\.string) {
        #expect(
          result.annotations[name, default: []].contains(annotation), "\(name): \(annotation)")
      }
    }
    for key in ["annotations_elements_match", "annotations_exact_per_container_unordered"] {
      for (name, list) in expected[key].object {
        #expect(
          result.annotations[name, default: []].sorted()
            == list.array.compactMap(\.string).sorted(), "\(name)")
      }
      if key == "annotations_exact_per_container_unordered" && expected.has(key) {
        #expect(Set(result.annotations.keys) == Set(expected[key].object.keys))
      }
    }
  }

  /// Recommender-side policy capping (`ApplyVPAPolicy`).
  static func runPolicy(_ vector: VPAVector) {
    let given = vector.given
    let policy = Given.resourcePolicy(given["resource_policy"])
    let before = policy
    let result = CappingProcessor.applyVPAPolicy(
      Given.recommendations(given["recommendation"]), policy: policy,
      globalMaxAllowed: given["global_max_allowed"].isNull
        ? nil : Given.resourceList(given["global_max_allowed"]))
    #expect(vector.expected["error"].bool == false)
    expectRecommendations(result, vector.expected["recommendation"])
    #expect(policy == before, "the policy is not modified")
  }

  /// Proportional limits and proportional scaling.
  static func runProportionalLimit(_ vector: VPAVector) {
    let given = vector.given
    let expected = vector.expected
    if vector.id == "proportional_limit.scale_cpu_division_by_zero" {
      let scaled = LimitScaling.scale(
        .cpu, Given.resourceList(given["scaled_quantity"]).amount(of: .cpu),
        from: Given.resourceList(given["scale_base"]).amount(of: .cpu),
        to: Given.resourceList(given["scale_result"]).amount(of: .cpu),
        rounding: given["rounding"].string == "round_up" ? .up : .none)
      #expect(scaled == .divisionByZero(Given.resourceList(expected["result"]).amount(of: .cpu)))
      return
    }
    guard let resource = given["resource"].string.flatMap(RecommendedResource.init(rawValue:))
    else {
      Issue.record("missing resource")
      return
    }
    let (limit, annotation) = LimitScaling.proportionalLimit(
      resource, originalLimit: Given.optionalQuantity(given["original_limit"], resource),
      originalRequest: Given.optionalQuantity(given["original_request"], resource),
      recommendation: Given.optionalQuantity(given["recommended_request"], resource),
      defaultLimit: Given.optionalQuantity(given["default_limit"], resource))
    #expect(limit == Given.optionalQuantity(expected["limit"], resource))
    #expect((annotation != nil) == expected["annotation_present"].bool)
  }
}

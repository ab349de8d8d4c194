import AutoscalingCore
import Testing
import _AutoscalingTestSupport
import VerticalAutoscaling

enum UpdaterVectors {
  /// Pod priority and its ordering.
  static func runPriority(_ vector: VPAVector) {
    let given = vector.given
    let expected = vector.expected
    if vector.id.hasPrefix("priority.less") {
      let priority = Given.priority(given["prio"])
      let other = Given.priority(given["other"])
      #expect(priority.isLower(than: other) == expected["prio_less_than_other"].bool)
      #expect(other.isLower(than: priority) == expected["other_less_than_prio"].bool)
      return
    }
    let priority = PodPriority.of(
      pod: Given.pod(given["pod"]), recommendation: Given.recommendations(given["recommendation"]))
    if expected["returns_priority"].bool == true {
      // Only non-nil-ness is asserted upstream; by code reading the priority is all zero.
      #expect(priority == PodPriority())
      return
    }
    if let diff = expected["resource_diff"].double {
      expectClose(priority.resourceDiff, diff, vector.json["tolerance"], "resourceDiff")
    }
    if let outside = expected["outside_recommended_range"].bool {
      #expect(priority.outsideRecommendedRange == outside)
    }
    if let scaleUp = expected["scale_up"].bool { #expect(priority.scaleUp == scaleUp) }
  }

  /// The update priority calculator (priorities injected, as upstream's fake processor).
  static func runDecision(_ vector: VPAVector) {
    let given = vector.given
    let expected = vector.expected
    if vector.id.hasPrefix("calculator.has_lower_resource") {
      #expect(
        UpdatePriorityCalculator.hasLowerResourceRecommendation(
          lastAttempt: Given.recommendations(given["last_attempt"]),
          newRecommendation: Given.recommendations(given["new_recommendation"]))
          == expected["value"].bool)
      return
    }
    var configuration = UpdaterConfiguration()
    let config = given["config"]
    if let value = config["min_change_priority"].double { configuration.minChangePriority = value }
    if config["pod_lifetime_update_threshold_s"].exists {
      configuration.podLifetimeUpdateThreshold = Given.seconds(
        config["pod_lifetime_update_threshold_s"])
    }
    if config["evict_after_oom_threshold_s"].exists {
      configuration.evictAfterOOMThreshold = Given.seconds(config["evict_after_oom_threshold_s"])
    }
    let calculator = UpdatePriorityCalculator(configuration: configuration)
    let now = Given.base
    let vpa = VerticalPodAutoscaler(
      updatePolicy: UpdatePolicy(
        updateMode: given["vpa_update_mode"].string.flatMap(UpdateMode.init(rawValue:))),
      resourcePolicy: Given.resourcePolicy(given["resource_policy"]),
      recommendation: Given.recommendations(given["vpa_recommendation"]))
    let processed =
      Given.recommendations(given["processed_recommendation"]) ?? vpa.recommendation ?? []
    var queued: [PrioritizedPod] = []
    for podJSON in given["pods"].array {
      var pod = Given.pod(podJSON, now: now)
      pod.startTime = now - Given.seconds(given["now_minus_pod_start_s"])
      let priority = Given.priority(given["injected_priorities"][pod.name])
      if let candidate = calculator.prioritized(
        pod, vpa: vpa, processedRecommendation: processed, priority: priority,
        lastInfeasibleAttempt: Given.recommendations(given["last_infeasible_attempt"]), at: now)
      {
        queued.append(candidate)
      }
    }
    let sorted = UpdatePriorityCalculator.sorted(queued).map(\.pod.name)
    if expected.has("sorted_pods") {
      #expect(sorted == expected["sorted_pods"].array.compactMap(\.string))
    }
    if let updated = expected["updated"].bool {
      #expect(!sorted.isEmpty == updated)
    }
  }

  /// Eviction admission by scaling direction.
  static func runAdmission(_ vector: VPAVector) {
    let given = vector.given
    let requirements: [EvictionRequirement]? =
      given["eviction_requirements"].isNull
      ? nil
      : given["eviction_requirements"].array.map { requirement in
        EvictionRequirement(
          resources: requirement["resources"].array.compactMap {
            $0.string.map { ResourceName($0) }
          },
          changeRequirement: requirement["change_requirement"].string.flatMap(
            EvictionChangeRequirement.init(rawValue:)) ?? .targetHigherThanRequests)
      }
    #expect(
      EvictionAdmission.admits(
        Given.pod(given["pod"]), recommendation: Given.recommendations(given["recommendation"]),
        requirements: requirements) == vector.expected["admit"].bool)
  }
}

import AutoscalingCore
import Testing
import _AutoscalingTestSupport
import VerticalAutoscaling

/// Runs every upstream vector of `Fixtures/vpa-vectors.json` (plus `AUTOSCALING_VPA_VECTORS`).
@Suite struct VPAVectorTests {
  @Test func fixtureLoads() {
    let bundled = VPAVectors.bundled
    #expect(bundled.count != nil, "could not read \(VPAVectors.fixturePath)")
    #expect(bundled.vectors.count == bundled.count)
    #expect(Set(bundled.vectors.map(\.id)).count == bundled.vectors.count, "vector ids are unique")
  }

  @Test(arguments: VPAVectors.all)
  func upstreamVector(_ vector: VPAVector) throws {
    switch vector.area {
    case "histogram", "decaying_histogram": try HistogramVectors.run(vector)
    case "checkpoint": try HistogramVectors.runCheckpoint(vector)
    case "container_state": try ContainerVectors.run(vector)
    case "aggregate_state": try ContainerVectors.runAggregate(vector)
    case "estimator": try RecommenderVectors.runEstimator(vector)
    case "recommender": try RecommenderVectors.runRecommender(vector)
    case "recommendation_format": try RecommenderVectors.runFormat(vector)
    case "resource_amount": try RecommenderVectors.runResourceAmount(vector)
    case "capping", "limit_range_capping": try CappingVectors.run(vector)
    case "policy_capping": CappingVectors.runPolicy(vector)
    case "proportional_limit": CappingVectors.runProportionalLimit(vector)
    case "update_priority": UpdaterVectors.runPriority(vector)
    case "update_decision": UpdaterVectors.runDecision(vector)
    case "eviction_admission": UpdaterVectors.runAdmission(vector)
    default: Issue.record("unknown vector area \(vector.area)")
    }
  }
}

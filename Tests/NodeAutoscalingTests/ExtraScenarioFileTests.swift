import Foundation
import Testing

/// A file named by `AUTOSCALING_KARPENTER_SCENARIOS` that cannot be read or decoded must fail
/// the run, not silently add no case.
@Test(
  .enabled(
    if: ProcessInfo.processInfo.environment["AUTOSCALING_KARPENTER_SCENARIOS"]?.isEmpty == false))
func extraKarpenterScenarioFileLoads() throws {
  let path = try #require(ProcessInfo.processInfo.environment["AUTOSCALING_KARPENTER_SCENARIOS"])
  #expect(
    !ScenarioCase.load(path).isEmpty,
    "AUTOSCALING_KARPENTER_SCENARIOS=\(path): unreadable, not scenario JSON, or no case")
}

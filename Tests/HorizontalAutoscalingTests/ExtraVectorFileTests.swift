import Foundation
import Testing
import _AutoscalingTestSupport

/// A file named by `AUTOSCALING_HPA_VECTORS` that cannot be read or decoded must fail the run,
/// not silently add no case.
@Test(
  .enabled(if: ProcessInfo.processInfo.environment["AUTOSCALING_HPA_VECTORS"]?.isEmpty == false))
func extraHPAVectorFileLoads() throws {
  let path = try #require(ProcessInfo.processInfo.environment["AUTOSCALING_HPA_VECTORS"])
  #expect(
    !HPAVector.load(path).isEmpty,
    "AUTOSCALING_HPA_VECTORS=\(path): unreadable, not hpa-vectors/1 JSON, or no case")
}

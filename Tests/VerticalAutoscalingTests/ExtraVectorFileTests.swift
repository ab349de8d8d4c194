import Foundation
import Testing
import _AutoscalingTestSupport

/// A file named by `AUTOSCALING_VPA_VECTORS` that cannot be read or decoded must fail the run,
/// not silently add no case.
@Test(
  .enabled(if: ProcessInfo.processInfo.environment["AUTOSCALING_VPA_VECTORS"]?.isEmpty == false))
func extraVPAVectorFileLoads() throws {
  let path = try #require(ProcessInfo.processInfo.environment["AUTOSCALING_VPA_VECTORS"])
  #expect(
    !VPAVectors.load(path).vectors.isEmpty,
    "AUTOSCALING_VPA_VECTORS=\(path): unreadable, not vpa-vectors JSON, or no case")
}

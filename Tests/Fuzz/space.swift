import AutoscalingTuning
import Foundation

/// The default HPA behavior space, built once (building it per input would dominate the
/// harness's cost).
let baseSpace = try? ParameterSpace.hpaBehaviorDefault(minReplicas: 1, maxReplicas: 20)

/// libFuzzer entry point: the input is a tuning space description (JSON).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSpace(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Data(bytes: data, count: size)
  guard let base = baseSpace,
    let description = try? JSONDecoder().decode(SpaceDescription.self, from: bytes)
  else {
    return 0
  }
  do {
    let space = try description.resolve(over: base)
    // Walk what `autoscale tune` does next: size the grid, map candidates to HPA overrides.
    _ = space.rawSize
    let counts = space.levelCounts
    guard !counts.contains(0) else { return 0 }
    let mapper = try HPAOverrideMapper(space: space)
    for levels in [counts.map { _ in 0 }, counts.map { $0 - 1 }, counts.map { $0 / 2 }] {
      if space.isValid(levels) {
        _ = space.values(levels).map(\.description)
        _ = mapper.overrides(for: levels)
      }
    }
  } catch {
    _ = error.description
  }
  return 0
}

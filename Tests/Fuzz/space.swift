import AutoscalingTuning
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSpace(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Data(bytes: data, count: size)
  guard let description = try? JSONDecoder().decode(SpaceDescription.self, from: bytes) else {
    return 0
  }
  do {
    let base = try ParameterSpace.hpaBehaviorDefault(minReplicas: 1, maxReplicas: 20)
    _ = try description.resolve(over: base)
  } catch {
    _ = error.description
  }
  return 0
}

import AutoscalingTuning
import Foundation

/// The default HPA behavior space, built once (building it per input would dominate the
/// harness's cost).
let baseSpace = try? ParameterSpace.hpaBehaviorDefault(minReplicas: 1, maxReplicas: 20)

/// A behavior with two policies each way, the candidates' starting point.
let writtenBehavior = BehaviorSettings(
  scaleUp: ScalingRulesSettings(
    stabilizationWindowSeconds: 0, selectPolicy: "Max",
    policies: [
      ScalingPolicySettings(type: "Percent", value: 100, periodSeconds: 15),
      ScalingPolicySettings(type: "Pods", value: 4, periodSeconds: 15),
    ]),
  scaleDown: ScalingRulesSettings(
    stabilizationWindowSeconds: 300,
    policies: [
      ScalingPolicySettings(type: "Percent", value: 10, periodSeconds: 60),
      ScalingPolicySettings(type: "Pods", value: 2, periodSeconds: 120),
    ]))

/// Checks the policy list a candidate gives one direction: untouched when it sets no policy
/// field, else its first policy, plus a second one exactly when it sets a second-policy field
/// whose type is not `None`.
func checkPolicies(
  _ direction: HPAOverrides.Direction, written: ScalingRulesSettings?,
  tuned: ScalingRulesSettings?
) {
  let count = tuned?.policies?.count ?? 0
  if !direction.setsPolicy && !direction.setsSecondPolicy {
    guard tuned?.policies == written?.policies else { fatalError("policies changed: \(direction)") }
    return
  }
  let expected = direction.setsSecondPolicy && direction.secondPolicyType != "None" ? 2 : 1
  guard count == expected else {
    fatalError("\(count) policies, expected \(expected): \(direction)")
  }
}

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
        let overrides = mapper.overrides(for: levels)
        let tuned = writtenBehavior.applying(overrides)
        checkPolicies(overrides.scaleUp, written: writtenBehavior.scaleUp, tuned: tuned.scaleUp)
        checkPolicies(
          overrides.scaleDown, written: writtenBehavior.scaleDown, tuned: tuned.scaleDown)
      }
    }
  } catch {
    _ = error.description
  }
  return 0
}

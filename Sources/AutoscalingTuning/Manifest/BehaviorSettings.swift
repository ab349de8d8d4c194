public import AutoscalingCore

/// An HPA `behavior` block as written in a manifest (autoscaling/v2 field names and units),
/// kept as a Codable value so tuning results carry the user's and the tuned behavior.
public struct BehaviorSettings: Sendable, Hashable, Codable {
  /// `behavior.scaleUp`, or `nil` when the manifest leaves it out.
  public var scaleUp: ScalingRulesSettings?
  /// `behavior.scaleDown`, or `nil` when the manifest leaves it out.
  public var scaleDown: ScalingRulesSettings?

  /// Creates a behavior block.
  ///
  /// - Parameters:
  ///   - scaleUp: The scale-up rules.
  ///   - scaleDown: The scale-down rules.
  public init(scaleUp: ScalingRulesSettings? = nil, scaleDown: ScalingRulesSettings? = nil) {
    self.scaleUp = scaleUp
    self.scaleDown = scaleDown
  }

  /// The behavior with a candidate's fields applied; other fields keep the user's values.
  ///
  /// A direction whose first or second policy the candidate sets gets one or two policies
  /// (see ``HPAOverrides``): the first policy's unset fields come from the user's first
  /// policy in that direction, or `Percent 100 / 15 s` (upstream's default first policy for
  /// both directions) when the user has none; the second policy, present when a
  /// `secondPolicy` field is set and its type is not `None`, takes its unset fields from the
  /// user's second policy, or `Pods 4 / 15 s` (upstream's default second scale-up policy).
  ///
  /// - Parameter overrides: The candidate's fields.
  /// - Returns: The tuned behavior.
  public func applying(_ overrides: HPAOverrides) -> BehaviorSettings {
    BehaviorSettings(
      scaleUp: Self.apply(overrides.scaleUp, to: scaleUp),
      scaleDown: Self.apply(overrides.scaleDown, to: scaleDown))
  }

  private static func apply(
    _ direction: HPAOverrides.Direction, to rules: ScalingRulesSettings?
  ) -> ScalingRulesSettings? {
    if direction.isEmpty { return rules }
    var result = rules ?? ScalingRulesSettings()
    if let window = direction.stabilizationWindowSeconds {
      result.stabilizationWindowSeconds = window
    }
    if let select = direction.selectPolicy { result.selectPolicy = select }
    if direction.setsPolicy || direction.setsSecondPolicy {
      let written = result.policies ?? []
      let base =
        written.first ?? ScalingPolicySettings(type: "Percent", value: 100, periodSeconds: 15)
      var policies = [
        ScalingPolicySettings(
          type: direction.policyType ?? base.type, value: direction.policyValue ?? base.value,
          periodSeconds: direction.policyPeriodSeconds ?? base.periodSeconds)
      ]
      if direction.setsSecondPolicy, direction.secondPolicyType != "None" {
        let second =
          written.dropFirst().first
          ?? ScalingPolicySettings(type: "Pods", value: 4, periodSeconds: 15)
        policies.append(
          ScalingPolicySettings(
            type: direction.secondPolicyType ?? second.type,
            value: direction.secondPolicyValue ?? second.value,
            periodSeconds: direction.secondPolicyPeriodSeconds ?? second.periodSeconds))
      }
      result.policies = policies
    }
    if let tolerance = direction.tolerance {
      result.tolerance = ScalingRulesSettings.toleranceQuantity(tolerance)
    }
    return result
  }

  /// The block as YAML, starting with `behavior:`, each line indented by `indent` spaces,
  /// ready to paste under an HPA's `spec:` (pure text; the manifest writer owns whole files).
  ///
  /// - Parameter indent: Spaces before `behavior:` (2 under `spec:`).
  /// - Returns: The YAML text, ending with a newline.
  public func yaml(indent: Int = 2) -> String {
    let pad = String(repeating: " ", count: max(0, indent))
    var lines = ["behavior:"]
    for (name, rules) in [("scaleUp", scaleUp), ("scaleDown", scaleDown)] {
      guard let rules else { continue }
      lines.append("  \(name):")
      if let window = rules.stabilizationWindowSeconds {
        lines.append("    stabilizationWindowSeconds: \(window)")
      }
      if let select = rules.selectPolicy { lines.append("    selectPolicy: \(select)") }
      if let policies = rules.policies {
        if policies.isEmpty {
          lines.append("    policies: []")
        } else {
          lines.append("    policies:")
        }
        for policy in policies {
          lines.append("      - type: \(policy.type)")
          lines.append("        value: \(policy.value)")
          lines.append("        periodSeconds: \(policy.periodSeconds)")
        }
      }
      if let tolerance = rules.tolerance { lines.append("    tolerance: \(tolerance)") }
    }
    if lines.count == 1 { lines[0] = "behavior: {}" }
    return lines.map { pad + $0 + "\n" }.joined()
  }
}

/// One direction's rules (`scaleUp` or `scaleDown`) as written in a manifest.
public struct ScalingRulesSettings: Sendable, Hashable, Codable {
  /// `stabilizationWindowSeconds`, seconds, or `nil` when unset.
  public var stabilizationWindowSeconds: Int?
  /// `selectPolicy` (`Max`, `Min`, `Disabled`), or `nil` when unset.
  public var selectPolicy: String?
  /// `policies`, or `nil` when unset (an empty list is kept as written).
  public var policies: [ScalingPolicySettings]?
  /// `tolerance`, a fraction as a Kubernetes quantity (`50m` is 5 %), or `nil` when unset.
  public var tolerance: Quantity?

  /// Creates a direction's rules.
  ///
  /// - Parameters:
  ///   - stabilizationWindowSeconds: The window, seconds.
  ///   - selectPolicy: The select policy name.
  ///   - policies: The policies.
  ///   - tolerance: The tolerance, a fraction.
  public init(
    stabilizationWindowSeconds: Int? = nil, selectPolicy: String? = nil,
    policies: [ScalingPolicySettings]? = nil, tolerance: Quantity? = nil
  ) {
    self.stabilizationWindowSeconds = stabilizationWindowSeconds
    self.selectPolicy = selectPolicy
    self.policies = policies
    self.tolerance = tolerance
  }

  /// A tolerance fraction as a quantity, rounded to the nearest thousandth (`0.05` → `50m`).
  ///
  /// - Parameter fraction: The tolerance, a fraction ≥ 0.
  /// - Returns: The quantity.
  public static func toleranceQuantity(_ fraction: Double) -> Quantity {
    let milli = (fraction * 1_000).rounded()
    guard milli.isFinite, milli >= 0, milli < 1e15 else { return Quantity.zero }
    return Quantity(milliValue: Int64(milli))
  }
}

/// One scaling policy as written in a manifest.
public struct ScalingPolicySettings: Sendable, Hashable, Codable {
  /// `type`: `Percent` or `Pods`.
  public var type: String
  /// `value`: percent or pods.
  public var value: Int
  /// `periodSeconds`, seconds.
  public var periodSeconds: Int

  /// Creates a policy.
  ///
  /// - Parameters:
  ///   - type: `Percent` or `Pods`.
  ///   - value: Percent or pods.
  ///   - periodSeconds: The period, seconds.
  public init(type: String, value: Int, periodSeconds: Int) {
    self.type = type
    self.value = value
    self.periodSeconds = periodSeconds
  }
}

public import AutoscalingCore

/// The scaling rules of one direction (autoscaling/v2 `HPAScalingRules`).
///
/// Every field is optional, as in the API: `nil` means "not written". The API server fills
/// omitted fields with defaults (``ScalingBehavior/defaulted()``); the controller reads only
/// defaulted rules.
public struct ScalingRules: Hashable, Sendable {
  /// How far back recommendations are considered: whole seconds in 0…3600
  /// (`stabilizationWindowSeconds`). `nil` for scale-down means "use the controller's
  /// downscale stabilization window" (300 s by default).
  public var stabilizationWindow: Duration?
  /// Which policy wins; `nil` defaults to ``ScalingPolicySelect/max``.
  public var selectPolicy: ScalingPolicySelect?
  /// The rate limits; `nil` takes the direction's defaults, and an explicitly empty list is
  /// rejected by validation ("must specify at least one Policy").
  public var policies: [ScalingPolicy]?
  /// The tolerance for this direction as a fraction (0.05 = 5 %); `nil` keeps the
  /// controller's tolerance (KEP-4951, `HPAConfigurableTolerance`).
  public var tolerance: Quantity?

  /// Creates rules; omitted fields stay unset until defaulted.
  ///
  /// - Parameters:
  ///   - stabilizationWindow: The stabilization window, whole seconds in 0…3600.
  ///   - selectPolicy: Which policy wins.
  ///   - policies: The rate limits.
  ///   - tolerance: The direction's tolerance as a fraction, at least 0.
  public init(
    stabilizationWindow: Duration? = nil, selectPolicy: ScalingPolicySelect? = nil,
    policies: [ScalingPolicy]? = nil, tolerance: Quantity? = nil
  ) {
    self.stabilizationWindow = stabilizationWindow
    self.selectPolicy = selectPolicy
    self.policies = policies
    self.tolerance = tolerance
  }

  /// The API server's scale-up defaults (`GenerateHPAScaleUpRules`): window 0 s, select Max,
  /// policies Pods 4 per 15 s and Percent 100 per 15 s, in that order.
  public static let defaultScaleUp = ScalingRules(
    stabilizationWindow: .zero, selectPolicy: .max,
    policies: [.pods(4, per: .seconds(15)), .percent(100, per: .seconds(15))])

  /// The API server's scale-down defaults (`GenerateHPAScaleDownRules`): window unset (the
  /// controller substitutes its downscale stabilization window), select Max, policy
  /// Percent 100 per 15 s.
  public static let defaultScaleDown = ScalingRules(
    stabilizationWindow: nil, selectPolicy: .max, policies: [.percent(100, per: .seconds(15))])

  /// Returns these rules written over `defaults`: each field that is set here replaces the
  /// default (upstream `copyHPAScalingRules`).
  ///
  /// - Parameter defaults: The direction's defaults.
  /// - Returns: The merged rules.
  public func merged(over defaults: ScalingRules) -> ScalingRules {
    ScalingRules(
      stabilizationWindow: stabilizationWindow ?? defaults.stabilizationWindow,
      selectPolicy: selectPolicy ?? defaults.selectPolicy,
      policies: policies ?? defaults.policies,
      tolerance: tolerance ?? defaults.tolerance)
  }
}

/// How fast the HPA may scale in each direction (autoscaling/v2
/// `HorizontalPodAutoscalerBehavior`).
///
/// An HPA *with* a behavior (even an empty one) takes the behavior path of the controller
/// (stabilization windows in both directions and rate-limiting policies); an HPA without one
/// takes the legacy path (a downscale stabilization window and a scale-up cap of
/// `max(2 × current, 4)`).
public struct ScalingBehavior: Hashable, Sendable {
  /// The scale-up rules; `nil` takes ``ScalingRules/defaultScaleUp``.
  public var scaleUp: ScalingRules?
  /// The scale-down rules; `nil` takes ``ScalingRules/defaultScaleDown``.
  public var scaleDown: ScalingRules?

  /// Creates a behavior; omitted directions and fields take the API defaults.
  ///
  /// - Parameters:
  ///   - scaleUp: The scale-up rules.
  ///   - scaleDown: The scale-down rules.
  public init(scaleUp: ScalingRules? = nil, scaleDown: ScalingRules? = nil) {
    self.scaleUp = scaleUp
    self.scaleDown = scaleDown
  }

  /// Returns the behavior with the API server's defaults filled in
  /// (`SetDefaults_HorizontalPodAutoscalerBehavior`).
  ///
  /// Both directions are set afterwards. Written fields are kept; omitted ones come from
  /// ``ScalingRules/defaultScaleUp`` and ``ScalingRules/defaultScaleDown``. The scale-down
  /// window stays `nil` unless written: the controller replaces it with its downscale
  /// stabilization window at every reconcile.
  ///
  /// - Returns: The defaulted behavior.
  public func defaulted() -> ScalingBehavior {
    ScalingBehavior(
      scaleUp: (scaleUp ?? ScalingRules()).merged(over: .defaultScaleUp),
      scaleDown: (scaleDown ?? ScalingRules()).merged(over: .defaultScaleDown))
  }

  /// The fully defaulted behavior of an HPA whose `behavior` is written as `{}`.
  public static let `default` = ScalingBehavior().defaulted()
}

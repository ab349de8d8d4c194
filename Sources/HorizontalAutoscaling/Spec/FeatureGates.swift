/// The Kubernetes feature gates that change HPA validation or decisions.
///
/// The defaults are those of the upstream line this module reproduces (1.36/1.37):
/// configurable tolerance on, scale to zero off, pod-level resources on.
public struct FeatureGates: Hashable, Sendable {
  /// `HPAConfigurableTolerance` (KEP-4951): per-direction `tolerance` in the behavior is
  /// honoured. Beta and on by default since 1.35, GA in 1.37.
  public var configurableTolerance: Bool
  /// `HPAScaleToZero` (KEP-2021): `minReplicas: 0` is accepted and the `ScaledToZero`
  /// condition is maintained. Alpha, off by default.
  public var scaleToZero: Bool
  /// `PodLevelResources`: a pod's pod-level requests replace the sum of its containers'
  /// requests for whole-pod utilization. On by default since 1.34.
  public var podLevelResources: Bool

  /// Creates a gate set; every argument defaults to upstream's default.
  ///
  /// - Parameters:
  ///   - configurableTolerance: `HPAConfigurableTolerance`.
  ///   - scaleToZero: `HPAScaleToZero`.
  ///   - podLevelResources: `PodLevelResources`.
  public init(
    configurableTolerance: Bool = true, scaleToZero: Bool = false, podLevelResources: Bool = true
  ) {
    self.configurableTolerance = configurableTolerance
    self.scaleToZero = scaleToZero
    self.podLevelResources = podLevelResources
  }
}

import AutoscalingCore

/// The kube-controller-manager settings that shape HPA decisions, with upstream's production
/// defaults (`RecommendedDefaultHPAControllerConfiguration`).
///
/// Durations are held in whole milliseconds, so reading them in the reconcile loop is free.
public struct HorizontalAutoscalerOptions: Hashable, Sendable {
  /// `--horizontal-pod-autoscaler-sync-period` in milliseconds (default 15 000). The
  /// controller itself does not use it; a replay calls ``HorizontalAutoscaler/reconcile(_:at:)``
  /// at this period.
  public var syncPeriodMilliseconds: Int64
  /// `--horizontal-pod-autoscaler-tolerance` as a fraction, for both directions (default 0.1).
  public var tolerance: Double
  /// `--horizontal-pod-autoscaler-cpu-initialization-period` in milliseconds
  /// (default 300 000).
  public var cpuInitializationPeriodMilliseconds: Int64
  /// `--horizontal-pod-autoscaler-initial-readiness-delay` in milliseconds (default 30 000).
  public var initialReadinessDelayMilliseconds: Int64
  /// `--horizontal-pod-autoscaler-downscale-stabilization` in milliseconds (default 300 000):
  /// the legacy path's window and the behavior path's scale-down window when unset.
  public var downscaleStabilizationWindowMilliseconds: Int64
  /// The legacy scale-up cap factor (`scaleUpLimitFactor`, 2; upstream's tests use 8).
  public var scaleUpLimitFactor: Double
  /// The legacy scale-up cap floor in replicas (`scaleUpLimitMinimum`, 4).
  public var scaleUpLimitMinimum: Double
  /// The feature gates in force.
  public var featureGates: FeatureGates

  /// Creates options; every argument defaults to upstream's production value.
  ///
  /// - Parameters:
  ///   - syncPeriod: The reconcile period (15 s).
  ///   - tolerance: The tolerance as a fraction (0.1).
  ///   - cpuInitializationPeriod: The CPU initialization period (5 min).
  ///   - initialReadinessDelay: The initial readiness delay (30 s).
  ///   - downscaleStabilizationWindow: The downscale stabilization window (5 min).
  ///   - scaleUpLimitFactor: The legacy scale-up factor (2).
  ///   - scaleUpLimitMinimum: The legacy scale-up floor in replicas (4).
  ///   - featureGates: The feature gates.
  public init(
    syncPeriod: Duration = .seconds(15), tolerance: Double = 0.1,
    cpuInitializationPeriod: Duration = .seconds(300),
    initialReadinessDelay: Duration = .seconds(30),
    downscaleStabilizationWindow: Duration = .seconds(300), scaleUpLimitFactor: Double = 2,
    scaleUpLimitMinimum: Double = 4, featureGates: FeatureGates = FeatureGates()
  ) {
    self.syncPeriodMilliseconds = syncPeriod.wholeMilliseconds
    self.tolerance = tolerance
    self.cpuInitializationPeriodMilliseconds = cpuInitializationPeriod.wholeMilliseconds
    self.initialReadinessDelayMilliseconds = initialReadinessDelay.wholeMilliseconds
    self.downscaleStabilizationWindowMilliseconds = downscaleStabilizationWindow.wholeMilliseconds
    self.scaleUpLimitFactor = scaleUpLimitFactor
    self.scaleUpLimitMinimum = scaleUpLimitMinimum
    self.featureGates = featureGates
  }

  /// The production defaults.
  public static let production = HorizontalAutoscalerOptions()

  /// The reconcile period.
  public var syncPeriod: Duration {
    get { .milliseconds(syncPeriodMilliseconds) }
    set { syncPeriodMilliseconds = newValue.wholeMilliseconds }
  }

  /// The CPU initialization period.
  public var cpuInitializationPeriod: Duration {
    get { .milliseconds(cpuInitializationPeriodMilliseconds) }
    set { cpuInitializationPeriodMilliseconds = newValue.wholeMilliseconds }
  }

  /// The initial readiness delay.
  public var initialReadinessDelay: Duration {
    get { .milliseconds(initialReadinessDelayMilliseconds) }
    set { initialReadinessDelayMilliseconds = newValue.wholeMilliseconds }
  }

  /// The downscale stabilization window.
  public var downscaleStabilizationWindow: Duration {
    get { .milliseconds(downscaleStabilizationWindowMilliseconds) }
    set { downscaleStabilizationWindowMilliseconds = newValue.wholeMilliseconds }
  }
}

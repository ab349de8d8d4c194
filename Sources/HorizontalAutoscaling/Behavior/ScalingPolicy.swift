/// How a scaling policy's value is read (autoscaling/v2 `HPAScalingPolicyType`).
public enum ScalingPolicyType: Hashable, Sendable, CustomStringConvertible {
  /// An absolute number of pods (`Pods`).
  case pods
  /// A percentage of the replica count at the start of the period (`Percent`).
  case percent
  /// A type name this version does not know; validation rejects it.
  case unrecognized(String)

  /// Creates the type from its API name (`"Pods"` or `"Percent"`).
  ///
  /// - Parameter name: The API spelling; anything else becomes ``unrecognized(_:)``.
  public init(name: String) {
    switch name {
    case "Pods": self = .pods
    case "Percent": self = .percent
    default: self = .unrecognized(name)
    }
  }

  /// The API spelling of the type.
  public var name: String {
    switch self {
    case .pods: "Pods"
    case .percent: "Percent"
    case .unrecognized(let name): name
    }
  }

  /// The API spelling of the type.
  public var description: String { name }
}

/// Which policy wins when several apply (autoscaling/v2 `ScalingPolicySelect`).
public enum ScalingPolicySelect: Hashable, Sendable, CustomStringConvertible {
  /// The policy allowing the largest change (`Max`, the default).
  case max
  /// The policy allowing the smallest change (`Min`).
  case min
  /// No scaling in this direction at all (`Disabled`).
  case disabled
  /// A name this version does not know; validation rejects it.
  case unrecognized(String)

  /// Creates the value from its API name (`"Max"`, `"Min"`, `"Disabled"`).
  ///
  /// - Parameter name: The API spelling; anything else becomes ``unrecognized(_:)``.
  public init(name: String) {
    switch name {
    case "Max": self = .max
    case "Min": self = .min
    case "Disabled": self = .disabled
    default: self = .unrecognized(name)
    }
  }

  /// The API spelling of the value.
  public var name: String {
    switch self {
    case .max: "Max"
    case .min: "Min"
    case .disabled: "Disabled"
    case .unrecognized(let name): name
    }
  }

  /// The API spelling of the value.
  public var description: String { name }
}

/// One rate limit on scaling in one direction (autoscaling/v2 `HPAScalingPolicy`).
///
/// A policy allows a change of at most ``value`` pods (``ScalingPolicyType/pods``) or
/// ``value`` percent (``ScalingPolicyType/percent``) of the replica count at the start of a
/// sliding window of ``period``, counting the scale events already made in that window.
public struct ScalingPolicy: Hashable, Sendable {
  /// Whether ``value`` counts pods or percent.
  public var type: ScalingPolicyType
  /// The allowed change: pods, or percent; must be greater than 0.
  public var value: Int
  /// The sliding window the change is measured over: whole seconds in 1…1800
  /// (`periodSeconds`).
  public var period: Duration

  /// Creates a policy.
  ///
  /// - Parameters:
  ///   - type: Pods or Percent.
  ///   - value: The allowed change (pods, or percent).
  ///   - period: The window, whole seconds in 1…1800.
  public init(type: ScalingPolicyType, value: Int, period: Duration) {
    self.type = type
    self.value = value
    self.period = period
  }

  /// A `Pods` policy.
  ///
  /// - Parameters:
  ///   - count: The allowed change in pods.
  ///   - period: The window, whole seconds in 1…1800.
  /// - Returns: The policy.
  public static func pods(_ count: Int, per period: Duration) -> ScalingPolicy {
    ScalingPolicy(type: .pods, value: count, period: period)
  }

  /// A `Percent` policy.
  ///
  /// - Parameters:
  ///   - percent: The allowed change in percent of the count at the start of the period.
  ///   - period: The window, whole seconds in 1…1800.
  /// - Returns: The policy.
  public static func percent(_ percent: Int, per period: Duration) -> ScalingPolicy {
    ScalingPolicy(type: .percent, value: percent, period: period)
  }
}

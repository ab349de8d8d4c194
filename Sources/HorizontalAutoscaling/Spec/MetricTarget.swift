public import AutoscalingCore

/// How a metric's target is expressed (autoscaling/v2 `MetricTargetType`).
public enum MetricTargetType: Hashable, Sendable, CustomStringConvertible {
  /// Average utilization in percent of the pods' requests (`Utilization`).
  case utilization
  /// A total value (`Value`).
  case value
  /// A value per pod (`AverageValue`).
  case averageValue
  /// A type name this version does not know.
  case unrecognized(String)

  /// Creates the type from its API name (`"Utilization"`, `"Value"`, `"AverageValue"`).
  ///
  /// - Parameter name: The API spelling; anything else becomes ``unrecognized(_:)``.
  public init(name: String) {
    switch name {
    case "Utilization": self = .utilization
    case "Value": self = .value
    case "AverageValue": self = .averageValue
    default: self = .unrecognized(name)
    }
  }

  /// The API spelling of the type.
  public var name: String {
    switch self {
    case .utilization: "Utilization"
    case .value: "Value"
    case .averageValue: "AverageValue"
    case .unrecognized(let name): name
    }
  }

  /// The API spelling of the type.
  public var description: String { name }
}

/// The target of one metric (autoscaling/v2 `MetricTarget`).
///
/// Mirrors the API object: a ``type`` plus the one field that type uses. The controller, like
/// upstream, dispatches on which *field* is set (section 4 of the spec), so the field, not
/// the type, decides the computation where the two disagree.
public struct MetricTarget: Hashable, Sendable {
  /// The kind of target.
  public var type: MetricTargetType
  /// The total target value (`Value` targets).
  public var value: Quantity?
  /// The per-pod target value (`AverageValue` targets).
  public var averageValue: Quantity?
  /// The target utilization in percent of the request (`Utilization` targets).
  public var averageUtilization: Int?

  /// Creates a target field by field, as a manifest spells it.
  ///
  /// - Parameters:
  ///   - type: The target type.
  ///   - value: The total value, for `Value`.
  ///   - averageValue: The per-pod value, for `AverageValue`.
  ///   - averageUtilization: The utilization in percent, for `Utilization`.
  public init(
    type: MetricTargetType, value: Quantity? = nil, averageValue: Quantity? = nil,
    averageUtilization: Int? = nil
  ) {
    self.type = type
    self.value = value
    self.averageValue = averageValue
    self.averageUtilization = averageUtilization
  }

  /// A `Utilization` target.
  ///
  /// - Parameter percent: Average utilization in percent of the request.
  /// - Returns: The target.
  public static func utilization(_ percent: Int) -> MetricTarget {
    MetricTarget(type: .utilization, averageUtilization: percent)
  }

  /// An `AverageValue` target.
  ///
  /// - Parameter perPod: The value per pod (for cpu in cores, memory in bytes, custom metrics
  ///   in the metric's unit).
  /// - Returns: The target.
  public static func averageValue(_ perPod: Quantity) -> MetricTarget {
    MetricTarget(type: .averageValue, averageValue: perPod)
  }

  /// A `Value` target.
  ///
  /// - Parameter total: The total value, in the metric's unit.
  /// - Returns: The target.
  public static func value(_ total: Quantity) -> MetricTarget {
    MetricTarget(type: .value, value: total)
  }
}

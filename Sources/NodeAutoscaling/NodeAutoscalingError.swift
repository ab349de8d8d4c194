/// A problem with the input to provisioning or disruption, naming the object and field at fault.
public struct NodeAutoscalingError: Error, Hashable, Sendable, CustomStringConvertible {
  /// What kind of rule the input broke.
  public enum Kind: String, Hashable, Sendable {
    /// Requirements on one key that no value can satisfy together (e.g. `Gt 5` and `Lt 3`).
    case contradictoryRequirements
    /// An operator the requirement algebra does not know.
    case unknownOperator
    /// A resource amount below zero.
    case negativeResource
    /// A value that does not parse or lies outside its allowed range.
    case invalidValue
    /// A required field that is absent or empty.
    case missingField
    /// A reference to an object that does not exist (instance type, NodePool, node).
    case unknownReference
    /// More distinct resource names than the scheduler's fixed-width resource vector holds.
    case tooManyResources
  }

  /// The rule broken.
  public var kind: Kind
  /// The object at fault, e.g. `NodePool "gpu-pool"` or `catalogue row 12`.
  public var object: String
  /// The field at fault, e.g. `spec.template.spec.requirements[1].values`.
  public var field: String
  /// A sentence for the person who reads it: what is wrong and what the rule is.
  public var message: String

  /// Creates an error.
  ///
  /// - Parameters:
  ///   - kind: The rule broken.
  ///   - object: The object at fault.
  ///   - field: The field at fault.
  ///   - message: What is wrong and what the rule is.
  public init(_ kind: Kind, object: String, field: String, message: String) {
    self.kind = kind
    self.object = object
    self.field = field
    self.message = message
  }

  /// `object field: message`.
  public var description: String { "\(object) \(field): \(message)" }
}

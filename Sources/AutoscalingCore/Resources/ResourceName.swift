/// The name of a Kubernetes resource: `cpu`, `memory`, `pods`, `ephemeral-storage`, or an
/// extended resource such as `nvidia.com/gpu`.
public struct ResourceName: RawRepresentable, Hashable, Comparable, Sendable, Codable,
  ExpressibleByStringLiteral, CustomStringConvertible
{
  /// The name as Kubernetes spells it.
  public var rawValue: String

  /// Creates a resource name from its Kubernetes spelling.
  ///
  /// - Parameter rawValue: The name, e.g. `cpu` or `nvidia.com/gpu`.
  public init(rawValue: String) { self.rawValue = rawValue }

  /// Creates a resource name from its Kubernetes spelling.
  ///
  /// - Parameter rawValue: The name, e.g. `cpu` or `nvidia.com/gpu`.
  public init(_ rawValue: String) { self.rawValue = rawValue }

  /// Creates a resource name from a string literal.
  ///
  /// - Parameter value: The name, e.g. `"cpu"`.
  public init(stringLiteral value: String) { self.rawValue = value }

  /// Creates a resource name from its JSON string.
  ///
  /// - Parameter decoder: The decoder to read from.
  /// - Throws: `DecodingError` when the value is not a string.
  public init(from decoder: any Decoder) throws {
    rawValue = try decoder.singleValueContainer().decode(String.self)
  }

  /// Encodes the name as a JSON string.
  ///
  /// - Parameter encoder: The encoder to write to.
  /// - Throws: Whatever the encoder throws.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }

  /// CPU, in cores (quantities such as `500m`).
  public static let cpu: ResourceName = "cpu"
  /// Memory, in bytes (quantities such as `1.5Gi`).
  public static let memory: ResourceName = "memory"
  /// The number of pods a node admits.
  public static let pods: ResourceName = "pods"
  /// Local ephemeral storage, in bytes.
  public static let ephemeralStorage: ResourceName = "ephemeral-storage"
  /// NVIDIA GPUs exposed by the device plugin, in whole devices (or time-sliced replicas).
  public static let nvidiaGPU: ResourceName = "nvidia.com/gpu"

  /// Whether this is an extended resource (a domain-prefixed name such as `nvidia.com/gpu`),
  /// which Kubernetes never overcommits: requests must equal limits.
  public var isExtended: Bool {
    rawValue.contains("/") && !rawValue.hasPrefix("kubernetes.io/")
      && !rawValue.hasPrefix("requests.")
  }

  /// Orders names by their spelling, for deterministic output.
  ///
  /// - Parameters:
  ///   - lhs: A name.
  ///   - rhs: Another name.
  /// - Returns: Whether `lhs` sorts before `rhs`.
  public static func < (lhs: ResourceName, rhs: ResourceName) -> Bool {
    lhs.rawValue < rhs.rawValue
  }

  /// The name as Kubernetes spells it.
  public var description: String { rawValue }
}

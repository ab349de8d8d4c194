/// Why the vertical autoscaler refused an input.
///
/// Every case names the field and the rule it broke, for the person who wrote the input.
public enum VerticalAutoscalingError: Error, Hashable, Sendable, CustomStringConvertible {
  /// Histogram options that upstream would reject.
  case invalidHistogramOptions(String)
  /// A sample weight that is negative, infinite or NaN (upstream panics).
  case invalidSampleWeight(Double)
  /// A sample value that is NaN.
  case invalidSampleValue(Double)
  /// Two histograms with different bucketing schemes or half-lives were merged.
  case histogramOptionsMismatch
  /// A checkpoint that cannot be loaded; the text says which field is wrong.
  case invalidCheckpoint(String)
  /// A checkpoint of a version this recommender does not read.
  case unsupportedCheckpointVersion(found: String, supported: String)
  /// A timestamp that is not RFC 3339.
  case invalidTimestamp(String)
  /// An OOM event older than the memory history it would amend (upstream
  /// `RecordOOM`'s "OOM event will be discarded - it is too old").
  case staleOutOfMemoryEvent(String)
  /// A configuration value out of range; the text names the flag and the rule.
  case invalidConfiguration(String)
  /// A rounding scale that is not positive (upstream: "scale must be greater than zero").
  case nonPositiveScale(Int64)
  /// A container policy whose `minAllowed` exceeds its `maxAllowed` for a resource.
  case minAllowedAboveMaxAllowed(container: String, resource: String)
  /// A resource name the vertical autoscaler does not handle (only `cpu` and `memory`).
  case unsupportedResource(String)
  /// A pod the eviction restriction does not track (no replica creator, or too few replicas).
  case podNotEvictable(pod: String)
  /// Evicting the pod would leave fewer live replicas than the eviction tolerance allows
  /// (upstream: "eviction budget exceeded").
  case evictionBudgetExceeded(pod: String)

  /// A message for the person who wrote the input.
  public var description: String {
    switch self {
    case .invalidHistogramOptions(let text): return "invalid histogram options: \(text)"
    case .invalidSampleWeight(let weight):
      return "sample weight must be a finite number ≥ 0, found \(weight)"
    case .invalidSampleValue(let value): return "sample value must be a number, found \(value)"
    case .histogramOptionsMismatch:
      return "cannot merge histograms with different bucket schemes or half-lives"
    case .invalidCheckpoint(let text): return "invalid histogram checkpoint: \(text)"
    case .unsupportedCheckpointVersion(let found, let supported):
      return "checkpoint version \"\(found)\" is not supported (expected \"\(supported)\")"
    case .invalidTimestamp(let text):
      return "expected an RFC 3339 timestamp such as 2018-01-01T02:03:04Z, found \"\(text)\""
    case .staleOutOfMemoryEvent(let text): return "OOM event discarded: \(text)"
    case .invalidConfiguration(let text): return "invalid configuration: \(text)"
    case .nonPositiveScale(let scale): return "scale must be greater than zero, found \(scale)"
    case .minAllowedAboveMaxAllowed(let container, let resource):
      return
        "container policy \"\(container)\": minAllowed.\(resource) is above maxAllowed.\(resource)"
    case .podNotEvictable(let pod):
      return "pod \(pod) cannot be evicted: it has no replica creator or its group has too few "
        + "live replicas"
    case .evictionBudgetExceeded(let pod):
      return "cannot evict pod \(pod): eviction budget exceeded"
    case .unsupportedResource(let name):
      return "resource \"\(name)\" is not supported by the vertical autoscaler (use cpu or memory)"
    }
  }
}

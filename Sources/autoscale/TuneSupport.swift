import AutoscalingCore
import AutoscalingTraces
import AutoscalingTuning
import Dispatch
import Foundation
import HorizontalAutoscaling
import Synchronization

// Helpers shared by `autoscale tune` and `autoscale merge` (and, for the search flags,
// `autoscale recommend --tune`): flag values, the space file, the tuned manifest, outputs,
// progress and the bridge from the command's synchronous `run` to the tuner's `async` search.

enum TuneFlags {
  /// A fraction written as `0.5%` or `0.005`: in 0…1, or in 0 ≤ F < 1 when `allowOne` is false.
  static func fraction(
    _ text: String, flag: String, allowOne: Bool = true
  ) throws(UsageError) -> Double {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let isPercent = trimmed.hasSuffix("%")
    let number = Double(isPercent ? String(trimmed.dropLast()) : trimmed)
    guard let number, number.isFinite else {
      throw UsageError(
        message: "--\(flag) expects a fraction such as 0.5% or 0.005, got \"\(text)\"")
    }
    let value = isPercent ? number / 100 : number
    guard value >= 0, allowOne ? value <= 1 : value < 1 else {
      let range = allowOne ? "0 … 1 (0 % … 100 %)" : "0 ≤ F < 1 (0 % … 99.9 %)"
      var message = "--\(flag) must be in \(range), got \"\(text)\""
      if !isPercent && number > 1 && number <= 100 { message += "; did you mean \(text)%?" }
      throw UsageError(message: message)
    }
    return value
  }

  /// The stability bound of `--max-scaling-actions`: a whole count (`12`) or a multiple of
  /// the current HPA's actions (`2x`, `1.5x`), neither negative.
  static func scalingActionsBound(_ text: String) throws(UsageError) -> ScalingActionsBound {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if trimmed.hasSuffix("x") || trimmed.hasSuffix("×") {
      if let factor = Double(trimmed.dropLast()), factor.isFinite, factor >= 0 {
        return .timesCurrent(factor)
      }
    } else if let count = Int(trimmed), count >= 0 {
      return .atMost(Double(count))
    }
    throw UsageError(
      message: "--max-scaling-actions expects a whole number ≥ 0 (12) or a multiple of the "
        + "current HPA's actions (2x), got \"\(text)\"")
  }

  /// The search strategy from `--strategy NAME`, `--seed N` and `--initial-samples N` (the
  /// refine search's Latin-hypercube start, 1…budget; refused for other strategies).
  ///
  /// - Parameters:
  ///   - arguments: The command line.
  ///   - defaultName: The strategy when `--strategy` is absent.
  ///   - budget: The search's budget (candidates).
  /// - Returns: The strategy.
  /// - Throws: `UsageError` naming the flag and what it expects.
  static func strategy(
    _ arguments: ParsedArguments, defaultName: String, budget: Int
  ) throws(UsageError) -> Strategy {
    let seedText = arguments.value("seed") ?? "0"
    guard let seed = UInt64(seedText) else {
      throw UsageError(message: "--seed expects a whole number ≥ 0, got \"\(seedText)\"")
    }
    let name = arguments.value("strategy") ?? defaultName
    guard let strategy = Strategy.named(name, seed: seed) else {
      throw UsageError(
        message: "unknown --strategy \"\(name)\"; use grid, random, latin-hypercube, refine "
          + "or halving")
    }
    guard arguments.value("initial-samples") != nil else { return strategy }
    let initial = try arguments.int("initial-samples", default: 0)
    guard case .refine(let refineSeed, _) = strategy else {
      throw UsageError(
        message: "--initial-samples applies to --strategy refine only, not \(strategy.name)")
    }
    guard (1...budget).contains(initial) else {
      throw UsageError(
        message: "--initial-samples expects a whole number from 1 to the budget (\(budget)), "
          + "got \(initial)")
    }
    return .refine(seed: refineSeed, initialSamples: initial)
  }

  /// The `--initial-samples` option, as both tuning commands describe it; `condition` names
  /// the flags it needs.
  static func initialSamplesOption(condition: String = "--strategy refine") -> OptionSpec {
    OptionSpec(
      name: "initial-samples", valueName: "N",
      help: "with \(condition): how many Latin-hypercube samples each start of the search "
        + "draws (it starts again when it converges with budget left); more samples explore "
        + "more of the space before refining, since a local optimum need not be the best the "
        + "space holds",
      defaultValue: "budget/5, at most 10 per dimension, at least 8")
  }

  /// Maps a tuning error to the failure the command reports: wrong flag values are usage
  /// errors (exit 2), everything else a failed command (exit 1).
  static func failure(_ error: TuningError, context: String = "") -> any Error {
    let message = context.isEmpty ? error.description : context + ": " + error.description
    switch error {
    case .invalidBudget, .shardOutOfRange, .invalidShardText, .strategyNotShardable,
      .gridTooLarge:
      return UsageError(message: message)
    default:
      return CommandFailure(message)
    }
  }
}

/// Reads `--space FILE`: JSON, or YAML with the same keys (parsed by the manifest reader and
/// converted to JSON), decoded as a ``SpaceDescription``.
enum SpaceFile {
  static func load(_ path: String) throws(CommandFailure) -> SpaceDescription {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CommandFailure("cannot read space file \(path): it does not exist or is unreadable")
    }
    let documents: [ManifestDocument]
    do {
      documents = try ManifestLoader.parseDocuments(Array(data), file: path)
    } catch {
      throw CommandFailure("space file \(error)")
    }
    guard documents.count == 1, let root = documents.first?.root else {
      throw CommandFailure(
        "space file \(path) must hold exactly one document (found \(documents.count))")
    }
    guard case .mapping = root.value else {
      throw CommandFailure(
        "space file \(path) must be a mapping with 'dimensions', 'exclude', 'constraints', "
          + "'base' (line \(root.line))")
    }
    let json = Data(jsonText(root).utf8)
    do {
      return try JSONDecoder().decode(SpaceDescription.self, from: json)
    } catch let error as DecodingError {
      throw CommandFailure("space file \(path): \(describe(error))")
    } catch {
      throw CommandFailure("space file \(path): \(error)")
    }
  }

  /// The node as JSON text: plain scalars that read as numbers, booleans or null keep that
  /// type; everything else is a string.
  static func jsonText(_ node: ManifestNode) -> String {
    switch node.value {
    case .mapping(let entries):
      return "{"
        + entries.map { quoted($0.key) + ":" + jsonText($0.value) }.joined(separator: ",") + "}"
    case .sequence(let items):
      return "[" + items.map(jsonText).joined(separator: ",") + "]"
    case .scalar(let text, let style):
      guard style == .plain else { return quoted(text) }
      if node.isNull { return "null" }
      if ["true", "True", "TRUE"].contains(text) { return "true" }
      if ["false", "False", "FALSE"].contains(text) { return "false" }
      if let number = Double(text), number.isFinite, !text.hasPrefix("0x") {
        return String(
          number == number.rounded() && abs(number) < 1e15 ? "\(Int64(number))" : "\(number)")
      }
      return quoted(text)
    }
  }

  static func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\t": result += "\\t"
      case "\r": result += "\\r"
      default:
        if scalar.value < 0x20 {
          result += String(format: "\\u%04x", scalar.value)
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result + "\""
  }

  /// A decoding error as `path: what was wrong`.
  static func describe(_ error: DecodingError) -> String {
    func path(_ keys: [any CodingKey]) -> String {
      let text = keys.map { key in
        key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)"
      }.joined()
      return text.hasPrefix(".") ? String(text.dropFirst()) : (text.isEmpty ? "(top)" : text)
    }
    switch error {
    case .typeMismatch(let type, let context):
      let name = "\(type)"
      let expected =
        name.hasPrefix("Array")
        ? "a list"
        : name.hasPrefix("Dictionary")
          ? "a mapping"
          : type == String.self
            ? "text"
            : ["Double", "Int", "Int64"].contains(name)
              ? "a number"
              : "a \(name)"
      return "\(path(context.codingPath)): expected \(expected)"
    case .valueNotFound(_, let context):
      return "\(path(context.codingPath)): missing value"
    case .keyNotFound(let key, let context):
      return "\(path(context.codingPath + [key])): required key is missing"
    case .dataCorrupted(let context):
      return "\(path(context.codingPath)): \(context.debugDescription)"
    @unknown default:
      return "\(error)"
    }
  }
}

/// Writes the user's HPA with the tuned fields as one autoscaling/v2 YAML document, ready for
/// `kubectl apply`: metadata (name, namespace, labels, annotations) from the source file, the
/// scale target and metric identities from the manifest, replica bounds and metric targets
/// from the tuned spec, and the tuned `behavior`.
enum TunedManifest {
  static func yaml(
    hpaPath: String, manifest: HorizontalPodAutoscalerManifest,
    tuned: HorizontalPodAutoscalerSpec, behavior: BehaviorSettings?, comments: [String]
  ) -> String {
    var lines = comments.map { "# " + $0 }
    lines += ["apiVersion: autoscaling/v2", "kind: HorizontalPodAutoscaler", "metadata:"]
    lines += metadata(hpaPath: hpaPath, manifest: manifest)
    lines.append("spec:")
    lines.append("  scaleTargetRef:")
    if !manifest.scaleTargetRef.apiVersion.isEmpty {
      lines.append("    apiVersion: " + scalar(manifest.scaleTargetRef.apiVersion))
    }
    lines.append("    kind: " + scalar(manifest.scaleTargetRef.kind))
    lines.append("    name: " + scalar(manifest.scaleTargetRef.name))
    lines.append("  minReplicas: \(tuned.minReplicas)")
    lines.append("  maxReplicas: \(tuned.maxReplicas)")
    lines.append("  metrics:")
    for (index, metric) in manifest.metrics.enumerated() {
      let target =
        index < tuned.metrics.count ? target(of: tuned.metrics[index]) : nil
      lines += self.metric(metric, target: target)
    }
    var text = lines.map { $0 + "\n" }.joined()
    if let behavior { text += behavior.yaml(indent: 2) }
    return text
  }

  /// The metadata lines (indented by two spaces): name and namespace, and the labels and
  /// annotations of the source document when it can be found (server-set fields and
  /// `last-applied-configuration` are left out).
  static func metadata(hpaPath: String, manifest: HorizontalPodAutoscalerManifest) -> [String] {
    var lines = ["  name: " + scalar(manifest.name)]
    let node = sourceMetadata(hpaPath: hpaPath, manifest: manifest)
    // The namespace as written (none: kubectl's current namespace applies).
    let namespace = node.map { $0["namespace"]?.scalarText ?? "" } ?? manifest.namespace
    if !namespace.isEmpty { lines.append("  namespace: " + scalar(namespace)) }
    guard let node else { return lines }
    for key in ["labels", "annotations"] {
      guard let value = node[key], case .mapping(let entries) = value.value else { continue }
      let kept = entries.filter {
        $0.key != "kubectl.kubernetes.io/last-applied-configuration" && $0.value.scalarText != nil
      }
      guard !kept.isEmpty else { continue }
      lines.append("  \(key):")
      for entry in kept {
        lines.append("    " + scalar(entry.key) + ": " + quoted(entry.value.scalarText ?? ""))
      }
    }
    return lines
  }

  private static func sourceMetadata(
    hpaPath: String, manifest: HorizontalPodAutoscalerManifest
  ) -> ManifestNode? {
    guard let data = FileManager.default.contents(atPath: hpaPath),
      let file = try? ManifestLoader.decode(Array(data), file: hpaPath),
      let documents = try? ManifestLoader.parseDocuments(Array(data), file: hpaPath),
      let item = file.items.first(where: {
        if case .horizontalPodAutoscaler(let hpa) = $0.manifest { return hpa == manifest }
        return false
      }),
      let document = documents.first(where: { $0.index == item.document })
    else { return nil }
    var object = document.root
    if let listIndex = item.listIndex {
      guard let items = object["items"], case .sequence(let list) = items.value,
        list.indices.contains(listIndex)
      else { return nil }
      object = list[listIndex]
    }
    return object["metadata"]
  }

  private static func metric(
    _ metric: HorizontalPodAutoscalerManifest.Metric, target: MetricTarget?
  ) -> [String] {
    let goal = target.map(lines(of:)) ?? lines(of: metric.target)
    switch metric {
    case .resource(let name, _):
      return ["    - type: Resource", "      resource:", "        name: " + scalar(name.rawValue)]
        + goal.map { "        " + $0 }
    case .containerResource(let name, let container, _):
      return [
        "    - type: ContainerResource", "      containerResource:",
        "        name: " + scalar(name.rawValue), "        container: " + scalar(container),
      ] + goal.map { "        " + $0 }
    case .pods(let identifier, _):
      return ["    - type: Pods", "      pods:"] + self.identifier(identifier)
        + goal.map { "        " + $0 }
    case .object(let object, let identifier, _):
      var lines = ["    - type: Object", "      object:", "        describedObject:"]
      if !object.apiVersion.isEmpty {
        lines.append("          apiVersion: " + scalar(object.apiVersion))
      }
      lines += [
        "          kind: " + scalar(object.kind), "          name: " + scalar(object.name),
      ]
      return lines + self.identifier(identifier) + goal.map { "        " + $0 }
    case .external(let identifier, _):
      return ["    - type: External", "      external:"] + self.identifier(identifier)
        + goal.map { "        " + $0 }
    }
  }

  private static func identifier(
    _ identifier: HorizontalPodAutoscalerManifest.MetricIdentifier
  ) -> [String] {
    var lines = ["        metric:", "          name: " + scalar(identifier.name)]
    if let selector = identifier.selector {
      lines.append("          selector:")
      if !selector.matchLabels.isEmpty {
        lines.append("            matchLabels:")
        for key in selector.matchLabels.keys.sorted() {
          lines.append("              \(scalar(key)): \(quoted(selector.matchLabels[key] ?? ""))")
        }
      }
      if !selector.matchExpressions.isEmpty {
        lines.append("            matchExpressions:")
        for requirement in selector.matchExpressions {
          lines.append("              - key: " + scalar(requirement.key))
          lines.append("                operator: " + requirement.operator.rawValue)
          if !requirement.values.isEmpty {
            lines.append(
              "                values: [" + requirement.values.map(quoted).joined(separator: ", ")
                + "]")
          }
        }
      }
      if selector.isEmpty { lines[lines.count - 1] = "          selector: {}" }
    }
    return lines
  }

  private static func lines(of target: MetricTarget) -> [String] {
    var lines = ["target:", "  type: " + target.type.name]
    if let utilization = target.averageUtilization {
      lines.append("  averageUtilization: \(utilization)")
    }
    if let value = target.averageValue { lines.append("  averageValue: \"\(value)\"") }
    if let value = target.value { lines.append("  value: \"\(value)\"") }
    return lines
  }

  private static func lines(of target: HorizontalPodAutoscalerManifest.MetricTarget) -> [String] {
    lines(
      of: MetricTarget(
        type: MetricTargetType(name: target.type.rawValue), value: target.value,
        averageValue: target.averageValue,
        averageUtilization: target.averageUtilization.map(Int.init)))
  }

  /// The target of a tuned metric, whichever source holds it.
  static func target(of metric: MetricSpec) -> MetricTarget? {
    metric.resource?.target ?? metric.containerResource?.target ?? metric.pods?.target
      ?? metric.object?.target ?? metric.external?.target
  }

  /// A key or value written plain when YAML reads it back as the same string, else quoted.
  static func scalar(_ text: String) -> String {
    let safe = text.unicodeScalars.allSatisfy {
      CharacterSet.alphanumerics.contains($0) || "-_./".unicodeScalars.contains($0)
    }
    let reserved = ["true", "false", "null", "yes", "no", "on", "off", "~"]
    if safe, let first = text.unicodeScalars.first, CharacterSet.letters.contains(first),
      !reserved.contains(text.lowercased())
    {
      return text
    }
    return quoted(text)
  }

  static func quoted(_ text: String) -> String { SpaceFile.quoted(text) }
}

/// The files `tune` and `merge` write, opened before the work (so a bad path fails fast) and
/// committed together at the end: whole or not at all.
final class TuningOutputs {
  private var files: [String: AtomicFile] = [:]
  private var order: [String] = []

  /// Opens the file of an output flag when it was given.
  func open(_ flag: String, path: String?) throws(CommandFailure) {
    guard let path else { return }
    files[flag] = try AtomicFile(path: path)
    order.append(flag)
  }

  /// Whether the output flag was given.
  func wants(_ flag: String) -> Bool { files[flag] != nil }

  /// Sets an output's text (nothing is visible until ``commit()``).
  func write(_ flag: String, _ text: String) throws(CommandFailure) {
    try files[flag]?.write(text)
  }

  /// Moves every file into place.
  func commit() throws(CommandFailure) {
    for flag in order { try files[flag]?.commit() }
  }

  /// The result as pretty, key-sorted JSON (stable, so equal results give equal files).
  static func json(_ result: TuningResult) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return String(decoding: try encoder.encode(result), as: UTF8.self) + "\n"
  }
}

/// "search 120/400 (30 %), about 1m12s left" on stderr: one line redrawn in place (for a
/// terminal), or a line at every 10 % of each phase (for logs).
final class TuneProgress: Sendable {
  /// How progress is shown.
  enum Style: Sendable {
    /// One line, redrawn at most 5 times a second and cleared at the end.
    case redrawn
    /// A line each time a phase passes another tenth of its total, 100 % included.
    case lines
    /// Nothing.
    case none
  }

  private struct State {
    var started = ContinuousClock.now
    var phase = ""
    var lastDrawn = ContinuousClock.now - .seconds(1)
    var tenths = 0
  }
  private let state = Mutex(State())
  let style: Style

  init(style: Style) {
    self.style = style
  }

  func update(_ progress: SearchProgress) {
    guard style != .none else { return }
    let now = ContinuousClock.now
    let line: String? = state.withLock { state in
      if state.phase != progress.phase {
        state.phase = progress.phase
        state.started = now
        state.tenths = 0
      }
      switch style {
      case .redrawn:
        guard now - state.lastDrawn >= .milliseconds(200) || progress.completed == progress.total
        else { return nil }
        state.lastDrawn = now
      case .lines:
        let tenths = progress.completed * 10 / max(progress.total, 1)
        guard tenths > state.tenths else { return nil }
        state.tenths = tenths
      case .none:
        return nil
      }
      let elapsed = now - state.started
      let seconds =
        Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
      var text = "\(progress.phase) \(progress.completed)/\(progress.total)"
      text += " (\(progress.completed * 100 / max(progress.total, 1)) %)"
      if progress.completed > 0, progress.completed < progress.total {
        let left =
          seconds / Double(progress.completed) * Double(progress.total - progress.completed)
        text += ", about \(Self.duration(left)) left"
      } else if progress.completed >= progress.total {
        text += ", done in \(Self.duration(seconds))"
      }
      return style == .redrawn ? "\r" + text + "\u{1B}[K" : "tune: " + text + "\n"
    }
    if let line { FileHandle.standardError.write(Data(line.utf8)) }
  }

  func finish() {
    if style == .redrawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
  }

  static func duration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds < 1e7 else { return "?" }
    let whole = max(1, Int(seconds.rounded(.up)))
    if whole < 60 { return "\(whole)s" }
    if whole < 3600 { return "\(whole / 60)m\(String(format: "%02d", whole % 60))s" }
    return "\(whole / 3600)h\(String(format: "%02d", whole / 60 % 60))m"
  }
}

/// Runs an `async` operation from synchronous code: the caller's thread waits while the
/// operation runs on the cooperative pool (never on the waiting thread).
enum Blocking {
  private final class Outcome<Value: Sendable>: Sendable {
    let result = Mutex<Result<Value, TuningError>?>(nil)
  }

  static func run<Value: Sendable>(
    _ operation: @escaping @Sendable () async throws(TuningError) -> Value
  ) throws(TuningError) -> Value {
    let outcome = Outcome<Value>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
      let result: Result<Value, TuningError>
      do throws(TuningError) {
        result = .success(try await operation())
      } catch {
        result = .failure(error)
      }
      outcome.result.withLock { $0 = result }
      done.signal()
    }
    done.wait()
    switch outcome.result.withLock({ $0 }) {
    case .success(let value): return value
    case .failure(let error): throw error
    case nil: throw .invalidInput(reason: "the search ended without a result")
    }
  }
}

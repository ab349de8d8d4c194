import AutoscalingTraces
import Foundation

/// Reads a trace file in any format the inputs module knows.
enum TraceLoading {
  /// The formats `--trace-format` and `convert --from` accept.
  static var formatNames: [String] {
    ["auto", "csv", "prometheus"] + PublicTrace.allCases.map(\.rawValue)
  }

  /// The flags that choose how a Prometheus result with several series becomes columns.
  static let groupingOptions: [OptionSpec] = [
    OptionSpec(
      name: "split-by", valueName: "LABEL",
      help:
        "Prometheus result with several series: one column per value of this label (series "
        + "sharing a value are combined with --fold; a missing sample repeats the last)"),
    OptionSpec(
      name: "fold", valueName: "FN",
      help:
        "Prometheus result with several series: fold them into one column with "
        + Aggregation.allCases.map(\.rawValue).joined(separator: ", ")
        + " (with --split-by: how series sharing a label value combine)",
      defaultValue: "sum with --split-by"),
    OptionSpec(
      name: "skip-invalid", valueName: nil,
      help:
        "Prometheus JSON: drop samples that are NaN or infinite (counted in the trace's notes) "
        + "instead of stopping"),
  ]

  /// The grouping that `--split-by` and `--fold` ask for (`.none`: exactly one series).
  ///
  /// - Throws: `UsageError` for an unknown aggregation or an empty label.
  static func grouping(_ arguments: ParsedArguments) throws(UsageError) -> RowGrouping {
    var aggregation: Aggregation?
    if let name = arguments.value("fold") {
      guard let known = Aggregation(rawValue: name) else {
        throw UsageError(
          message: "unknown --fold \"\(name)\"; use one of: "
            + Aggregation.allCases.map(\.rawValue).joined(separator: ", "))
      }
      aggregation = known
    }
    if let label = arguments.value("split-by") {
      guard !label.isEmpty else { throw UsageError(message: "--split-by expects a label name") }
      return .split(key: label, aggregation: aggregation ?? .sum, fill: .hold)
    }
    if let aggregation { return .fold(aggregation: aggregation, key: nil) }
    return .none
  }

  /// Reads a trace with the grouping and invalid-value flags of `arguments`
  /// (`--split-by`, `--fold`, `--skip-invalid`).
  ///
  /// - Throws: `UsageError` for a bad grouping flag, `CommandFailure` as ``read(path:format:grouping:skipInvalid:)``.
  static func read(path: String, format: String, arguments: ParsedArguments) throws -> TimeSeries {
    try read(
      path: path, format: format, grouping: try grouping(arguments),
      skipInvalid: arguments.flag("skip-invalid"))
  }

  /// Reads a trace; `grouping` applies to Prometheus JSON only.
  ///
  /// - Throws: `CommandFailure` naming the file for a missing or unreadable trace, or a
  ///   grouping given for a format that has no series to group.
  static func read(
    path: String, format: String, grouping: RowGrouping = .none, skipInvalid: Bool = false
  ) throws(CommandFailure) -> TimeSeries {
    guard FileManager.default.fileExists(atPath: path) else {
      throw CommandFailure("trace file \(path) does not exist")
    }
    let isPrometheus = format == "prometheus" || (format == "auto" && path.hasSuffix(".json"))
    if (grouping != .none || skipInvalid) && !isPrometheus {
      let kind = format == "auto" ? "CSV or a public dataset" : format
      throw CommandFailure(
        "--split-by, --fold and --skip-invalid apply to Prometheus JSON; \(path) is read as \(kind)")
    }
    let prometheus = PrometheusOptions(
      grouping: grouping, policies: ReadPolicies(invalidValues: skipInvalid ? .skipRow : .reject))
    do {
      switch format {
      case "auto":
        if isPrometheus { return try TraceReader.readPrometheus(path: path, options: prometheus) }
        if let trace = PublicTrace.detect(path: path) {
          return try PublicTraces.read(trace, path: path)
        }
        return try TraceReader.readCSV(path: path)
      case "csv": return try TraceReader.readCSV(path: path)
      case "prometheus": return try TraceReader.readPrometheus(path: path, options: prometheus)
      default:
        guard let trace = PublicTrace(rawValue: format) else {
          var message = "unknown trace format \"\(format)\"; use one of: "
          message += formatNames.joined(separator: ", ")
          throw CommandFailure(message)
        }
        return try PublicTraces.read(trace, path: path)
      }
    } catch let error as TraceError {
      // The reader names its options; say which flags set them here.
      var hint = ""
      if error.message.contains("choose a grouping") {
        hint = "\nhint: pass --split-by LABEL (one column per label value) or --fold FN (one column)"
      } else if error.message.contains("invalid-value policy skipRow") {
        hint = "\nhint: pass --skip-invalid to drop such samples"
      }
      throw CommandFailure("cannot read trace: \(error)\(hint)")
    } catch let error as CommandFailure {
      throw error
    } catch {
      throw CommandFailure("cannot read trace \(path): \(error)")
    }
  }
}

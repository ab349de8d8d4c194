import AutoscalingTraces
import Foundation

/// Reads a trace file in any format the inputs module knows.
enum TraceLoading {
  /// The formats `--trace-format` and `convert --from` accept.
  static var formatNames: [String] {
    ["auto", "csv", "prometheus"] + PublicTrace.allCases.map(\.rawValue)
  }

  static func read(path: String, format: String) throws(CommandFailure) -> TimeSeries {
    guard FileManager.default.fileExists(atPath: path) else {
      throw CommandFailure("trace file \(path) does not exist")
    }
    do {
      switch format {
      case "auto":
        if path.hasSuffix(".json") { return try TraceReader.readPrometheus(path: path) }
        if let trace = PublicTrace.detect(path: path) {
          return try PublicTraces.read(trace, path: path)
        }
        return try TraceReader.readCSV(path: path)
      case "csv": return try TraceReader.readCSV(path: path)
      case "prometheus": return try TraceReader.readPrometheus(path: path)
      default:
        guard let trace = PublicTrace(rawValue: format) else {
          var message = "unknown trace format \"\(format)\"; use one of: "
          message += formatNames.joined(separator: ", ")
          throw CommandFailure(message)
        }
        return try PublicTraces.read(trace, path: path)
      }
    } catch let error as TraceError {
      throw CommandFailure("cannot read trace: \(error)")
    } catch let error as CommandFailure {
      throw error
    } catch {
      throw CommandFailure("cannot read trace \(path): \(error)")
    }
  }
}

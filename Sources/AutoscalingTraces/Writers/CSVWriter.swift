internal import Foundation

/// Writes the canonical CSV that every reader's output can be converted to (`autoscale
/// convert`) and that ``TraceReader/readCSV(path:options:)`` reads back with default options:
///
/// ```text
/// # swift-autoscaling trace v1
/// # source: qps.csv
/// # note: 24627 rows folded into 1023 samples with sum
/// # unit qps: requests/s (scaled)
/// timestamp_ms,qps
/// 1662859404000,0.09
/// ```
///
/// Timestamps are integer milliseconds; values use the shortest text that reads back to the
/// same double (integers without a decimal point).
public enum CSVWriter: Sendable {
  /// The canonical CSV text of a series.
  ///
  /// - Parameter series: The series.
  /// - Returns: The CSV, ending with a newline.
  public static func csv(_ series: TimeSeries) -> String {
    var output = ""
    write(series) { output += $0 }
    return output
  }

  /// Writes a series to a file as canonical CSV (replacing the file).
  ///
  /// - Parameters:
  ///   - series: The series.
  ///   - path: The destination path.
  /// - Throws: ``TraceError`` when the file cannot be written.
  public static func write(_ series: TimeSeries, to path: String) throws(TraceError) {
    guard FileManager.default.createFile(atPath: path, contents: nil),
      let handle = FileHandle(forWritingAtPath: path)
    else {
      throw TraceError(file: TraceReader.fileName(path), message: "cannot create the file")
    }
    defer { try? handle.close() }
    var buffer = ""
    var failure: (any Error)?
    write(series) { piece in
      buffer += piece
      if buffer.utf8.count >= 1 << 20 {
        do { try handle.write(contentsOf: Data(buffer.utf8)) } catch { failure = error }
        buffer = ""
      }
    }
    do { try handle.write(contentsOf: Data(buffer.utf8)) } catch { failure = error }
    if let failure {
      throw TraceError(file: TraceReader.fileName(path), message: "cannot write: \(failure)")
    }
  }

  /// Streams the canonical CSV of a series in pieces.
  static func write(_ series: TimeSeries, _ emit: (String) -> Void) {
    emit("# swift-autoscaling trace v1\n")
    if !series.source.name.isEmpty { emit("# source: \(oneLine(series.source.name))\n") }
    if !series.source.description.isEmpty {
      emit("# description: \(oneLine(series.source.description))\n")
    }
    for note in series.source.notes { emit("# note: \(oneLine(note))\n") }
    for column in series.columns where !column.unit.isEmpty {
      emit("# unit \(column.name): \(oneLine(column.unit))\n")
    }
    emit("timestamp_ms," + series.columns.map { quoted($0.name) }.joined(separator: ",") + "\n")
    var line = ""
    for index in series.timestamps.indices {
      line.removeAll(keepingCapacity: true)
      line += String(series.timestamps[index])
      for column in series.columns {
        line += ","
        line += number(column.values[index])
      }
      line += "\n"
      emit(line)
    }
  }

  /// The shortest round-tripping text of a finite value; integral values print without `.0`.
  static func number(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
      return String(Int64(value))
    }
    return "\(value)"
  }

  private static func oneLine(_ text: String) -> String {
    text.replacingOccurrences(of: "\n", with: " ")
  }

  private static func quoted(_ name: String) -> String {
    if name.contains(",") || name.contains("\"") || name.hasPrefix(" ") || name.hasSuffix(" ") {
      return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return name
  }
}

internal import Foundation

/// Entry points for reading traces. Each reader is a plain function of bytes (or lines), with
/// a file variant that streams the file in 1 MiB chunks so memory is bounded by the series
/// kept, not by the file size.
///
/// Time is read as Unix seconds or milliseconds, offsets from an origin, or calendar
/// date-times: RFC 3339 (`2026-01-02T03:04:05.678Z`, `+01:00`) and the variants traces use
/// (`2023-11-16 18:17:03.9799600`, `2023.04.02-00:09:00:000` whose last group is
/// milliseconds); a date-time without a zone is UTC.
public enum TraceReader: Sendable {
  /// The chunk size used when streaming files, bytes.
  public static let chunkSize = 1 << 20

  /// Reads a CSV held in memory.
  ///
  /// - Parameters:
  ///   - bytes: The file content (UTF-8).
  ///   - file: The name used in errors.
  ///   - options: Columns, time format, grouping and policies.
  /// - Returns: The series.
  /// - Throws: ``TraceError`` naming file, line, column and what was expected.
  public static func readCSV(
    bytes: [UInt8], file: String = "<input>", options: CSVOptions = .init()
  )
    throws(TraceError) -> TimeSeries
  {
    try CSVStreamParser.read(file: file, options: options, sizeHint: bytes.count) {
      parser throws(TraceError) in
      try withBytes(bytes) { buffer throws(TraceError) in try parser.consume(buffer) }
    }
  }

  /// Reads CSV lines (without their line ends), for tests and generated input.
  ///
  /// - Parameters:
  ///   - lines: The lines, header first.
  ///   - file: The name used in errors.
  ///   - options: Columns, time format, grouping and policies.
  /// - Returns: The series.
  /// - Throws: ``TraceError``.
  public static func readCSV(
    lines: some Sequence<String>, file: String = "<input>", options: CSVOptions = .init()
  ) throws(TraceError) -> TimeSeries {
    var parser = CSVStreamParser(file: file, options: options)
    for line in lines {
      var bytes = Array(line.utf8)
      bytes.append(UInt8(ascii: "\n"))
      try withBytes(bytes) { buffer throws(TraceError) in try parser.consume(buffer) }
    }
    return try parser.finish()
  }

  /// Reads a CSV file, streaming it.
  ///
  /// Memory: the file is read in ``chunkSize`` chunks; the heap holds the kept series (per
  /// kept row a timestamp, a line number and one value per value column; folded without a
  /// key, one slot of about 60 bytes per distinct bucket time), one chunk and the longest
  /// line — not the file. Folded over a key (``RowGrouping/fold(aggregation:key:)``), rows in
  /// time order keep one output row per bucket time plus one slot per key of the latest time
  /// only; when a row goes back to an earlier bucket the file is read a second time on the
  /// general path, which keeps one slot per distinct bucket time and key until the end (as
  /// does ``RowGrouping/split(key:aggregation:fill:)`` always).
  ///
  /// - Parameters:
  ///   - path: The file path; errors name its last component.
  ///   - options: Columns, time format, grouping and policies.
  /// - Returns: The series.
  /// - Throws: ``TraceError`` when the file cannot be read or parsed.
  public static func readCSV(path: String, options: CSVOptions = .init()) throws(TraceError)
    -> TimeSeries
  {
    let name = fileName(path)
    let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
    return try CSVStreamParser.read(file: name, options: options, sizeHint: size) {
      parser throws(TraceError) in
      try forEachChunk(path: path) { chunk throws(TraceError) in try parser.consume(chunk) }
    }
  }

  /// The last path component.
  static func fileName(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
  }

  /// Calls `body` with successive chunks of a file.
  static func forEachChunk(
    path: String, _ body: (UnsafeRawBufferPointer) throws(TraceError) -> Void
  ) throws(TraceError) {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw TraceError(file: fileName(path), message: "cannot open the file (does it exist?)")
    }
    defer { try? handle.close() }
    while true {
      let data: Data
      do {
        guard let chunk = try handle.read(upToCount: chunkSize) else { break }
        data = chunk
      } catch {
        throw TraceError(file: fileName(path), message: "cannot read the file: \(error)")
      }
      if data.isEmpty { break }
      try withBytes(data) { buffer throws(TraceError) in try body(buffer) }
    }
  }

  /// Runs a command (for example `tar -xjOf archive`) and calls `body` with chunks of its
  /// standard output; the command's failure is an error naming `file`.
  static func forEachChunk(
    command: [String], file: String, _ body: (UnsafeRawBufferPointer) throws(TraceError) -> Void
  ) throws(TraceError) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = command
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw TraceError(
        file: file, message: "cannot run \(command.first ?? "") to decompress: \(error)")
    }
    let handle = pipe.fileHandleForReading
    var failure: TraceError?
    while true {
      let data: Data
      do {
        guard let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty else { break }
        data = chunk
      } catch {
        failure = TraceError(file: file, message: "cannot read \(command.first ?? ""): \(error)")
        break
      }
      do throws(TraceError) {
        try withBytes(data) { buffer throws(TraceError) in try body(buffer) }
      } catch {
        failure = error
        break
      }
    }
    if failure != nil && process.isRunning { process.terminate() }
    try? handle.close()
    process.waitUntilExit()
    if let failure { throw failure }
    if process.terminationStatus != 0 {
      throw TraceError(
        file: file,
        message: "\(command.joined(separator: " ")) failed with status \(process.terminationStatus)"
          + " (is the archive complete?)")
    }
  }
}

/// `withUnsafeBytes` over `Data` for a typed-throwing body.
func withBytes<R, E: Error>(_ data: Data, _ body: (UnsafeRawBufferPointer) throws(E) -> R)
  throws(E) -> R
{
  let result: Result<R, E> = data.withUnsafeBytes { buffer in
    do throws(E) {
      return .success(try body(buffer))
    } catch {
      return .failure(error)
    }
  }
  return try result.get()
}

/// Where a reader's bytes come from: a file streamed in ``TraceReader/chunkSize`` chunks, or
/// bytes already in memory (internal; lets every path entry point share its body with the
/// bytes entry point beside it).
enum TraceInput {
  case path(String)
  case bytes([UInt8], name: String)

  /// The name used in errors: the file's last path component, or the given name.
  var name: String {
    switch self {
    case .path(let path): TraceReader.fileName(path)
    case .bytes(_, let name): name
    }
  }

  /// Reads the input as CSV.
  func readCSV(options: CSVOptions) throws(TraceError) -> TimeSeries {
    switch self {
    case .path(let path): try TraceReader.readCSV(path: path, options: options)
    case .bytes(let bytes, let name):
      try TraceReader.readCSV(bytes: bytes, file: name, options: options)
    }
  }

  /// Calls `body` with successive chunks of the input (one chunk for bytes in memory).
  func forEachChunk(_ body: (UnsafeRawBufferPointer) throws(TraceError) -> Void)
    throws(TraceError)
  {
    switch self {
    case .path(let path): try TraceReader.forEachChunk(path: path, body)
    case .bytes(let bytes, _):
      try withBytes(bytes) { buffer throws(TraceError) in try body(buffer) }
    }
  }
}

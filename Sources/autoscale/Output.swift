import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A command that could not do its job (bad file, replay error): message on stderr, exit 1.
struct CommandFailure: Error, CustomStringConvertible {
  var message: String
  init(_ message: String) { self.message = message }
  var description: String { message }
}

/// Standard error, and whether it is a terminal (progress is shown only then).
enum Console {
  static func error(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }

  static var stderrIsTerminal: Bool { isatty(2) == 1 }
}

/// A file written whole or not at all: bytes go to a temporary file beside the destination,
/// which replaces the destination only on `commit()` (an atomic rename). If the process fails
/// first, `discard()` removes the temporary file and the destination is untouched.
final class AtomicFile {
  let path: String
  private let temporaryPath: String
  private var handle: UnsafeMutablePointer<FILE>?
  private var buffer: [UInt8] = []

  init(path: String) throws(CommandFailure) {
    self.path = path
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent().path
    temporaryPath = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())"
    guard let handle = fopen(temporaryPath, "wb") else {
      throw CommandFailure(
        "cannot write \(path): \(String(cString: strerror(errno))); check that the directory "
          + "exists and is writable")
    }
    self.handle = handle
    buffer.reserveCapacity(1 << 16)
  }

  deinit { discard() }

  /// Appends text (buffered).
  func write(_ text: String) throws(CommandFailure) {
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= 1 << 16 { try flush() }
  }

  private func flush() throws(CommandFailure) {
    guard let handle, !buffer.isEmpty else { return }
    let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
    if written != buffer.count {
      throw CommandFailure("cannot write \(path): \(String(cString: strerror(errno)))")
    }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Finishes the file and moves it into place.
  func commit() throws(CommandFailure) {
    try flush()
    guard let handle else { return }
    self.handle = nil
    if fclose(handle) != 0 || rename(temporaryPath, path) != 0 {
      let reason = String(cString: strerror(errno))
      unlink(temporaryPath)
      throw CommandFailure("cannot write \(path): \(reason)")
    }
  }

  /// Drops the temporary file (nothing is written to `path`).
  func discard() {
    if let handle {
      fclose(handle)
      self.handle = nil
      unlink(temporaryPath)
    }
  }

  /// Writes `text` to `path` whole or not at all.
  static func write(_ text: String, to path: String) throws(CommandFailure) {
    let file = try AtomicFile(path: path)
    try file.write(text)
    try file.commit()
  }
}

/// Numbers formatted for people and for CSV (no locale, no exponent for ordinary values).
enum NumberText {
  /// `value` with at most `digits` decimals, trailing zeros dropped; "" for NaN.
  static func format(_ value: Double, digits: Int = 4) -> String {
    guard value.isFinite else { return value.isNaN ? "" : (value > 0 ? "inf" : "-inf") }
    if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
    var text = String(format: "%.\(digits)f", value)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text == "-0" ? "0" : text
  }
}

/// Locates test fixtures and the optional `../shared` folder beside the checkout.
public enum Fixtures: Sendable {
  /// The path of `Fixtures/<name>` beside the calling test file.
  ///
  /// - Parameters:
  ///   - name: A file name inside the test target's `Fixtures/` folder.
  ///   - file: Filled in by the compiler: the calling test file's path.
  /// - Returns: An absolute path.
  public static func path(_ name: String, file: StaticString = #filePath) -> String {
    let testFile = "\(file)"
    let directory = testFile.split(separator: "/", omittingEmptySubsequences: false).dropLast()
      .joined(separator: "/")
    return "\(directory)/Fixtures/\(name)"
  }

  /// The path of `../shared/<relative>` next to the repository root, whether or not it exists.
  ///
  /// - Parameters:
  ///   - relative: A path inside `shared/`, e.g. `traces/SOURCES.md`.
  ///   - file: Filled in by the compiler: the calling test file's path.
  /// - Returns: An absolute path.
  public static func sharedPath(_ relative: String, file: StaticString = #filePath) -> String {
    let parts = "\(file)".split(separator: "/", omittingEmptySubsequences: false)
    // <root>/Tests/<Target>/<File>.swift → <root>/../shared
    guard let testsIndex = parts.lastIndex(of: "Tests") else { return "../shared/\(relative)" }
    let root = parts[..<testsIndex].joined(separator: "/")
    return "\(root)/../shared/\(relative)"
  }

  /// The path of `<relative>` inside the repository (for example `Traces/manifests/x.yaml`).
  ///
  /// - Parameters:
  ///   - relative: A path relative to the repository root.
  ///   - file: Filled in by the compiler: the calling test file's path.
  /// - Returns: An absolute path.
  public static func repositoryPath(_ relative: String, file: StaticString = #filePath) -> String {
    let parts = "\(file)".split(separator: "/", omittingEmptySubsequences: false)
    guard let testsIndex = parts.lastIndex(of: "Tests") else { return relative }
    let root = parts[..<testsIndex].joined(separator: "/")
    return "\(root)/\(relative)"
  }
}

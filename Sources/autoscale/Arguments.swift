// A small, conventional argument parser: `--flag value`, `--flag=value`, boolean `--flag`,
// `--` ending options, `--help`/`-h` per command, and "did you mean" for unknown flags.

/// A wrong command line: printed on stderr with the command's usage line, exit status 2.
struct UsageError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}

/// One option a command accepts.
struct OptionSpec {
  /// The name without dashes, e.g. `trace`.
  var name: String
  /// What the value stands for in help (`FILE`, `N`); `nil` for a boolean flag.
  var valueName: String?
  /// One line of help.
  var help: String
  /// The default, printed in help; `nil` when there is none (or the option is required).
  var defaultValue: String? = nil
  /// Whether the option may be repeated (values accumulate).
  var repeatable = false
  /// Whether the option must be given.
  var required = false
}

/// A command: its options, positional arguments and help text.
struct CommandSpec {
  var name: String
  var summary: String
  /// Positional arguments, e.g. `["IN", "OUT.csv"]`.
  var positionals: [String] = []
  var options: [OptionSpec]
  /// Paragraphs printed after the option list.
  var epilogue: String = ""
  /// The positionals as the usage line shows them, when not simply listed (e.g. a repeated
  /// `FILE.json [FILE.json …]`).
  var positionalUsage: String? = nil

  /// The usage line, e.g. `autoscale convert --from FORMAT IN OUT.csv`.
  var usageLine: String {
    var parts = ["autoscale", name]
    for option in options where option.required {
      parts.append("--\(option.name) \(option.valueName ?? "")")
    }
    if options.contains(where: { !$0.required }) { parts.append("[options]") }
    if let positionalUsage { parts.append(positionalUsage) } else { parts += positionals }
    return parts.joined(separator: " ")
  }

  /// The full `--help` text.
  var help: String {
    var lines = ["\(summary)", "", "usage: \(usageLine)", "", "options:"]
    let rendered =
      options.map { option -> (String, String) in
        let flag = "--\(option.name)" + (option.valueName.map { " \($0)" } ?? "")
        var help = option.help
        if let value = option.defaultValue { help += " (default: \(value))" }
        if option.required { help += " (required)" }
        if option.repeatable { help += " (repeatable)" }
        return (flag, help)
      } + [("--help", "show this help")]
    let width = min(rendered.map(\.0.count).max() ?? 0, 28)
    for (flag, help) in rendered {
      let indent = String(repeating: " ", count: width + 4)
      var line = "  " + flag
      line +=
        flag.count < width + 2
        ? String(repeating: " ", count: width + 2 - flag.count) : "\n" + indent
      var column = flag.count < width + 2 ? width + 4 : indent.count
      for word in help.split(separator: " ") {
        if column + word.count > 100 && column > indent.count {
          line += "\n" + indent
          column = indent.count
        } else if column > indent.count {
          line += " "
          column += 1
        }
        line += word
        column += word.count
      }
      lines.append(line)
    }
    if !epilogue.isEmpty { lines += ["", epilogue] }
    return lines.joined(separator: "\n")
  }
}

/// What a command line said.
struct ParsedArguments {
  /// Option values by name (the last one wins for non-repeatable options).
  var values: [String: [String]] = [:]
  /// Positional arguments in order.
  var positionals: [String] = []

  /// The option's value, or `nil` when absent.
  func value(_ name: String) -> String? { values[name]?.last }

  /// Every value given for a repeatable option, in order.
  func all(_ name: String) -> [String] { values[name] ?? [] }

  /// Whether a boolean flag was given.
  func flag(_ name: String) -> Bool { values[name] != nil }

  /// A required option's value.
  func required(_ name: String) throws(UsageError) -> String {
    guard let value = value(name) else { throw UsageError(message: "missing --\(name)") }
    return value
  }

  /// A number option (finite), or `fallback` when absent.
  func double(_ name: String, default fallback: Double) throws(UsageError) -> Double {
    guard let text = value(name) else { return fallback }
    guard let number = Double(text), number.isFinite else {
      throw UsageError(message: "--\(name) expects a number, got \"\(text)\"")
    }
    return number
  }

  /// An integer option, or `fallback` when absent.
  func int(_ name: String, default fallback: Int) throws(UsageError) -> Int {
    guard let text = value(name) else { return fallback }
    guard let number = Int(text) else {
      throw UsageError(message: "--\(name) expects a whole number, got \"\(text)\"")
    }
    return number
  }

  /// A duration option in seconds (a number, optionally suffixed `ms`, `s`, `m`, `h`, `d`),
  /// returned in milliseconds, or `fallback` (milliseconds) when absent.
  func milliseconds(_ name: String, default fallback: Int64) throws(UsageError) -> Int64 {
    guard let text = value(name) else { return fallback }
    guard let value = DurationText.milliseconds(text) else {
      throw UsageError(
        message: "--\(name) expects a duration such as 30, 30s, 5m, 2h or 1d, got \"\(text)\"")
    }
    return value
  }
}

/// Durations written as `30`, `30s`, `250ms`, `5m`, `2h`, `1d` (a bare number is seconds).
enum DurationText {
  static func milliseconds(_ text: String) -> Int64? {
    let units: [(String, Double)] = [
      ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ]
    for (suffix, scale) in units where text.hasSuffix(suffix) {
      let number = text.dropLast(suffix.count)
      // "ms" also ends with "s": try the longer suffix first (it is listed first).
      if let value = Double(number), value.isFinite, value >= 0, value * scale < 9e18 {
        return Int64((value * scale).rounded())
      }
      return nil
    }
    if let value = Double(text), value.isFinite, value >= 0, value * 1000 < 9e18 {
      return Int64((value * 1000).rounded())
    }
    return nil
  }
}

enum ArgumentParser {
  /// Parses `arguments` (after the command name) for `command`.
  ///
  /// - Returns: The parsed arguments, or `nil` when `--help` was asked for.
  /// - Throws: `UsageError` for unknown options (with a suggestion), missing values, missing
  ///   required options or a wrong number of positional arguments.
  static func parse(_ arguments: [String], for command: CommandSpec) throws(UsageError)
    -> ParsedArguments?
  {
    var parsed = ParsedArguments()
    var index = 0
    var optionsEnded = false
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      if optionsEnded || !argument.hasPrefix("-") || argument == "-" {
        parsed.positionals.append(argument)
        continue
      }
      if argument == "--" {
        optionsEnded = true
        continue
      }
      if argument == "--help" || argument == "-h" { return nil }
      guard argument.hasPrefix("--") else {
        throw UsageError(message: "unknown option \(argument); options start with -- (see --help)")
      }
      var name = String(argument.dropFirst(2))
      var inlineValue: String?
      if let equals = name.firstIndex(of: "=") {
        inlineValue = String(name[name.index(after: equals)...])
        name = String(name[..<equals])
      }
      guard let option = command.options.first(where: { $0.name == name }) else {
        var message = "unknown option --\(name) for \(command.name)"
        if let suggestion = suggestion(for: name, among: command.options.map(\.name)) {
          message += "; did you mean --\(suggestion)?"
        } else {
          message += " (see autoscale \(command.name) --help)"
        }
        throw UsageError(message: message)
      }
      let value: String
      if option.valueName == nil {
        if let inlineValue {
          throw UsageError(
            message: "--\(name) is a flag and takes no value (got \"\(inlineValue)\")")
        }
        value = ""
      } else if let inlineValue {
        value = inlineValue
      } else {
        guard index < arguments.count else {
          throw UsageError(message: "--\(name) needs a value (\(option.valueName ?? "VALUE"))")
        }
        value = arguments[index]
        index += 1
      }
      if option.repeatable {
        parsed.values[name, default: []].append(value)
      } else {
        parsed.values[name] = [value]
      }
    }
    for option in command.options where option.required && parsed.values[option.name] == nil {
      throw UsageError(message: "missing --\(option.name) \(option.valueName ?? "")")
    }
    if parsed.positionals.count != command.positionals.count {
      let expected =
        command.positionals.isEmpty
        ? "no positional arguments" : command.positionals.joined(separator: " ")
      throw UsageError(
        message: "\(command.name) expects \(expected), got \(parsed.positionals.count) "
          + "positional argument(s)\(parsed.positionals.isEmpty ? "" : ": " + parsed.positionals.joined(separator: " "))"
      )
    }
    return parsed
  }

  /// The closest name to `name` (edit distance ≤ 2, or a unique prefix), if any.
  static func suggestion(for name: String, among names: [String]) -> String? {
    let prefixed = names.filter { $0.hasPrefix(name) }
    if prefixed.count == 1 { return prefixed[0] }
    var best: (name: String, distance: Int)?
    for candidate in names {
      let distance = editDistance(name, candidate)
      if distance <= max(2, name.count / 3), distance < (best?.distance ?? .max) {
        best = (candidate, distance)
      }
    }
    return best?.name
  }

  /// Levenshtein distance between two strings (by Unicode scalars).
  static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.unicodeScalars)
    let b = Array(b.unicodeScalars)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = Array(repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}

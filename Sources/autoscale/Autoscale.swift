import Foundation

/// The `autoscale` command-line tool: parses arguments, runs a subcommand, maps failures to
/// exit statuses (0 ok, 1 failed, 2 bad usage) with messages on stderr.
@main
enum Autoscale {
  static var commands: [(spec: CommandSpec, run: (ParsedArguments) throws -> Void)] {
    [
      (ReplayCommand.spec, ReplayCommand.run),
      (ConvertCommand.spec, ConvertCommand.run),
      (RecommendCommand.spec, RecommendCommand.run),
      (TuneCommand.spec, TuneCommand.run),
      (MergeCommand.spec, MergeCommand.run),
      (PackCommand.spec, PackCommand.run),
      (ConsolidateCommand.spec, ConsolidateCommand.run),
      (NodeReplayCommand.spec, NodeReplayCommand.run),
    ]
  }

  static var overview: String {
    var lines = [
      "autoscale — replay Kubernetes autoscalers over metric traces", "",
      "usage: autoscale <command> [options]", "", "commands:",
    ]
    for command in commands {
      lines.append(
        "  " + command.spec.name.padding(toLength: 12, withPad: " ", startingAt: 0)
          + command.spec.summary)
    }
    lines += ["", "Run `autoscale <command> --help` for a command's options."]
    return lines.joined(separator: "\n")
  }

  static func main() {
    exit(run(Array(CommandLine.arguments.dropFirst())))
  }

  /// Runs a command line and returns the exit status.
  static func run(_ arguments: [String]) -> Int32 {
    guard let name = arguments.first else {
      Console.error(overview)
      return 2
    }
    if name == "--help" || name == "-h" || name == "help" {
      print(overview)
      return 0
    }
    guard let command = commands.first(where: { $0.spec.name == name }) else {
      var message = "error: unknown command \"\(name)\""
      if let suggestion = ArgumentParser.suggestion(for: name, among: commands.map(\.spec.name)) {
        message += "; did you mean \(suggestion)?"
      }
      Console.error(message + "\n\n" + overview)
      return 2
    }
    do {
      guard let parsed = try ArgumentParser.parse(Array(arguments.dropFirst()), for: command.spec)
      else {
        print(command.spec.help)
        return 0
      }
      try command.run(parsed)
      return 0
    } catch let error as UsageError {
      Console.error("error: \(error.message)\nusage: \(command.spec.usageLine)")
      return 2
    } catch let error as CommandFailure {
      Console.error("error: \(error.message)")
      return 1
    } catch {
      Console.error("error: \(error)")
      return 1
    }
  }
}

// The autoscale command-line tool. Subcommands land with the replay issue.
@main
enum Autoscale {
  static func main() {
    print("usage: autoscale <command> [options]")
  }
}

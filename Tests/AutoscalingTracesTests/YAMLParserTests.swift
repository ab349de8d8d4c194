import AutoscalingTraces
import Foundation
import Testing

/// Renders a node as compact JSON-like text: scalars quoted (plain scalars marked with `~` when
/// they are null), mappings `{k:v,...}`, sequences `[a,b]`.
func render(_ node: ManifestNode) -> String {
  switch node.value {
  case .scalar(let text, _):
    if node.isNull { return "null" }
    return "\"" + text.replacingOccurrences(of: "\n", with: "\\n") + "\""
  case .sequence(let items): return "[" + items.map(render).joined(separator: ",") + "]"
  case .mapping(let entries):
    return "{" + entries.map { "\($0.key):" + render($0.value) }.joined(separator: ",") + "}"
  }
}

struct YAMLCase: CustomTestStringConvertible, Sendable {
  var name: String
  var yaml: String
  var expected: [String]
  var testDescription: String { name }
}

@Suite struct YAMLParserTests {
  // Each expectation is the YAML 1.2 reading of the snippet, worked out by hand from the spec
  // (block scalars: chapter 8; flow: chapter 7; quoting and escapes: section 7.3).
  static let cases: [YAMLCase] = [
    YAMLCase(name: "block mapping", yaml: "a: 1\nb: two\n", expected: [#"{a:"1",b:"two"}"#]),
    YAMLCase(
      name: "nested mapping and sequence",
      yaml: "spec:\n  containers:\n    - name: x\n      image: y\n    - name: z\n",
      expected: [#"{spec:{containers:[{name:"x",image:"y"},{name:"z"}]}}"#]),
    YAMLCase(
      name: "compact sequence under a key",
      yaml: "items:\n- a\n- b\nnext: c\n", expected: [#"{items:["a","b"],next:"c"}"#]),
    YAMLCase(
      name: "flow sequence and mapping",
      yaml: "values: [\"spot\", 'on-demand', plain]\nm: {a: 1, \"b\": [x, y], c: }\n",
      expected: [#"{values:["spot","on-demand","plain"],m:{a:"1",b:["x","y"],c:null}}"#]),
    YAMLCase(
      name: "multi-line flow",
      yaml: "args: [\n  --a,  # first\n  --b\n]\n", expected: [#"{args:["--a","--b"]}"#]),
    YAMLCase(
      name: "comments everywhere",
      yaml: "# head\na: 1 # trailing\n\n# between\nb: 'x # not a comment'\n",
      expected: [#"{a:"1",b:"x # not a comment"}"#]),
    YAMLCase(
      name: "double-quoted escapes",
      yaml: #"s: "tab\there \"q\" \u00e9 \x41 \\ end""# + "\n",
      expected: ["{s:\"tab\there \"q\" é A \\ end\"}"]),
    YAMLCase(name: "single-quoted escape", yaml: "s: 'it''s'\n", expected: [#"{s:"it's"}"#]),
    YAMLCase(
      name: "quoted folding over lines", yaml: "s: \"one\n  two\n\n  three\"\n",
      expected: [#"{s:"one two\nthree"}"#]),
    YAMLCase(
      name: "plain scalar continued", yaml: "s: one\n  two\nt: x\n",
      expected: [#"{s:"one two",t:"x"}"#]),
    YAMLCase(
      name: "literal block clip", yaml: "c: |\n  line1\n    indented\n  line3\n\nd: 1\n",
      expected: [#"{c:"line1\n  indented\nline3\n",d:"1"}"#]),
    YAMLCase(
      name: "literal block strip", yaml: "c: |-\n  a\n  b\n\n\n", expected: [#"{c:"a\nb"}"#]),
    YAMLCase(
      name: "literal block keep", yaml: "c: |+\n  a\n\n\nd: 1\n",
      expected: [#"{c:"a\n\n\n",d:"1"}"#]),
    YAMLCase(
      name: "folded block", yaml: "f: >\n  one\n  two\n\n  three\n    more\n  four\n",
      expected: [#"{f:"one two\nthree\n  more\nfour\n"}"#]),
    YAMLCase(
      name: "explicit indentation indicator", yaml: "c: |2\n    indented\n  base\n",
      expected: [#"{c:"  indented\nbase\n"}"#]),
    YAMLCase(
      name: "documents", yaml: "---\na: 1\n---\n# only a comment\n---\nb: 2\n...\n",
      expected: [#"{a:"1"}"#, #"{b:"2"}"#]),
    YAMLCase(
      name: "sequence of sequences", yaml: "- - a\n  - b\n- c\n", expected: [#"[["a","b"],"c"]"#]),
    YAMLCase(
      name: "null values", yaml: "a:\nb: ~\nc: null\nd: ''\n",
      expected: [#"{a:null,b:null,c:null,d:""}"#]),
    YAMLCase(
      name: "colon inside values", yaml: "image: registry:5000/app:v1\nurl: http://x/y\n",
      expected: [#"{image:"registry:5000/app:v1",url:"http://x/y"}"#]),
    YAMLCase(
      name: "quoted keys", yaml: "\"a b\": 1\n'c': 2\n", expected: [#"{a b:"1",c:"2"}"#]),
    YAMLCase(name: "CRLF line ends", yaml: "a: 1\r\nb: 2\r\n", expected: [#"{a:"1",b:"2"}"#]),
    YAMLCase(
      name: "JSON object", yaml: #"{"a": [1, 2.5e3, true, null], "b": {"c": "d\n"}}"#,
      expected: [#"{a:["1","2.5e3","true",null],b:{c:"d\n"}}"#]),
  ]

  @Test(arguments: cases)
  func parses(_ testCase: YAMLCase) throws {
    let documents = try ManifestLoader.parseDocuments(Array(testCase.yaml.utf8), file: "t.yaml")
    #expect(documents.map { render($0.root) } == testCase.expected)
  }

  @Test func documentIndexCountsEmptyDocuments() throws {
    let documents = try ManifestLoader.parseDocuments(
      Array("a: 1\n---\n---\nb: 2\n".utf8), file: "t.yaml")
    #expect(documents.map(\.index) == [1, 3])
  }

  @Test func linesAreRemembered() throws {
    let documents = try ManifestLoader.parseDocuments(
      Array("# c\nspec:\n  metrics:\n    - type: Pods\n".utf8), file: "t.yaml")
    let item = try #require(documents.first?.root["spec"]?["metrics"])
    guard case .sequence(let items) = item.value else {
      Issue.record("not a sequence")
      return
    }
    #expect(items[0]["type"]?.line == 4)
    #expect(items[0]["type"]?.column == 13)
  }
}

struct BadYAMLCase: CustomTestStringConvertible, Sendable {
  var name: String
  var yaml: String
  var message: String
  var testDescription: String { name }
}

@Suite struct YAMLErrorTests {
  // Expected messages and positions counted by hand in each snippet.
  static let cases: [BadYAMLCase] = [
    BadYAMLCase(
      name: "anchor", yaml: "a: &x 1\nb: *x\n",
      message:
        "t.yaml: document 1: anchors (&name) are not supported; write the value out in full (line 1, column 4)"
    ),
    BadYAMLCase(
      name: "alias", yaml: "a:\n  - *x\n",
      message:
        "t.yaml: document 1: aliases (*name) are not supported; write the value out in full (line 2, column 5)"
    ),
    BadYAMLCase(
      name: "tag", yaml: "---\na: !!str 1\n",
      message:
        "t.yaml: document 1: tags (!tag) are not supported; remove the tag (line 2, column 4)"),
    BadYAMLCase(
      name: "tab indentation", yaml: "a:\n\tb: 1\n",
      message:
        "t.yaml: document 1: tabs are not allowed for indentation; indent with spaces (line 2, column 1)"
    ),
    BadYAMLCase(
      name: "bad indentation", yaml: "a: 1\n  b: 2\n",
      message:
        "t.yaml: document 1: unexpected indentation: this line is indented under a value that is already complete; align it with its sibling keys (line 2, column 3)"
    ),
    BadYAMLCase(
      name: "bad indentation after a mapping", yaml: "a:\n  b: 1\n    c: 2\n",
      message:
        "t.yaml: document 1: unexpected indentation: this line is indented under a value that is already complete; align it with its sibling keys (line 3, column 5)"
    ),
    BadYAMLCase(
      name: "sequence entry among keys", yaml: "a: 1\n- b\n",
      message:
        "t.yaml: document 1: expected a key at column 1, found a sequence entry \"- \" (line 2, column 1)"
    ),
    BadYAMLCase(
      name: "duplicate key", yaml: "---\na: 1\n---\nb: 1\nb: 2\n",
      message: "t.yaml: document 2: duplicate key \"b\" (line 5, column 1)"),
    BadYAMLCase(
      name: "unterminated quote", yaml: "a: \"abc\n",
      message:
        "t.yaml: document 1: unterminated quoted string (the closing \" is missing) (line 1, column 4)"
    ),
    BadYAMLCase(
      name: "unterminated flow", yaml: "a: [1, 2\n",
      message: "t.yaml: document 1: unterminated flow sequence (missing ]) (line 1, column 4)"),
    BadYAMLCase(
      name: "truncated JSON", yaml: "{\"a\": [1, 2",
      message:
        "t.yaml: unexpected end of input (the JSON is truncated): expected \",\" or \"]\" in an array (line 1, column 12)"
    ),
    // Nesting is limited to 128 levels (found by fuzzing: ~4,000 "[" exhausted the stack; 512
    // levels still overflowed a concurrency thread's stack in a debug build under
    // AddressSanitizer). The root mapping is level 1 and a value on its key's line adds none,
    // so the first "[" is level 2 and the 128th "[" (column 3 + 128) fails.
    BadYAMLCase(
      name: "flow nesting beyond 128 levels", yaml: "a: " + String(repeating: "[", count: 4_000),
      message: "t.yaml: document 1: YAML nested more than 128 levels deep (line 1, column 131)"),
    // The fuzzer's reproducer: a comment line, then brackets; the root is level 1, so the
    // 128th "[" fails.
    BadYAMLCase(
      name: "flow nesting after a comment", yaml: "#{\n" + String(repeating: "[", count: 4_000),
      message: "t.yaml: document 1: YAML nested more than 128 levels deep (line 2, column 128)"),
    // Compact nested sequences, "- " per level from column 1: level 129 starts at column 257.
    BadYAMLCase(
      name: "block nesting beyond 128 levels", yaml: String(repeating: "- ", count: 600) + "x\n",
      message: "t.yaml: document 1: YAML nested more than 128 levels deep (line 1, column 257)"),
    // JSON: the outermost array is depth 0, so the 129th "[" (column 129) is one too many.
    BadYAMLCase(
      name: "JSON nesting beyond 128 levels", yaml: String(repeating: "[", count: 4_000),
      message: "t.yaml: JSON nested more than 128 levels deep (line 1, column 129)"),
    BadYAMLCase(
      name: "mapping on the key's line", yaml: "a: b: c\n",
      message:
        "t.yaml: document 1: a mapping cannot start on the same line as its parent key; move it to its own line (line 1, column 5)"
    ),
  ]

  /// Documents nested exactly to the limit parse, with the innermost value where it was put.
  /// Every node counts as a level, the innermost scalar included.
  @Test("nesting up to 128 levels is accepted in flow YAML, block YAML and JSON")
  func nestingAtTheLimit() throws {
    // Flow: root mapping (level 1), 126 sequences (levels 2–127), the scalar (level 128).
    let flow = "a: " + String(repeating: "[", count: 126) + "7" + String(repeating: "]", count: 126)
    // Block: 127 compact sequence levels, the scalar at level 128.
    let block = String(repeating: "- ", count: 127) + "7\n"
    // JSON: 127 arrays at depths 0–126, the scalar at depth 127.
    let json = String(repeating: "[", count: 127) + "7" + String(repeating: "]", count: 127)
    for (text, sequences) in [(flow, 126), (block, 127), (json, 127)] {
      let documents = try ManifestLoader.parseDocuments(Array(text.utf8), file: "t.yaml")
      var node = try #require(documents.first).root
      if case .mapping(let entries) = node.value, let entry = entries.first { node = entry.value }
      var count = 0
      while case .sequence(let items) = node.value, items.count == 1 {
        node = items[0]
        count += 1
      }
      #expect(count == sequences)
      #expect(node.value == .scalar("7", .plain))
    }
  }

  @Test(arguments: cases)
  func rejects(_ testCase: BadYAMLCase) {
    #expect(throws: ManifestError.self) {
      try ManifestLoader.parseDocuments(Array(testCase.yaml.utf8), file: "t.yaml")
    }
    do {
      _ = try ManifestLoader.parseDocuments(Array(testCase.yaml.utf8), file: "t.yaml")
    } catch {
      #expect(error.description == testCase.message)
    }
  }
}

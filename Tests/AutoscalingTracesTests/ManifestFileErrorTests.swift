import AutoscalingTraces
import Testing
import _AutoscalingTestSupport

@Suite struct ManifestFileErrorTests {
  @Test func missingFileSaysSo() {
    #expect {
      _ = try ManifestLoader.load(path: "/nonexistent-directory/hpa.yaml")
    } throws: { error in
      "\(error)".contains("hpa.yaml: no such file (looked for /nonexistent-directory/hpa.yaml)")
    }
  }

  @Test func directoryIsNotAManifest() {
    let directory = Fixtures.repositoryPath("Traces")
    #expect {
      _ = try ManifestLoader.load(path: directory)
    } throws: { error in
      "\(error)".contains("Traces: cannot read the file")
    }
  }
}

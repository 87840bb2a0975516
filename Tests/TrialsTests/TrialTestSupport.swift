import Foundation
@testable import Trials

/// A fresh temporary folder for one test.
func temporaryFolder(_ name: String) -> String {
    let path = NSTemporaryDirectory() + "trials-tests-\(name)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func plan(_ yaml: String, directory: String? = nil) throws -> TrialPlan {
    try TrialPlan(try TrialSpec.parse(yaml, file: "test.yaml"), specText: yaml,
                  directory: directory.map { URL(fileURLWithPath: $0) })
}

/// One-compartment exponential decay: x' = -k x, x(0) = 10.
let decayModel = """
model decay()
  compartment c = 1;
  species x in c;
  x' = -k*x;
  x = 10;
  k = 0.5;
end
"""

import Foundation
import ImmuneTwin

/// The built-in example: a virtual cohort of the Reynolds 2006 acute-inflammation model, with and without
/// an anti-inflammatory intervention, classified into the paper's three outcomes at 200 h.
enum Demo {
    static func run(out: String, patients: Int, seed: UInt64) throws {
        throw InputError("demo not yet available")
    }
}

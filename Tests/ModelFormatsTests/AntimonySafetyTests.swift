import Foundation
import ModelIR
import Testing
@testable import ModelFormats

/// Mangled input must be rejected with an error, never crash the reader, and whatever is accepted must
/// survive a write/read round trip.
@Suite struct AntimonySafetyTests {
    /// A small seeded generator (SplitMix64) so every run mangles the same way.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let pieces: [String] = [
        "(", ")", ";", "\n", ":", "=", ":=", "'", "$", "->", "=>", ",", "+", "*", "/*", "*/", "//", "#", "\"", "at ",
        " after ", "end", "model ", "function ", "species ", "compartment ", "const ", "unit ", " in ", " is ", " has ",
        "1e", ".", "-", "0", "x", "é", "\u{0}",
    ]

    @Test(arguments: ["reynolds", "kitchen_sink", "rules", "implicit"])
    func mangledInputThrowsOrRoundTrips(name: String) throws {
        let text = try String(contentsOf: AntimonyConformanceTests.directory.appendingPathComponent("\(name).ant"),
                              encoding: .utf8)
        var rng = SplitMix(state: UInt64(name.utf8.count) &* 7919)
        var accepted = 0
        for _ in 0..<300 {
            var scalars = Array(text.unicodeScalars)
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let at = Int.random(in: 0...scalars.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0 where at < scalars.count:
                    scalars.removeSubrange(at..<min(scalars.count, at + Int.random(in: 1...8, using: &rng)))
                default:
                    let piece = Self.pieces[Int.random(in: 0..<Self.pieces.count, using: &rng)]
                    scalars.insert(contentsOf: piece.unicodeScalars, at: at)
                }
            }
            let mangled = String(String.UnicodeScalarView(scalars))
            guard let model = try? AntimonyReader.read(string: mangled) else { continue }
            accepted += 1
            let written = AntimonyWriter.write(model)
            #expect(try AntimonyReader.read(string: written) == model, "input:\n\(mangled)\nwritten:\n\(written)")
        }
        #expect(accepted < 300)
    }
}

import Foundation
import Testing
import ModelIR
@testable import ModelFormats

/// A small seeded generator (SplitMix64) so the mutation test is reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct SBMLMutationTests {
    /// Documents with bytes replaced, inserted or deleted at random are read or rejected with an error;
    /// the reader never traps. `SBML_MUTATIONS` and `SBML_MUTATION_SEED` scale the run up for fuzzing.
    @Test func mutatedDocumentsNeverCrash() throws {
        var sources = [Array(SBMLReaderTests.level3.utf8)]
        for url in SBMLTestData.suiteModels().prefix(40) {
            if let data = try? Data(contentsOf: url) { sources.append(Array(data)) }
        }
        let env = ProcessInfo.processInfo.environment
        let count = env["SBML_MUTATIONS"].flatMap { Int($0) } ?? 1500
        var rng = SplitMix64(state: env["SBML_MUTATION_SEED"].flatMap { UInt64($0) } ?? 20_261_123)
        let alphabet = Array("<>/=\"' &;!?-0123456789.eE+INFaN:xmlns".utf8) + [0, 0xFF, 0xC3]
        var outcomes = (read: 0, rejected: 0)
        for i in 0..<count {
            var bytes = sources[i % sources.count]
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let p = Int.random(in: 0..<max(bytes.count, 1), using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0 where !bytes.isEmpty: bytes[p] = alphabet.randomElement(using: &rng) ?? 0
                case 1: bytes.insert(alphabet.randomElement(using: &rng) ?? 0, at: min(p, bytes.count))
                default: if !bytes.isEmpty { bytes.remove(at: p) }
                }
            }
            do {
                _ = try SBMLReader.read(data: Data(bytes))
                outcomes.read += 1
            } catch {
                outcomes.rejected += 1
            }
        }
        #expect(outcomes.read + outcomes.rejected == count)
        #expect(outcomes.rejected > 0)
    }
}

@Suite struct SBMLEncodingTests {
    @Test func invalidUTF8IsRejectedWithItsPosition() {
        var bytes = Array(sbmlDocument("<model id=\"m\"/>").utf8)
        let position = bytes.firstIndex(of: UInt8(ascii: "m")) ?? 0
        bytes.insert(0xC3, at: position + 1)
        do {
            _ = try SBMLReader.read(data: Data(bytes))
            Issue.record("accepted invalid UTF-8")
        } catch {
            #expect("\(error)".contains("invalid UTF-8 at byte"), "\(error)")
        }
    }

    @Test func utf16IsRejected() throws {
        let data = try #require(sbmlDocument("<model id=\"m\"/>").data(using: .utf16))
        do {
            _ = try SBMLReader.read(data: data)
            Issue.record("accepted UTF-16")
        } catch {
            #expect("\(error)".contains("SBML documents must be UTF-8"), "\(error)")
        }
    }

    @Test func utf8ByteOrderMarkAndNonASCIINamesAreAccepted() throws {
        let text = "\u{FEFF}" + sbmlDocument("<model id=\"m\" name=\"Zytokin-Modell für T-Zellen – α\"/>")
        #expect(try SBMLReader.read(string: text).name == "Zytokin-Modell für T-Zellen – α")
    }
}

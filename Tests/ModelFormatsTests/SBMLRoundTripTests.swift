import Foundation
import Testing
import ModelIR
@testable import ModelFormats

@Suite struct SBMLRoundTripTests {
    /// Every test-suite model without packages reads, writes and reads back to an equal model.
    @Test(.enabled(if: SBMLTestData.semanticSuite != nil, "the SBML test suite is not available"))
    func suiteModelsRoundTrip() throws {
        var readFailures: [String] = []
        var roundTripFailures: [String] = []
        var checked = 0
        for url in SBMLTestData.suiteModels() {
            let data = try Data(contentsOf: url)
            guard let info = try? SBMLReader.inspect(data: data), info.packages.isEmpty else { continue }
            let model: Model
            do {
                model = try SBMLReader.read(data: data, file: url.lastPathComponent)
            } catch {
                readFailures.append("\(url.lastPathComponent): \(error)")
                continue
            }
            checked += 1
            let text = SBMLWriter.write(model)
            do {
                let again = try SBMLReader.read(string: text, file: "written " + url.lastPathComponent)
                if !sameModel(again, model.normalisedForSBMLLevel3()) {
                    roundTripFailures.append(url.lastPathComponent)
                }
            } catch {
                roundTripFailures.append("\(url.lastPathComponent): \(error)")
            }
        }
        #expect(checked > 1000)
        #expect(readFailures.isEmpty, "\(readFailures.count) read failures:\n\(readFailures.joined(separator: "\n"))")
        #expect(roundTripFailures.isEmpty, "\(roundTripFailures.count) round-trip failures:\n\(roundTripFailures.prefix(30).joined(separator: "\n"))")
    }
}

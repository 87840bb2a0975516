import ModelIR
import ModelLibrary
import Testing

@Suite struct LibraryAPITests {
    static let expected = ["baccam2006", "crauste2017", "depillis2005", "depillis2006", "goyal2020", "hanson2016",
                           "kirschner_panetta1998", "perelson1996", "reynolds2006"]

    @Test func namesListEveryModelSorted() {
        #expect(ModelLibrary.names == Self.expected)
    }

    @Test func unknownNameThrowsWithTheAvailableNames() {
        for call in [{ _ = try ModelLibrary.model(named: "reynolds") },
                     { _ = try ModelLibrary.entry(named: "reynolds") },
                     { _ = try ModelLibrary.antimonySource(named: "reynolds") }] {
            #expect(throws: ModelLibraryError.unknownModel(name: "reynolds", available: Self.expected)) { try call() }
        }
        let message = ModelLibraryError.unknownModel(name: "x", available: ["a", "b"]).description
        #expect(message == "unknown built-in model 'x'; available: a, b")
    }

    @Test func pathLikeNamesAreRejected() {
        #expect(throws: ModelLibraryError.self) { _ = try ModelLibrary.antimonySource(named: "../Models/reynolds2006") }
    }

    @Test func modelCarriesProvenanceMetadata() throws {
        let model = try ModelLibrary.model(named: "perelson1996")
        #expect(model.id == "perelson1996")
        #expect(model.timeUnit == "day")
        #expect(model.metadata["library.name"] == "perelson1996")
        #expect(model.metadata["doi"] == "10.1126/science.271.5255.1582")
        #expect(try ModelLibrary.model(named: "hanson2016").timeUnit == nil)
    }

    @Test func describeNamesEverySection() throws {
        let text = try ModelLibrary.entry(named: "kirschner_panetta1998").describe()
        for heading in ["kirschner_panetta1998: Kirschner & Panetta 1998", "Reference: Kirschner D, Panetta JC",
                        "Time unit: day", "States", "Parameters", "Treatment inputs", "Observables",
                        "Population variability defaults", "Scenarios", "Published checks"] {
            #expect(text.contains(heading), "missing '\(heading)'")
        }
        #expect(text.contains("  s1 "))
        #expect(text.contains("[L] aci-paper"))
        #expect(text.contains("[H] il2-threshold"))
        #expect(text.contains("uniform 0..0.05"))
        let crauste = try ModelLibrary.entry(named: "crauste2017").describe()
        #expect(crauste.contains("none (no treatment in this model)"))
    }
}

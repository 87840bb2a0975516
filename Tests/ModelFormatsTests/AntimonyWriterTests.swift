import Foundation
import ModelIR
import Testing
@testable import ModelFormats

/// `AntimonyWriter`: readable output, and `read(write(m)) == m` for models the reader produced.
@Suite struct AntimonyWriterTests {
    static let roundTripTexts: [String] = [
        "x = 1",
        "S1 -> S2; k1 * S1 * E\nspecies E\nk1 = 0.1; S1 = 10; S2 = S1 / 2",
        """
        function f(a, b) a * b / (1 + a) end
        model m()
          unit per_hour = 1 / hour; unit time_unit = hour
          compartment c = 2; var compartment v; v = 3; compartment w
          species A in c = 1 per_hour, $B in c; substanceOnly species X in v = 4
          J1: A + 2.5 B => X; k * A; -> A; f(k, 2); A -> ; ; X -> ; kx * X
          k = 0.1 per_hour; kx has per_hour; z := k * 2; y' = -y; y = 1; 0 = q - 1; q = 1
          var free = 2; const unset; w = z * 3; A = k * 10
          E1: at 2 after (time > 5), priority = 3, t0 = false, persistent = false, fromTrigger = false: k = 0, A = A + 1
          at (A < 0.5): kx = kx * 2
          A is "Pathogen \\"A\\""; J1 is "Conversion"; E1 is "Switch"; c is "Blood"
        end
        m is "Round-trip model"
        """,
        "A -> B; k; B -> A; k2; at (time > 1): k = -2.5e-12; k = inf; k2 = 1e300; species C = -0; C' = -inf",
    ]

    static let fixtures = AntimonyConformanceTests.fixtures

    /// Elements named like Antimony constants (possible in SBML) are renamed, not misread; keywords read back.
    @Test func reservedNamesAreEscapedEverywhere() throws {
        let model = Model(id: "m", compartments: [Compartment(id: "species", size: 2)],
                          species: [Species(id: "time", compartment: "species", initialConcentration: 1)],
                          parameters: [Parameter(id: "NaN", value: 2), Parameter(id: "pi", value: 3), Parameter(id: "pi_", value: 4),
                                       Parameter(id: "x", constant: false)],
                          reactions: [Reaction(id: "const", reactants: [SpeciesReference(species: "time")],
                                               kineticLaw: .binary(.multiply, .symbol("NaN"), .symbol("time")))],
                          rules: [.assignment(variable: "x", math: .binary(.add, .symbol("pi"), .symbol("pi_")))])
        let back = try AntimonyReader.read(string: AntimonyWriter.write(model))
        #expect(back.compartments.map(\.id) == ["species"])
        #expect(back.species.map(\.id) == ["time_"])
        #expect(back.parameters.first { $0.id == "NaN_" }?.value == 2)
        #expect(back.parameters.first { $0.id == "pi__" }?.value == 3)
        #expect(back.parameters.first { $0.id == "pi_" }?.value == 4)
        #expect(back.rules == [.assignment(variable: "x", math: .binary(.add, .symbol("pi__"), .symbol("pi_")))])
        #expect(back.reactions.first?.id == "const")
        #expect(back.reactions.first?.kineticLaw == .binary(.multiply, .symbol("NaN_"), .symbol("time_")))
    }

    @Test(arguments: roundTripTexts)
    func roundTripsText(text: String) throws {
        let model = try AntimonyReader.read(string: text)
        let written = AntimonyWriter.write(model)
        let back = try AntimonyReader.read(string: written)
        #expect(back == model, "written as:\n\(written)")
        #expect(AntimonyWriter.write(back) == written)
    }

    @Test(arguments: fixtures)
    func roundTripsFixture(name: String) throws {
        let model = try AntimonyReader.read(
            contentsOf: AntimonyConformanceTests.directory.appendingPathComponent("\(name).ant"))
        let written = AntimonyWriter.write(model)
        #expect(try AntimonyReader.read(string: written) == model, "written as:\n\(written)")
    }

    /// The built-in library's Antimony models (found beside this package's sources; none when absent).
    static let libraryModels: [URL] = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/ModelLibrary/Models")
        let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        return files.filter { $0.pathExtension == "ant" }.sorted { $0.path < $1.path }
    }()

    @Test(arguments: libraryModels)
    func roundTripsLibraryModel(url: URL) throws {
        let model = try AntimonyReader.read(contentsOf: url)
        let written = AntimonyWriter.write(model)
        #expect(try AntimonyReader.read(string: written) == model, "written as:\n\(written)")
    }

    @Test func writesReadableReynolds() throws {
        let model = try AntimonyReader.read(
            contentsOf: AntimonyConformanceTests.directory.appendingPathComponent("reynolds.ant"))
        let text = AntimonyWriter.write(model)
        for line in [
            "model reynolds2006()", "  compartment tissue = 1;", "  species P in tissue;", "  species Ca in tissue = 0.125;",
            "  var inhib, fN, R, fND;", "  kpg = 0.3;", "  inhib := 1 + (Ca / cinf)^2;",
            "  P_growth: -> P; tissue * kpg * P * (1 - P / pinf);", "  N_decay: N -> ; tissue * mun * N;",
            "  // Initial assignments", "  P = P0;", "end",
        ] {
            #expect(text.contains(line + "\n"), "missing \(line) in\n\(text)")
        }
    }

    @Test func writesEventsUnitsAndNames() throws {
        let text = AntimonyWriter.write(try AntimonyReader.read(string: Self.roundTripTexts[2]))
        for line in [
            "function f(a, b)\n  a * b / (1 + a);\nend", "  unit time_unit = hour;", "  unit per_hour = 1/hour;",
            "  var compartment v = 3;", "  species A in c;", "  A has per_hour;", "  species $B in c;",
            "  k = 0.1 per_hour;", "  var kx, z;",
            "  substanceOnly species X in v = 4;", "  J1: A + 2.5 $B => X; k * A;", "  _J1: A -> ;",
            "  E1: at 2 after (time > 5), priority = 3, t0 = false, persistent = false, fromTrigger = false: k = 0, A = A + 1;",
            "  kx has per_hour;", "  0 = q - 1;", "  y' = -y;", "  A = k * 10;", "  A is \"Pathogen \\\"A\\\"\";",
            "m is \"Round-trip model\";",
        ] {
            #expect(text.contains(line + "\n"), "missing \(line) in\n\(text)")
        }
    }

    /// Models from elsewhere (SBML) may use what Antimony cannot say; the writer keeps the meaning.
    @Test func writesConstructsFromOtherFormats() throws {
        let model = Model(
            id: "other", compartments: [Compartment(id: "c", size: 2)],
            species: [
                Species(id: "A", compartment: "c", initialAmount: 6),
                Species(id: "X", compartment: "c", initialConcentration: 3, hasOnlySubstanceUnits: true),
                Species(id: "K", compartment: "c", initialConcentration: 1, constant: true),
            ],
            reactions: [Reaction(id: "R", reactants: [SpeciesReference(species: "A")], modifiers: ["K"],
                                 kineticLaw: .binary(.multiply, .symbol("kl"), .symbol("A")),
                                 localParameters: [Parameter(id: "kl", value: 0.5)])],
            metadata: ["doi": "10.1000/x\nsecond line"])
        let text = AntimonyWriter.write(model)
        #expect(text.contains("// doi: 10.1000/x second line\n"))
        #expect(text.contains("  species A in c = 6 / c;\n"))
        #expect(text.contains("  substanceOnly species X in c = 3 * c;\n"))
        #expect(text.contains("  species $K in c = 1;\n"))
        #expect(text.contains("  R: A -> ; 0.5 * A;\n") || text.contains("  R: A => ; 0.5 * A;\n"))
        let back = try AntimonyReader.read(string: text)
        #expect(back.initialAssignments.map(\.symbol) == ["A", "X"])
        #expect(back.species.first { $0.id == "K" }?.boundaryCondition == true)
    }
}

import Foundation
import ModelIR
import Testing
@testable import ModelFormats

/// Reads the Reynolds et al. (2006) acute inflammation model, the project's benchmark Antimony file, in
/// full: the shared copy (`../shared/bench/reynolds.ant` beside the checkout, when present) and the
/// fixture copy (always).
@Suite struct AntimonyReynoldsTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/bench/reynolds.ant")
    static let fixture = AntimonyConformanceTests.directory.appendingPathComponent("reynolds.ant")

    static var sources: [URL] {
        FileManager.default.fileExists(atPath: shared.path) ? [fixture, shared] : [fixture]
    }

    @Test(arguments: sources)
    func readsReynolds(url: URL) throws {
        let m = try AntimonyReader.read(contentsOf: url)
        func parse(_ text: String) throws -> MathExpression { try ExpressionParser.parse(text) }

        #expect(m.id == "reynolds2006")
        #expect(m.compartments == [Compartment(id: "tissue", size: 1)])
        #expect(m.species.map(\.id) == ["P", "N", "D", "Ca"])
        #expect(m.species.allSatisfy { $0.compartment == "tissue" && !$0.hasOnlySubstanceUnits && !$0.boundaryCondition })
        #expect(m.species.map(\.initialConcentration) == [nil, 0, 0, 0.125])
        #expect(try m.initialAssignments == [InitialAssignment(symbol: "P", math: parse("P0"))])

        #expect(m.parameters.count == 26)
        let values = Dictionary(uniqueKeysWithValues: m.parameters.compactMap { p in p.value.map { (p.id, $0) } })
        let expected: [String: Double] = [
            "P0": 1, "kpg": 0.3, "pinf": 20, "kpm": 0.6, "sm": 0.005, "mum": 0.002, "kmp": 0.01, "kpn": 1.8,
            "knp": 0.1, "knn": 0.01, "knd": 0.02, "snr": 0.08, "munr": 0.12, "mun": 0.05, "kdn": 0.35, "xdn": 0.06,
            "mud": 0.02, "cinf": 0.28, "sc": 0.0125, "kcn": 0.04, "kcnd": 48, "muc": 0.1,
        ]
        #expect(values == expected)
        #expect(m.parameters.filter { $0.value == nil }.map(\.id) == ["inhib", "fN", "R", "fND"])
        #expect(m.parameters.filter { !$0.constant }.map(\.id) == ["inhib", "fN", "R", "fND"])

        #expect(try m.rules == [
            .assignment(variable: "inhib", math: parse("1 + (Ca/cinf)^2")),
            .assignment(variable: "fN", math: parse("N / inhib")),
            .assignment(variable: "R", math: parse("(knn*N + knp*P + knd*D) / inhib")),
            .assignment(variable: "fND", math: parse("(N + kcnd*D) / inhib")),
        ])

        #expect(m.reactions.count == 10)
        let laws: [(String, [String], [String], String)] = [
            ("P_growth", [], ["P"], "tissue * kpg*P*(1 - P/pinf)"),
            ("P_local", ["P"], [], "tissue * kpm*sm*P/(mum + kmp*P)"),
            ("P_killing", ["P"], [], "tissue * kpn*fN*P"),
            ("N_recruit", [], ["N"], "tissue * snr*R/(munr + R)"),
            ("N_decay", ["N"], [], "tissue * mun*N"),
            ("D_make", [], ["D"], "tissue * kdn*fN^6/(xdn^6 + fN^6)"),
            ("D_repair", ["D"], [], "tissue * mud*D"),
            ("Ca_source", [], ["Ca"], "tissue * sc"),
            ("Ca_make", [], ["Ca"], "tissue * kcn*fND/(1 + fND)"),
            ("Ca_decay", ["Ca"], [], "tissue * muc*Ca"),
        ]
        for (reaction, (id, reactants, products, law)) in zip(m.reactions, laws) {
            #expect(reaction.id == id)
            #expect(reaction.reactants.map(\.species) == reactants && reaction.products.map(\.species) == products)
            #expect((reaction.reactants + reaction.products).allSatisfy { $0.stoichiometry == 1 })
            #expect(try reaction.kineticLaw == parse(law), "\(id)")
            #expect(reaction.reversible, "\(id): '->' is reversible in Antimony")
            #expect(reaction.modifiers.isEmpty)
        }
        #expect(m.events.isEmpty && m.functions.isEmpty && m.metadata.isEmpty && m.timeUnit == nil)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: shared.path), "../shared/bench/reynolds.ant is absent"))
    func bothCopiesAgree() throws {
        #expect(try AntimonyReader.read(contentsOf: Self.shared) == AntimonyReader.read(contentsOf: Self.fixture))
    }
}

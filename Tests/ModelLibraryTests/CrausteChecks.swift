import Foundation
import ModelIR
import ModelLibrary
import Simulation
import Testing

/// Catalog §4 checks for crauste2017 against the PEtab benchmark's simulatedData
/// (Benchmark-Models-PEtab commit 4d208508, simulatedData_Crauste_CellSystems2017.tsv).
///
/// Solver: rtol 1e-11 (atol 1e-10 cells). The pathogen's quadratic growth makes the day-10 peak very
/// sensitive (an LSODA run at rtol 1e-8 is off by 3e-3 on day 13), so the reference is integrated
/// tightly; two independent scipy integrators at 1e-11..1e-13 agree with ours to 1e-9.
/// Tolerances: up to day 8 the reference agrees with an accurate solution to 1e-7 (SBML values), so
/// rtol 1e-6 (the catalog's advice). From day 13 on the reference itself carries 1e-5..3e-5 relative
/// integration error (found while writing this test; the catalog's "6+ digits" holds only to day 8),
/// so rtol 5e-5 there.
@Suite struct CrausteChecks {
    static let name = "crauste2017"
    static let options = SolverOptions(relativeTolerance: 1e-11, absoluteTolerance: 1e-10)

    /// (observable species, time, simulatedData value)
    static let simulatedData: [(String, Double, Double)] = [
        ("N", 4, 392.5227992745), ("N", 6, 83.7721232473),
        ("E", 4, 274.4785423604), ("E", 6, 1490.9575198805), ("E", 7, 9788.8505315656), ("E", 8, 177098.729499603),
        ("E", 13, 6488.5091957407), ("E", 15, 1753.9038593417), ("E", 22, 41.3897042165),
        ("L", 6, 880.4512881766), ("L", 7, 2899.8203241728), ("L", 8, 32233.9961951573), ("L", 13, 47758.996654736),
        ("L", 15, 27940.4207271249), ("L", 22, 10127.5088744956), ("L", 28, 6074.645941717),
        ("M", 8, 321.0462560533), ("M", 13, 14512.4829560434), ("M", 15, 16148.9208662994), ("M", 22, 18755.5378831584),
        ("M", 28, 19813.5385185715),
    ]
    static let times: [Double] = [4, 6, 7, 8, 13, 15, 22, 28]

    static func compare(_ r: SimulationResult, earlyTolerance: Double, label: String) {
        for (species, t, value) in simulatedData {
            let row = times.firstIndex(of: t)!
            expectClose(r[species, row], value, rtol: t <= 8 ? earlyTolerance : 5e-5, "\(label) \(species)(\(t))")
        }
    }

    @Test func petabSimulatedData() throws {
        let r = try Library.simulate(Self.name, times: Self.times, options: Self.options)
        Self.compare(r, earlyTolerance: 1e-6, label: "SBML values")
        // The PEtab parameter table's values (the benchmark's nominal parameters) match to ~1e-9 early.
        let scenario = try #require(try ModelLibrary.entry(named: Self.name).scenario("petab_parameter_table"))
        let table = try Library.simulate(Self.name, times: Self.times, inputs: scenario.inputs, options: Self.options)
        Self.compare(table, earlyTolerance: 1e-8, label: "parameter-table values")
    }

    /// The catalog's own values for times/species not in simulatedData (printed to 4-5 digits).
    @Test func catalogRegressionValues() throws {
        let r = try Library.simulate(Self.name, times: [4, 6, 8, 28], options: Self.options)
        expectClose(r["L", 0], 254.51, atol: 0.005, "L(4)")
        expectClose(r["M", 0], 7.963, atol: 5e-4, "M(4)")
        expectClose(r["M", 1], 29.63, atol: 0.005, "M(6)")
        expectClose(r["N", 2], 15.68, atol: 0.005, "N(8)")
        expectClose(r["E", 3], 1.845, atol: 5e-4, "E(28)")
    }

    /// Peaks on a 0.001 d grid refined by a parabola; tolerance half a unit of the printed digits.
    @Test func peaks() throws {
        let r = try Library.simulate(Self.name, times: Library.grid(9, 11, step: 0.001), options: Self.options)
        let p = peak(times: r.times, values: try #require(r.series("P")))
        expectClose(p.value, 61.5, atol: 0.05, "P max")
        expectClose(p.time, 9.84, atol: 0.005, "time of P max (d)")
        let e = peak(times: r.times, values: try #require(r.series("E")))
        expectClose(e.value, 7.84e5, atol: 500, "E max")
        expectClose(e.time, 9.87, atol: 0.005, "time of E max (d)")
        let l = peak(times: r.times, values: try #require(r.series("L")))
        expectClose(l.value, 2.18e5, atol: 500, "L max")
        expectClose(l.time, 10.09, atol: 0.005, "time of L max (d)")
    }
}

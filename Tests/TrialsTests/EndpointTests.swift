import Foundation
import Testing
@testable import Trials

@Suite("Trial endpoints against analytic values")
struct EndpointTests {
    /// x(t) = 10 e^{-k t} (+ 5 e^{-k (t-1)} after a bolus of 5 at t = 1 in the "dosed" arm).
    @Test func decayEndpointsMatchClosedForms() throws {
        let dir = temporaryFolder("decay")
        try decayModel.write(toFile: dir + "/decay.ant", atomically: true, encoding: .utf8)
        let rtol = 1e-9
        let yaml = """
        name: decay
        model: decay.ant
        seed: 1
        sample_size: 12
        design: matched
        solver: {method: dopri5, rtol: \(rtol), atol: 1.0e-12}
        population:
          parameters:
            k: {distribution: lognormal, median: 0.5, cv: 0.3}
        arms:
          - name: untreated
          - name: dosed
            regimen: [{bolus: x, amount: 5, at: 1}]
        follow_up: {end: 20, points: 201}
        endpoints:
          - {name: x2, type: value, observable: x, time: 2}
          - {name: auc, type: auc, observable: x, from: 0, to: 4}
          - {name: peak, type: peak, observable: x, from: 0, to: 20}
          - {name: t1, type: time_to, observable: x, below: 1}
          - {name: low, type: responder, rule: "x2 < 4"}
        """
        let p = try plan(yaml, directory: dir)
        let result = try TrialRunner(plan: p, threads: 2).run()
        #expect(result.rows.count == 24)
        // the global error of an adaptive run is a small multiple of the local tolerance; allow 1000 rtol
        let tol = 1000 * rtol
        for row in result.rows {
            #expect(row.status == "success")
            let k = row.parameters[0]
            let dosed = row.arm == 1
            func x(_ t: Double) -> Double { 10 * exp(-k * t) + (dosed && t >= 1 ? 5 * exp(-k * (t - 1)) : 0) }
            let auc = 10 / k * (1 - exp(-4 * k)) + (dosed ? 5 / k * (1 - exp(-3 * k)) : 0)
            // time to x = 1: undosed ln(10)/k; dosed: (10 + 5 e^{k}) e^{-k t} = 1
            let t1 = dosed ? log(10 + 5 * exp(k)) / k : log(10) / k
            let e = row.endpoints
            #expect(abs(e[0] - x(2)) <= tol * x(2), "x(2) k=\(k)")
            #expect(abs(e[1] - auc) <= tol * auc, "auc k=\(k)")
            #expect(abs(e[2] - max(10, x(1))) <= tol * 10, "peak k=\(k)")
            if t1 <= 20 {
                #expect(abs(e[3] - t1) <= tol * t1 + 1e-9, "time to 1, k=\(k)")
                #expect(e[4] == 1)
            } else {
                #expect(e[3] == 20 && e[4] == 0, "censored at the end of follow-up, k=\(k)")
            }
            #expect(e[5] == (x(2) < 4 ? 1 : 0))
        }
    }
}

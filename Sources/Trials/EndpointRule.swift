import Cohorts
import Simulation

/// How one endpoint is computed from a simulation result (columns and rows resolved).
enum EndpointRule: Sendable {
    case value(column: Int, row: Int)
    case auc(column: Int, from: Int, to: Int)
    case peak(column: Int, from: Int, to: Int)
    case timeTo(column: Int)
    case responder(Formula?)

    /// Appends this endpoint's values (two for time-to-event: time and event indicator 1/0) to `values`.
    /// `slots` holds covariates, parameters and the endpoint values so far (what responder rules see).
    func append(to values: inout [Double], slots: inout [Double], result: SimulationResult, censorAt end: Double) {
        let ok = result.status.isSuccess && !result.times.isEmpty
        switch self {
        case .value(let c, let r):
            push(ok ? result[r, c] : .nan)
        case .auc(let c, let a, let b):
            push(ok ? result[b, c] - result[a, c] : .nan)
        case .peak(let c, let a, let b):
            var m = -Double.infinity
            if ok { for r in a...b { m = max(m, result[r, c]) } }
            push(ok ? m : .nan)
        case .timeTo(let c):
            if ok {
                let t = result[result.times.count - 1, c]
                let happened = t > TrialModel.notYet / 10
                push(happened ? t : end)
                push(happened ? 1 : 0)
            } else {
                push(.nan)
                push(.nan)
            }
        case .responder(let f):
            push(ok ? (f!.evaluate(slots) != 0 ? 1 : 0) : .nan)
        }
        func push(_ v: Double) {
            values.append(v)
            slots.append(v)
        }
    }
}

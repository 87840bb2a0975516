import Simulation

/// A regimen item resolved against the model: its reference event (index into the spec's events) and, for
/// a switched input with a duration, the input whose patient value is restored afterwards.
struct ResolvedDose: Sendable {
    let item: RegimenItem
    let event: Int?
    let restore: Int?

    init(_ item: RegimenItem, event: Int?, restore: Int?) {
        self.item = item
        self.event = event
        self.restore = restore
    }

    /// The doses for a patient whose reference time is `reference` (0 for infection, the event time otherwise);
    /// `patientValue` is the target's own value (restored at the end of a timed `set`).
    func doses(reference: Double, patientValue: Double) -> [Dose] {
        var out: [Dose] = []
        for k in 0..<item.count {
            let t = reference + item.at + Double(k) * (item.every ?? 0)
            switch item.kind {
            case .bolus(let amount): out.append(Dose(target: item.target, time: t, amount: amount))
            case .infusion(let amount, let duration):
                out.append(Dose(target: item.target, time: t, amount: amount, kind: .infusion(duration: duration)))
            case .set(let value, let duration):
                out.append(Dose(target: item.target, time: t, amount: value, kind: .set))
                if let d = duration { out.append(Dose(target: item.target, time: t + d, amount: patientValue, kind: .set)) }
            }
        }
        return out
    }
}

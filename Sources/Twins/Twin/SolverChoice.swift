import Simulation

extension PatientModel {
    /// The solver settings for simulating many posterior draws over [0, horizon], chosen by a pilot run at `x`
    /// (e.g. the posterior mode): `auto` (DOPRI5 switching to Rodas5P on Hairer's stiffness test) unless it needs
    /// more than four times the accepted steps of Rodas5P alone, or fails where Rodas5P succeeds — models whose
    /// stiffness the test detects late (de Pillis 2006 spends ~27,000 DOPRI5 steps before switching) then use
    /// Rodas5P directly. The choice depends only on the model and `x`, so results stay reproducible.
    public func drawOptions(at x: [Double], horizon: Double, base: SolverOptions = TwinObjective.drawOptions) -> SolverOptions {
        guard horizon > 0, base.method == .auto else { return base }
        var stiff = base
        stiff.method = .rodas5p
        func pilot(_ options: SolverOptions) -> SimulationResult? {
            try? problem(at: x, times: [horizon]).solve(options)
        }
        guard let r = pilot(stiff), r.status.isSuccess else { return base }
        guard let a = pilot(base), a.status.isSuccess else { return stiff }
        return a.statistics.acceptedSteps > 4 * r.statistics.acceptedSteps ? stiff : base
    }
}

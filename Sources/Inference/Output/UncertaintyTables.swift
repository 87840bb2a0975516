/// Tab-separated tables of profile likelihoods and MCMC draws (optimisation scale).
public enum UncertaintyTables {
    /// One line per profile point: `parameterId`, `value`, `objective`, `exit` (the confidence bounds are in
    /// ``intervalsTSV(_:)``).
    public static func profilesTSV(_ profiles: [ParameterProfile]) -> String {
        var text = "parameterId\tvalue\tobjective\texit\n"
        for profile in profiles {
            for point in profile.points {
                text += "\(profile.parameterName)\t\(point.parameterValue)\t\(point.objective)\t\(point.exit.rawValue)\n"
            }
        }
        return text
    }

    /// One line per parameter: `parameterId`, `estimate`, `lower`, `lowerKind`, `upper`, `upperKind` where a
    /// kind is `crossed` (a confidence bound), `boundReached` or `stopped`.
    public static func intervalsTSV(_ profiles: [ParameterProfile]) -> String {
        func kind(_ end: ProfileEnd) -> String {
            switch end {
            case .crossed: "crossed"
            case .boundReached: "boundReached"
            case .stopped: "stopped"
            }
        }
        var text = "parameterId\testimate\tlower\tlowerKind\tupper\tupperKind\n"
        for p in profiles {
            text += "\(p.parameterName)\t\(p.optimumValue)\t\(p.lower.value)\t\(kind(p.lower))\t"
            text += "\(p.upper.value)\t\(kind(p.upper))\n"
        }
        return text
    }

    /// Every kept draw: `chain`, `draw`, `logDensity`, then one column per parameter.
    public static func samplesTSV(_ run: MCMCResult) -> String {
        let d = run.parameterNames.count
        var text = (["chain", "draw", "logDensity"] + run.parameterNames).joined(separator: "\t") + "\n"
        for (c, chain) in run.chains.enumerated() {
            for k in 0..<chain.count {
                let row = (0..<d).map { "\(chain.draws[k * d + $0])" }
                text += "\(c)\t\(k)\t\(chain.logDensities[k])\t" + row.joined(separator: "\t") + "\n"
            }
        }
        return text
    }
}

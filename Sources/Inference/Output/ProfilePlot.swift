import Foundation
import Reports

/// Profile-likelihood plots, drawn with the `Reports` module.
public enum ProfilePlot {
    /// One profile: the re-optimised objective minus the optimum's against the parameter value, the χ²
    /// threshold as a dashed line, and the confidence bounds as vertical lines where the profile crossed it.
    public static func plot(_ profile: ParameterProfile, title: String? = nil) -> SVGPlot {
        let x = profile.points.map(\.parameterValue)
        let y = profile.points.map { $0.objective - profile.optimumObjective }
        var series: [Series] = [
            .line("profile", x: x, y: y, color: .palette(0)),
            .points("", x: x, y: y, color: .palette(0)),
            .horizontalLine(String(format: "threshold %.4g", profile.threshold), y: profile.threshold),
        ]
        for end in [profile.lower, profile.upper] {
            if case .crossed(let value) = end {
                series.append(.verticalLine("", x: value, color: .palette(1)))
            }
        }
        return SVGPlot(title: title ?? "Profile of \(profile.parameterName)",
                       xAxis: Axis(label: "\(profile.parameterName) (optimisation scale)"),
                       yAxis: Axis(label: "objective − optimum"), series: series)
    }

    /// One profile as a standalone SVG document.
    public static func svg(_ profile: ParameterProfile, title: String? = nil) -> String {
        plot(profile, title: title).render()
    }
}

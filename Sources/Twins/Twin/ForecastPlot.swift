import Foundation
import Reports

/// The forecast figure: one panel per observable that has data or is clinical, with the posterior median,
/// the 50 % and 90 % latent bands, the 90 % predictive band (dashed edges) and the patient's observations.
public enum ForecastPlot {
    /// An SVG document with one chart per plotted observable, stacked vertically.
    public static func svg(_ forecast: Forecast, observations: [PatientObservation], timeUnit: String,
                           observables chosen: [String]? = nil) -> String {
        let names = chosen ?? forecast.observables.filter { name in observations.contains { $0.observable == name } }
        let plotted = names.isEmpty ? Array(forecast.observables.prefix(1)) : names
        let panelHeight = 360.0
        var body = ""
        for (row, name) in plotted.enumerated() {
            guard let o = forecast.observables.firstIndex(of: name) else { continue }
            body += "<g transform=\"translate(0,\(Int(Double(row) * panelHeight)))\">" + panel(forecast, o, observations, timeUnit) + "</g>\n"
        }
        let height = Int(Double(plotted.count) * panelHeight)
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"\(height)\" viewBox=\"0 0 640 \(height)\">\n" + body + "</svg>\n"
    }

    /// One observable's chart as a standalone `<svg>` (also used in HTML reports).
    public static func panel(_ forecast: Forecast, _ o: Int, _ observations: [PatientObservation], _ timeUnit: String) -> String {
        let name = forecast.observables[o], t = forecast.times
        let latent = forecast.latent[o], predictive = forecast.predictive[o]
        var plot = SVGPlot(title: name + (forecast.regimen.map { " under \($0)" } ?? ""),
                           xAxis: Axis(label: "time (\(timeUnit))"), yAxis: Axis(label: name), height: 360)
        plot.series = [
            .line("90 % prediction", x: t, y: predictive[0], color: .palette(1), dashed: true),
            .line("", x: t, y: predictive[4], color: .palette(1), dashed: true),
            .band("90 % interval", x: t, lower: latent[0], upper: latent[4], color: .palette(0)),
            .band("50 % interval", x: t, lower: latent[1], upper: latent[3], color: .palette(0)),
            .line("median", x: t, y: latent[2], color: .palette(0)),
        ]
        let data = observations.filter { $0.observable == name }
        if !data.isEmpty {
            plot.series.append(.points("observations", x: data.map(\.time), y: data.map(\.value), color: .palette(3)))
        }
        return plot.render()
    }
}

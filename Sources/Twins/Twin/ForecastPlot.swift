import Foundation

/// The forecast figure. Placeholder-free minimal SVG until the shared Reports module is merged.
public enum ForecastPlot {
    public static func svg(_ forecast: Forecast, observations: [PatientObservation], timeUnit: String) -> String {
        ""
    }
}

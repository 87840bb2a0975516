import Statistics

extension TrialSummary {
    /// Kaplan–Meier median (and its availability) for a time-to-event endpoint.
    func survival(times: [Double], events: [Bool]) -> [(String, JSONValue)] { [] }

    /// Comparisons of every arm with the reference arm.
    func comparisons(_ rows: [PatientRow]) -> [JSONValue] { [] }

    /// The power curve over the spec's sample sizes.
    func power(_ rows: [PatientRow]) -> JSONValue? { nil }
}

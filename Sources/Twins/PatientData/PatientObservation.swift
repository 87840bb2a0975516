/// One measurement of one observable of one patient.
public struct PatientObservation: Codable, Hashable, Sendable {
    /// Model time of the measurement (the model's time unit, e.g. days since infection).
    public var time: Double
    /// The id of a model observable (from the library entry's `observables`, or a model symbol).
    public var observable: String
    /// The measured value, on the observable's scale (e.g. log10 copies per sample).
    public var value: Double
    /// The measurement's standard deviation on the same scale; nil means "use the error model's default".
    public var sd: Double?
    /// Where the value came from (`file:line`, or a FHIR resource id), kept for provenance.
    public var source: String

    public init(time: Double, observable: String, value: Double, sd: Double? = nil, source: String = "") {
        self.time = time
        self.observable = observable
        self.value = value
        self.sd = sd
        self.source = source
    }
}

/// A patient-data input error: the file, line (or resource) and what is wrong.
public struct PatientDataError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    /// The 1-based line (CSV) or entry index (FHIR bundle); 0 when the whole file is concerned.
    public var line: Int
    public var column: String?
    public var message: String

    public init(file: String, line: Int, column: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var where_ = file
        if line > 0 { where_ += ":\(line)" }
        if let column { where_ += " (\(column))" }
        return "\(where_): \(message)"
    }
}

/// Several input errors at once: every bad row is reported, none is silently dropped.
public struct PatientDataErrors: Error, CustomStringConvertible, Sendable {
    public var errors: [PatientDataError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

import Foundation

/// The header of a case's `NNNNN-model.m`: what kind of test it is and which SBML features it exercises.
///
/// ```
/// synopsis:      Basic single forward reaction with two species in one compartment
/// componentTags: Compartment, Species, Reaction, Parameter
/// testTags:      Amount
/// testType:      TimeCourse
/// levels:        1.2, 2.1, 2.2, 2.3, 2.4, 2.5, 3.1, 3.2
/// ```
public struct SBMLTestCaseInfo: Hashable, Sendable {
    /// `TimeCourse`, `FluxBalanceSteadyState`, ...
    public var testType: String
    /// The SBML components the model uses (`Compartment`, `EventWithDelay`, `comp:Submodel`, ...).
    public var componentTags: [String]
    /// Properties of the test (`Amount`, `NonConstantParameter`, `fbc:NonStrict`, ...).
    public var testTags: [String]
    /// One line describing the case.
    public var synopsis: String

    public init(testType: String, componentTags: [String] = [], testTags: [String] = [], synopsis: String = "") {
        self.testType = testType
        self.componentTags = componentTags
        self.testTags = testTags
        self.synopsis = synopsis
    }

    /// Every tag, component tags first.
    public var allTags: [String] { componentTags + testTags }

    /// The SBML packages the tags mention (the part before ':' of tags such as `comp:Submodel`).
    public var packages: [String] {
        Array(Set(allTags.compactMap { tag in tag.firstIndex(of: ":").map { String(tag[..<$0]) } })).sorted()
    }

    /// Reads the `key: value` lines of the header comment; a missing `testType` is `TimeCourse`.
    public init(parsing text: String) {
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("*)") { break }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, !key.contains(" "), values[key] == nil else { continue }
            values[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        func tags(_ key: String) -> [String] {
            (values[key] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        self.init(testType: values["testType"].flatMap { $0.isEmpty ? nil : $0 } ?? "TimeCourse",
                  componentTags: tags("componentTags"), testTags: tags("testTags"), synopsis: values["synopsis"] ?? "")
    }
}

import Foundation
import Testing
@testable import Twins

@Suite struct LongCSVReaderTests {
    @Test func readsAnyColumnOrderAndOptionalSD() throws {
        let csv = "observable,time,value,sd\nlog10_titre,1,3.5,0.4\n# comment\n\nlog10_titre,2,\"4.25\",\n"
        let obs = try LongCSVReader.read(string: csv, file: "p.csv", knownObservables: ["log10_titre"])
        #expect(obs.count == 2)
        #expect(obs[0] == PatientObservation(time: 1, observable: "log10_titre", value: 3.5, sd: 0.4, source: "p.csv:2"))
        #expect(obs[1].value == 4.25 && obs[1].sd == nil && obs[1].source == "p.csv:5")
    }

    @Test func reportsEveryBadRowWithLineAndColumn() {
        let csv = "time,observable,value\n1,log10_titre,abc\n2,unknown,3\n3,log10_titre\nx,log10_titre,1\n4,log10_titre,2\n"
        do {
            _ = try LongCSVReader.read(string: csv, file: "p.csv", knownObservables: ["log10_titre"])
            Issue.record("expected errors")
        } catch let e as PatientDataErrors {
            #expect(e.errors.map(\.line) == [2, 3, 4, 5])
            #expect(e.errors[0].column == "value")
            #expect(e.errors[1].message.contains("unknown observable 'unknown'"))
            #expect(e.errors[2].message.contains("expected 3 fields"))
            #expect(e.errors[3].column == "time")
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func rejectsUnknownColumnsAndNonPositiveSD() {
        #expect(throws: PatientDataError.self) { try LongCSVReader.read(string: "time,observable,value,weight\n") }
        #expect(throws: PatientDataErrors.self) { try LongCSVReader.read(string: "time,observable,value,sd\n1,a,2,0\n") }
        #expect(throws: PatientDataError.self) { try LongCSVReader.read(string: "time,value\n1,2\n") }
    }
}

@Suite struct FHIRReaderTests {
    static let mapping = """
        reference_time: 2020-03-01T00:00:00Z
        time_unit: d
        observations:
          - system: http://loinc.org
            code: 94745-7
            observable: log10_viral_load
            units: {"{copies}/mL": 1, "{copies}/L": 0.001}
            transform: log10
            sd: 0.5
        """

    static func bundle(_ entries: [String]) -> Data {
        Data("{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": [\(entries.joined(separator: ","))]}".utf8)
    }

    static func observation(id: String, time: String, value: Double, unit: String, code: String = "94745-7", status: String = "final") -> String {
        """
        {"resource": {"resourceType": "Observation", "id": "\(id)", "status": "\(status)",
          "code": {"coding": [{"system": "http://loinc.org", "code": "\(code)"}]},
          "effectiveDateTime": "\(time)",
          "valueQuantity": {"value": \(value), "unit": "copies/mL", "system": "http://unitsofmeasure.org", "code": "\(unit)"}}}
        """
    }

    @Test func convertsUnitsTimesAndTransform() throws {
        let mapping = try FHIRMapping.read(yaml: Self.mapping)
        let data = Self.bundle([
            Self.observation(id: "b", time: "2020-03-03T12:00:00Z", value: 1e7, unit: "{copies}/L"),
            Self.observation(id: "a", time: "2020-03-02", value: 1e5, unit: "{copies}/mL"),
            Self.observation(id: "c", time: "2020-03-04", value: 1, unit: "{copies}/mL", status: "entered-in-error"),
        ])
        let out = try FHIRBundleReader.read(data: data, file: "b.json", mapping: mapping)
        #expect(out.observations.count == 2)
        #expect(out.observations[0].time == 1 && abs(out.observations[0].value - 5) < 1e-12)
        #expect(out.observations[1].time == 2.5 && abs(out.observations[1].value - 4) < 1e-12)
        #expect(out.observations[0].sd == 0.5 && out.observations[0].source == "b.json#a")
        #expect(out.skipped == ["entry 3 (c): status entered-in-error"])
    }

    @Test func unmappedCodesAndUnitsAreErrorsNamingTheEntry() throws {
        let mapping = try FHIRMapping.read(yaml: Self.mapping)
        let data = Self.bundle([
            Self.observation(id: "x", time: "2020-03-02", value: 10, unit: "{copies}/mL", code: "0000-0"),
            Self.observation(id: "y", time: "2020-03-02", value: 10, unit: "mg/dL"),
            Self.observation(id: "z", time: "2020-03-02", value: 0, unit: "{copies}/mL"),
        ])
        do {
            _ = try FHIRBundleReader.read(data: data, mapping: mapping)
            Issue.record("expected errors")
        } catch let e as PatientDataErrors {
            #expect(e.errors.count == 3)
            #expect(e.errors[0].description.contains("entry 1 (x): no mapping for code http://loinc.org|0000-0"))
            #expect(e.errors[1].description.contains("unit 'mg/dL'"))
            #expect(e.errors[2].description.contains("must be positive"))
        }
    }

    @Test func mappingErrorsNameTheLine() {
        do {
            _ = try FHIRMapping.read(yaml: "reference_time: 2020-03-01\ntime_unit: fortnight\nobservations: []\n", file: "m.yaml")
            Issue.record("expected an error")
        } catch let e as PatientDataError {
            #expect(e.file == "m.yaml" && e.column == "time_unit")
        } catch { Issue.record("unexpected \(error)") }
    }
}

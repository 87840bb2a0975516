import ModelIR

/// Writes a `Model` as an SBML Level 3 Version 2 core document with MathML.
///
/// `SBMLReader.read(string: SBMLWriter.write(m))` equals `m.normalisedForSBMLLevel3()` (which is `m`
/// itself for models read from Level 3), with these documented normalisations:
/// - Level 2 `stoichiometryMath` becomes an assignment rule on the species reference (see
///   `Model.normalisedForSBMLLevel3()`).
/// - `pow(a, b)` reads back as `a ^ b` and `log2(x)` as `log(2, x)` (see `MathMLWriter`).
/// - The SBML avogadro csymbol was read as its number and is written as that number.
///
/// Metadata: unit definitions (`SBMLUnits`) become `listOfUnitDefinitions`, `notes` becomes the model's
/// `<notes>`, `sbml.substanceUnits` and the like become model attributes, and every other entry is kept in
/// a model annotation in the `urn:immunetwin:metadata` namespace, which the reader restores.
/// Deviation from strict L3v2: a reaction with `fast == true` is written with `fast="true"` (L3v2 dropped
/// the attribute; the reader accepts it so that the flag survives a round trip).
public enum SBMLWriter {
    /// The namespace of the annotation that carries `Model.metadata` entries SBML has no place for.
    public static let metadataNamespace = "urn:immunetwin:metadata"

    /// The SBML L3v2 text of `model`. Never fails: the model is written as it is (validate it first if
    /// it may be invalid).
    public static func write(_ model: Model) -> String {
        let m = model.normalisedForSBMLLevel3()
        var xml = XMLBuilder()
        xml.start("sbml", ["xmlns": "http://www.sbml.org/sbml/level3/version2/core", "level": "3", "version": "2"])
        var attributes: [(String, String?)] = [("id", m.id.isEmpty ? nil : m.id), ("name", m.name)]
        for key in ["substanceUnits", "timeUnits", "volumeUnits", "areaUnits", "lengthUnits", "extentUnits"] {
            attributes.append((key, key == "timeUnits" ? m.timeUnit : m.metadata[SBMLUnits.modelAttributeKey(key)]))
        }
        attributes.append(("conversionFactor", m.conversionFactor))
        xml.start("model", attributeList: attributes)
        writeNotesAndAnnotation(m.metadata, into: &xml)
        xml.list("listOfFunctionDefinitions") { xml in
            for f in m.functions {
                xml.start("functionDefinition", ["id": f.id])
                MathMLWriter.lambda(f, into: &xml)
                xml.end()
            }
        }
        xml.list("listOfUnitDefinitions") { xml in
            for (id, units) in SBMLUnits.definitions(in: m.metadata) {
                xml.start("unitDefinition", ["id": id])
                xml.list("listOfUnits") { xml in
                    for u in units {
                        xml.empty("unit", ["kind": u.kind, "exponent": SBMLNumberFormat.text(u.exponent),
                                           "scale": String(u.scale), "multiplier": SBMLNumberFormat.text(u.multiplier)])
                    }
                }
                xml.end()
            }
        }
        writeComponents(m, into: &xml)
        writeRules(m, into: &xml)
        xml.list("listOfReactions") { xml in
            for r in m.reactions { writeReaction(r, into: &xml) }
        }
        xml.list("listOfEvents") { xml in
            for e in m.events { writeEvent(e, into: &xml) }
        }
        xml.end()
        xml.end()
        return xml.text
    }

    private static func number(_ v: Double?) -> String? { v.map(SBMLNumberFormat.text) }
    private static func flag(_ b: Bool) -> String { b ? "true" : "false" }

    private static func writeNotesAndAnnotation(_ metadata: [String: String], into xml: inout XMLBuilder) {
        if let notes = metadata["notes"] {
            xml.start("notes")
            xml.start("body", ["xmlns": "http://www.w3.org/1999/xhtml"])
            xml.element("p", text: notes)
            xml.end()
            xml.end()
        }
        let extra = metadata.keys.sorted().filter { $0 != "notes" && !$0.hasPrefix("sbml.") }
        guard !extra.isEmpty else { return }
        xml.start("annotation")
        xml.start("metadata", ["xmlns": metadataNamespace])
        for key in extra { xml.element("entry", ["key": key], text: metadata[key] ?? "") }
        xml.end()
        xml.end()
    }

    private static func writeComponents(_ m: Model, into xml: inout XMLBuilder) {
        xml.list("listOfCompartments") { xml in
            for c in m.compartments {
                xml.empty("compartment", ["id": c.id, "name": c.name, "spatialDimensions": SBMLNumberFormat.text(c.spatialDimensions),
                                          "size": number(c.size), "units": c.units, "constant": flag(c.constant)])
            }
        }
        xml.list("listOfSpecies") { xml in
            for s in m.species {
                xml.empty("species", ["id": s.id, "name": s.name, "compartment": s.compartment,
                                      "initialAmount": number(s.initialAmount),
                                      "initialConcentration": number(s.initialConcentration),
                                      "substanceUnits": s.units, "hasOnlySubstanceUnits": flag(s.hasOnlySubstanceUnits),
                                      "boundaryCondition": flag(s.boundaryCondition), "constant": flag(s.constant),
                                      "conversionFactor": s.conversionFactor])
            }
        }
        xml.list("listOfParameters") { xml in
            for p in m.parameters {
                xml.empty("parameter", ["id": p.id, "name": p.name, "value": number(p.value), "units": p.units,
                                        "constant": flag(p.constant)])
            }
        }
        xml.list("listOfInitialAssignments") { xml in
            for ia in m.initialAssignments {
                xml.start("initialAssignment", ["symbol": ia.symbol])
                MathMLWriter.math(ia.math, into: &xml)
                xml.end()
            }
        }
    }

    private static func writeRules(_ m: Model, into xml: inout XMLBuilder) {
        xml.list("listOfRules") { xml in
            for rule in m.rules {
                switch rule {
                case .assignment(let v, let math):
                    xml.start("assignmentRule", ["variable": v])
                    MathMLWriter.math(math, into: &xml)
                case .rate(let v, let math):
                    xml.start("rateRule", ["variable": v])
                    MathMLWriter.math(math, into: &xml)
                case .algebraic(let math):
                    xml.start("algebraicRule")
                    MathMLWriter.math(math, into: &xml)
                }
                xml.end()
            }
        }
    }

    private static func writeReaction(_ r: Reaction, into xml: inout XMLBuilder) {
        xml.start("reaction", ["id": r.id, "name": r.name, "reversible": flag(r.reversible), "fast": r.fast ? "true" : nil])
        for (list, refs) in [("listOfReactants", r.reactants), ("listOfProducts", r.products)] {
            xml.list(list) { xml in
                for ref in refs {
                    xml.empty("speciesReference", ["id": ref.id, "species": ref.species,
                                                   "stoichiometry": number(ref.stoichiometry), "constant": flag(ref.constant)])
                }
            }
        }
        xml.list("listOfModifiers") { xml in
            for m in r.modifiers { xml.empty("modifierSpeciesReference", ["species": m]) }
        }
        if r.kineticLaw != nil || !r.localParameters.isEmpty {
            xml.start("kineticLaw")
            if let law = r.kineticLaw { MathMLWriter.math(law, into: &xml) }
            xml.list("listOfLocalParameters") { xml in
                for p in r.localParameters {
                    xml.empty("localParameter", ["id": p.id, "name": p.name, "value": number(p.value), "units": p.units])
                }
            }
            xml.end()
        }
        xml.end()
    }

    private static func writeEvent(_ e: Event, into xml: inout XMLBuilder) {
        xml.start("event", ["id": e.id.isEmpty ? nil : e.id, "name": e.name,
                            "useValuesFromTriggerTime": flag(e.useValuesFromTriggerTime)])
        xml.start("trigger", ["initialValue": flag(e.initialValue), "persistent": flag(e.persistent)])
        MathMLWriter.math(e.trigger, boolean: true, into: &xml)
        xml.end()
        for (name, math) in [("priority", e.priority), ("delay", e.delay)] {
            guard let math else { continue }
            xml.start(name)
            MathMLWriter.math(math, into: &xml)
            xml.end()
        }
        xml.list("listOfEventAssignments") { xml in
            for a in e.assignments {
                xml.start("eventAssignment", ["variable": a.variable])
                MathMLWriter.math(a.math, into: &xml)
                xml.end()
            }
        }
        xml.end()
    }
}

import ModelIR

extension SBMLModelReader {
    func reaction(_ node: XMLNode) throws -> Reaction {
        let id = try id(node)
        var reaction = Reaction(
            id: id, name: node.attributes["name"],
            reactants: try items(node, "listOfReactants", "speciesReference", speciesReference),
            products: try items(node, "listOfProducts", "speciesReference", speciesReference),
            modifiers: try items(node, "listOfModifiers", "modifierSpeciesReference") { try requiredSId($0, "species") },
            kineticLaw: nil,
            reversible: try bool(node, "reversible") ?? true,
            fast: try bool(node, "fast") ?? false)
        let laws = node.children("kineticLaw", in: namespace)
        guard laws.count <= 1 else {
            throw SBMLError.syntax("<reaction id=\"\(id)\"> has more than one <kineticLaw>", at: laws[1], file: file)
        }
        if let law = laws.first {
            reaction.kineticLaw = try mathChild(law)
            reaction.localParameters = try items(law, "listOfParameters", "parameter") { try parameter($0, local: true) }
                + items(law, "listOfLocalParameters", "localParameter") { try parameter($0, local: true) }
        }
        return reaction
    }

    /// A reactant or product. Level 2: stoichiometry 1 by default, or given by `stoichiometryMath` (then
    /// the reference is not constant). Level 3: stoichiometry unset when absent, `constant` true when absent.
    func speciesReference(_ node: XMLNode) throws -> SpeciesReference {
        var ref = SpeciesReference(species: try requiredSId(node, "species"), stoichiometry: try double(node, "stoichiometry"),
                                   id: try optionalId(node), constant: try bool(node, "constant") ?? true)
        if level == 2 {
            if let m = node.child("stoichiometryMath", in: namespace), let expression = try mathChild(m) {
                ref.stoichiometry = nil  // stoichiometryMath takes precedence over a (redundant) attribute
                ref.stoichiometryMath = expression
                ref.constant = false
            } else if ref.stoichiometry == nil {
                ref.stoichiometry = 1
            }
        }
        return ref
    }
}

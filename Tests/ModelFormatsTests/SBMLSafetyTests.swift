import Foundation
import Testing
import ModelIR
@testable import ModelFormats

/// The error `SBMLReader.read(string:)` throws for `text`, as text (empty when it did not throw).
func readError(_ text: String, file: String? = nil) -> String {
    do {
        _ = try SBMLReader.read(string: text, file: file)
        return ""
    } catch {
        return "\(error)"
    }
}

@Suite struct SBMLSafetyTests {
    @Test func malformedXMLReportsLineAndColumn() throws {
        let text = "<?xml version=\"1.0\"?>\n<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"3\" version=\"2\">\n<model>\n</sbml>\n"
        do {
            _ = try SBMLReader.read(string: text, file: "bad.xml")
            Issue.record("accepted malformed XML")
        } catch let ModelError.syntax(message, location, file) {
            #expect(message.contains("malformed XML"))
            #expect(location.line == 4)
            #expect(location.column > 1)
            #expect(file == "bad.xml")
        }
    }

    @Test(arguments: ["", "   ", "not xml at all", "<sbml", "<a></b>", "<?xml version=\"1.0\"?>"])
    func garbageIsASyntaxError(text: String) {
        #expect(readError(text).contains("line"), "\(readError(text))")
    }

    @Test func billionLaughsIsRefusedQuickly() {
        var entities = "<!ENTITY lol \"lol\">\n"
        for i in 1...10 {
            let previous = i == 1 ? "lol" : "lol\(i - 1)"
            entities += "<!ENTITY lol\(i) \"\(String(repeating: "&\(previous);", count: 10))\">\n"
        }
        let text = "<?xml version=\"1.0\"?>\n<!DOCTYPE sbml [\n\(entities)]>\n<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"3\" version=\"2\"><model><notes>&lol10;</notes></model></sbml>"
        let clock = ContinuousClock()
        var message = ""
        let elapsed = clock.measure { message = readError(text) }
        #expect(message.contains("DOCTYPE declarations are not allowed"), "\(message)")
        #expect(message.contains("line 2"), "\(message)")
        #expect(elapsed < .seconds(1))
    }

    @Test(arguments: [
        "<!DOCTYPE sbml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n<sbml>&xxe;</sbml>",
        "<!-- comment --><!DOCTYPE sbml SYSTEM \"http://example.com/sbml.dtd\"><sbml/>",
        "\u{FEFF}<?xml version=\"1.0\"?><!doctype sbml><sbml/>",
        "<!ENTITY x \"y\"><sbml/>",
    ])
    func doctypeAndEntityDeclarationsAreRefused(text: String) {
        let message = readError(text)
        #expect(message.contains("declarations are not allowed"), "\(message)")
    }

    @Test func utf16DoctypeIsRefused() throws {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE sbml [<!ENTITY a \"b\">]><sbml/>"
        let data = try #require(text.data(using: .utf16))
        #expect(throws: ModelError.self) { try SBMLReader.read(data: data) }
        do { _ = try SBMLReader.read(data: data) } catch { #expect("\(error)".contains("DOCTYPE"), "\(error)") }
    }

    @Test func deepNestingIsRefused() {
        let depth = 300
        let math = String(repeating: "<apply><minus/>", count: depth) + "<cn>1</cn>" + String(repeating: "</apply>", count: depth)
        let text = sbmlDocument("<model><listOfParameters><parameter id=\"p\" constant=\"true\"/></listOfParameters><listOfInitialAssignments><initialAssignment symbol=\"p\"><math \(mathNS)>\(math)</math></initialAssignment></listOfInitialAssignments></model>")
        #expect(readError(text).contains("nested more than 256 levels deep"), "\(readError(text))")
    }

    @Test func moderateNestingIsAccepted() throws {
        let depth = 200
        let math = String(repeating: "<apply><minus/>", count: depth) + "<cn>1</cn>" + String(repeating: "</apply>", count: depth)
        let text = sbmlDocument("<model><listOfParameters><parameter id=\"p\" constant=\"true\"/></listOfParameters><listOfInitialAssignments><initialAssignment symbol=\"p\"><math \(mathNS)>\(math)</math></initialAssignment></listOfInitialAssignments></model>")
        #expect(try SBMLReader.read(string: text).initialAssignments.count == 1)
    }

    @Test func oversizeDocumentsAreRefused() {
        let data = Data(sbmlDocument("<model/>").utf8)
        #expect(throws: ModelError.self) {
            _ = try SafeXMLParser.parse(data, file: nil, limits: XMLLimits(maximumBytes: 100, maximumDepth: 10))
        }
        do {
            _ = try SafeXMLParser.parse(data, file: nil, limits: XMLLimits(maximumBytes: 100, maximumDepth: 10))
        } catch { #expect("\(error)".contains("more than the limit of 100 bytes")) }
        #expect(SBMLReader.maximumDocumentBytes == 100 * 1024 * 1024)
    }

    @Test func requiredPackagesAreRefusedAndOptionalOnesIgnored() throws {
        let fbc = " xmlns:fbc=\"http://www.sbml.org/sbml/level3/version1/fbc/version2\" fbc:required=\"false\""
        let comp = " xmlns:comp=\"http://www.sbml.org/sbml/level3/version1/comp/version1\" comp:required=\"true\""
        let model = "<model><listOfParameters><parameter id=\"k\" value=\"1\" constant=\"true\"/></listOfParameters></model>"
        let optional = sbmlDocument(extraRootAttributes: fbc, model)
        #expect(try SBMLReader.read(string: optional).parameters.count == 1)
        let info = try SBMLReader.inspect(data: Data(optional.utf8))
        #expect(info.packages == [SBMLPackage(name: "fbc", namespace: "http://www.sbml.org/sbml/level3/version1/fbc/version2", required: false)])
        let message = readError(sbmlDocument(extraRootAttributes: fbc + comp, model))
        #expect(message.contains("unsupported: SBML package 'comp'"), "\(message)")
    }

    @Test(arguments: [
        ("<listOfParameters><parameter id=\"k\" value=\"1\"/><parameter id=\"k\" value=\"2\"/></listOfParameters>", "duplicate id 'k'"),
        ("<listOfCompartments><compartment id=\"c\"/></listOfCompartments><listOfSpecies><species id=\"c\" compartment=\"c\"/></listOfSpecies>", "duplicate id 'c' (used by compartment and species)"),
        ("<listOfParameters><parameter id=\"k\" constant=\"false\"/></listOfParameters><listOfRules><assignmentRule variable=\"k\"><math \(mathNS)><ci>zz</ci></math></assignmentRule></listOfRules>", "undefined symbol 'zz' in the assignment rule for 'k'"),
        ("<listOfRules><rateRule variable=\"nothing\"><math \(mathNS)><cn>1</cn></math></rateRule></listOfRules>", "undefined symbol 'nothing'"),
        ("<listOfSpecies><species id=\"S\" compartment=\"nowhere\"/></listOfSpecies>", "species 'S' is in undefined compartment 'nowhere'"),
        ("<listOfReactions><reaction id=\"R\"><listOfReactants><speciesReference species=\"X\"/></listOfReactants></reaction></listOfReactions>", "reaction 'R' refers to undefined species 'X'"),
    ])
    func undefinedAndDuplicateIdsAreNamed(content: String, message: String) {
        let error = readError(sbmlDocument("<model>\(content)</model>"))
        #expect(error.contains(message), "\(error)")
    }

    @Test(arguments: [
        ("<listOfParameters><parameter id=\"1k\"/></listOfParameters>", "'id' is '1k', which is not a valid SBML identifier", 3),
        ("<listOfParameters>\n<parameter/></listOfParameters>", "<parameter> has no 'id' attribute", 4),
        ("<listOfSpecies><species id=\"S\"/></listOfSpecies>", "<species id=\"S\"> has no 'compartment' attribute", 3),
        ("<listOfParameters><parameter id=\"k\" value=\"abc\"/></listOfParameters>", "<parameter id=\"k\">: 'value' is 'abc', which is not a number", 3),
        ("<listOfParameters><parameter id=\"k\" constant=\"yes\"/></listOfParameters>", "'constant' is 'yes', which is not true or false", 3),
        ("<listOfParameters><species id=\"k\"/></listOfParameters>", "<species> inside <listOfParameters>; expected <parameter>", 3),
        ("<listOfCompartments><compartment id=\"c\"/></listOfCompartments><listOfSpecies><species id=\"S\" compartment=\"c\" initialAmount=\"1\" initialConcentration=\"1\"/></listOfSpecies>", "sets both initialAmount and initialConcentration", 3),
    ])
    func malformedElementsNameTheElementAndLine(content: String, message: String, line: Int) {
        let error = readError(sbmlDocument("<model>\(content)</model>"), file: "m.xml")
        #expect(error.contains(message), "\(error)")
        #expect(error.hasPrefix("m.xml: line \(line)"), "\(error)")
    }

    @Test(arguments: [
        ("<foo/>", "the root element is <foo>, not <sbml>"),
        ("<sbml xmlns=\"http://www.sbml.org/sbml/level1\" level=\"1\" version=\"2\"><model/></sbml>", "unsupported: SBML Level 1"),
        ("<sbml xmlns=\"http://www.sbml.org/sbml/level4/version1/core\" level=\"4\" version=\"1\"><model/></sbml>", "unsupported: <sbml> in namespace"),
        ("<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"3\" version=\"1\"><model/></sbml>", "does not match its namespace"),
        ("<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"3\" version=\"2\"/>", "contains no <model>"),
    ])
    func rejectsDocumentsThatAreNotSupportedSBML(text: String, message: String) {
        #expect(readError(text).contains(message), "\(readError(text))")
    }

    /// Every prefix of a real model is either read or rejected with an error; nothing traps or hangs.
    @Test func truncatedDocumentsNeverCrash() throws {
        let text = Array(SBMLReaderTests.level3.utf8)
        var rejected = 0
        for length in stride(from: 0, to: text.count, by: 37) {
            do {
                _ = try SBMLReader.read(data: Data(text[0..<length]))
            } catch {
                rejected += 1
            }
        }
        #expect(rejected == (text.count + 36) / 37)
    }
}

import KamwatchData
import KamwatchVocabulary
import Yams

/// Reads one rule file (YAML) into a compiled `Rule`, collecting every error it finds.
struct RuleFileParser {
    static let topKeys = [
        "version", "id", "message_id", "title", "description", "advice", "scope", "let", "when", "severity",
        "evidence", "message", "for", "keep_firing_for",
    ]

    let source: RuleSourceText
    /// The columns expressions may read.
    let schema: BookSchema
    private var errors: [RuleError] = []

    init(file: String, text: String, schema: BookSchema = .standard) {
        source = RuleSourceText(file: file, text: text)
        self.schema = schema
    }

    /// The rule, or every error found in the file; `schema` names the columns rules may read.
    static func parse(file: String, text: String, schema: BookSchema = .standard) -> Result<Rule, RuleErrors> {
        var p = RuleFileParser(file: file, text: text, schema: schema)
        if let rule = p.run(text), p.errors.isEmpty { return .success(rule) }
        return .failure(RuleErrors(p.errors))
    }

    private mutating func fail(_ e: RuleError) { errors.append(e) }

    private mutating func run(_ text: String) -> Rule? {
        if let e = source.firstControlCharacter() {
            fail(e)
            return nil
        }
        let root: Node
        do {
            guard let r = try Yams.compose(yaml: text) else {
                fail(source.error("empty rule file (expected version: 1 and a rule)", line: 1, column: 1))
                return nil
            }
            root = r
        } catch let e as YamlError {
            fail(yamlError(e))
            return nil
        } catch {
            fail(source.error("cannot read YAML: \(error)", line: 1, column: 1))
            return nil
        }
        guard let map = root.mapping else {
            fail(source.error("a rule file is a mapping of keys (version, id, …)", at: root))
            return nil
        }
        var fields: [String: (key: Node, value: Node)] = [:]
        var misspelled: [String] = []
        for (k, v) in map {
            guard let name = k.string else {
                fail(source.error("keys are plain names", at: k))
                continue
            }
            guard Self.topKeys.contains(name) else {
                misspelled.append(name)
                fail(unknownKey(name, at: k, expected: Self.topKeys))
                continue
            }
            fields[name] = (k, v)
        }
        func required(_ key: String) -> Node? {
            if let f = fields[key] { return f.value }
            // A misspelt key is already reported as unknown; do not report it missing too.
            if misspelled.contains(where: { editDistance($0, key) <= 2 }) { return nil }
            let m = root.mark
            errors.append(source.error("missing key \"\(key)\"", line: m?.line ?? 1, column: m?.column ?? 1))
            return nil
        }
        if let v = required("version") {
            if v.string != "1" {
                fail(source.error("unsupported version \(v.string ?? "?") (this kamwatch reads version: 1)", at: v))
            }
        }
        let id = required("id").flatMap { ruleID($0) }
        var messageID: String?
        if let v = fields["message_id"]?.value {
            let s = (v.string ?? "").lowercased()
            if s.count == 32, s.allSatisfy({ $0.isHexDigit }) {
                messageID = s
            } else {
                fail(source.error("message_id is 32 hexadecimal digits", at: v))
            }
        }
        let title = required("title").flatMap { localized($0, "title") }
        let timing = RuleTiming(
            forDays: fields["for"].flatMap { days($0.value, "for") } ?? 0,
            keepFiringDays: fields["keep_firing_for"].flatMap { days($0.value, "keep_firing_for") } ?? 0)
        let advice = fields["advice"].flatMap { localized($0.value, "advice") } ?? LocalizedText(en: "", ru: "")

        var compiler = Compiler(schema: schema)
        let scope = fields["scope"].flatMap { expression($0.value, compiler, type: .bool, what: "scope") }
        var definitions: [(name: String, body: Typed)] = []
        if let v = fields["let"]?.value {
            if let m = v.mapping {
                for (k, body) in m {
                    guard let name = definitionName(k, compiler) else { continue }
                    // A definition that does not compile still gets its name, as null, so that
                    // its uses do not repeat the error.
                    let compiled = expression(body, compiler, type: nil, what: name)
                    if compiled == nil { compiler.failed.insert(name) }
                    let t = compiled ?? .constant(.null, .null)
                    compiler.definitions[name] = (definitions.count, t)
                    definitions.append((name, t))
                }
            } else {
                fail(source.error("let: is a mapping of name: expression", at: v))
            }
        }
        let when = fields["when"].flatMap { expression($0.value, compiler, type: .bool, what: "when") }
        var critical: Typed?
        var warning: Typed?
        if let v = required("severity") {
            (critical, warning) = severity(v, compiler)
        }
        var evidence: [(name: String, body: Typed)] = []
        var evidenceStyles: [String: EvidenceStyle] = [:]
        if let v = fields["evidence"]?.value { (evidence, evidenceStyles) = self.evidence(v, compiler) }

        var messageValues = evidence.map(\.body)
        var valueIndex: [String: Int] = [:]
        for (i, e) in evidence.enumerated() { valueIndex[e.name] = i }
        var messages: [Language: MessageTemplate] = [:]
        if let v = required("message"), let texts = localizedNodes(v, "message") {
            for (locale, node) in texts {
                guard let text = node.string else { continue }
                do {
                    messages[locale] = try MessageTemplate.parse(text) { name in
                        if let i = valueIndex[name] { return i }
                        guard let d = compiler.definitions[name] else { return nil }
                        valueIndex[name] = messageValues.count
                        messageValues.append(definitions[d.index].body)
                        return messageValues.count - 1
                    }
                } catch {
                    fail(source.error(error.message, in: node, range: error.range))
                }
            }
            if messages[.ru] == nil { messages[.ru] = messages[.en] }
        }
        guard errors.isEmpty, let id, let title, let idNode = fields["id"]?.value else { return nil }
        let idLine = idNode.mark?.line ?? 1
        return Rule(
            id: id, messageID: messageID ?? Self.derivedMessageID(for: id), title: title, advice: advice,
            file: source.file,
            idLocation: RuleLocation(file: source.file, line: idLine, column: idNode.mark?.column ?? 1),
            idSourceLine: source.line(idLine), conditionTexts: conditionTexts(fields), timing: timing,
            evidenceStyles: evidenceStyles, scope: scope, definitions: definitions, when: when, critical: critical,
            warning: warning,
            evidence: evidence, messageValues: messageValues, messages: messages, schema: schema)
    }

    private func unknownKey(_ name: String, at k: Node, expected: [String]) -> RuleError {
        source.error("unknown key \"\(name)\" (expected one of \(expected.joined(separator: ", ")))", at: k)
    }

    private func conditionTexts(_ fields: [String: (key: Node, value: Node)]) -> ConditionTexts {
        let severity = fields["severity"]?.value
        var texts = ConditionTexts(scope: fields["scope"]?.value.string, when: fields["when"]?.value.string)
        if let s = severity?.string {
            // `severity: critical` always reaches that step.
            if s == "critical" { texts.critical = "true" } else { texts.warning = "true" }
        } else {
            for (k, v) in severity?.mapping ?? [:] {
                if k.string == "critical" { texts.critical = v.string }
                if k.string == "warning" { texts.warning = v.string }
            }
        }
        return texts
    }

    private mutating func days(_ v: Node, _ key: String) -> Int? {
        guard let s = v.scalar?.string, let n = RuleTiming.days(s) else {
            fail(source.error("\(key) is a whole number of days, e.g. 2d (or 0d)", at: v))
            return nil
        }
        return n
    }

    private mutating func ruleID(_ v: Node) -> String? {
        guard let s = v.string, let first = s.unicodeScalars.first,
            ("a"..."z").contains(first) || ("0"..."9").contains(first),
            s.unicodeScalars.allSatisfy({
                ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
            })
        else {
            fail(source.error("a rule id is lower-case letters, digits, \"-\" and \"_\", e.g. discount-creep", at: v))
            return nil
        }
        return s
    }

    private mutating func localizedNodes(_ v: Node, _ what: String) -> [(Language, Node)]? {
        if v.scalar != nil { return [(.en, v)] }
        guard let m = v.mapping else {
            fail(source.error("\(what) is a text or a mapping of en: and ru: texts", at: v))
            return nil
        }
        var out: [(Language, Node)] = []
        for (k, text) in m {
            guard let key = k.string, let locale = Language(rawValue: key) else {
                fail(unknownKey(k.string ?? "?", at: k, expected: Language.allCases.map(\.rawValue)))
                continue
            }
            guard text.scalar != nil else {
                fail(source.error("\(what).\(key) is a text", at: text))
                continue
            }
            out.append((locale, text))
        }
        guard out.contains(where: { $0.0 == .en }) else {
            fail(source.error("\(what) needs an en: text", at: v))
            return nil
        }
        return out
    }

    private mutating func localized(_ v: Node, _ what: String) -> LocalizedText? {
        guard let nodes = localizedNodes(v, what) else { return nil }
        let en = nodes.first { $0.0 == .en }?.1.string ?? ""
        let ru = nodes.first { $0.0 == .ru }?.1.string ?? en
        return LocalizedText(en: en, ru: ru)
    }

    private mutating func definitionName(_ k: Node, _ compiler: Compiler) -> String? {
        guard let name = k.string, isIdentifier(name) else {
            fail(source.error("a name is letters, digits and \"_\", starting with a letter", at: k))
            return nil
        }
        if reservedWords.contains(name) || ["true", "false", "null"].contains(name) {
            fail(source.error("\"\(name)\" is a reserved word", at: k))
            return nil
        }
        if compiler.definitions[name] != nil {
            fail(source.error("\"\(name)\" is defined twice", at: k))
            return nil
        }
        return name
    }

    private func isIdentifier(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, ("a"..."z").contains(f) || ("A"..."Z").contains(f) || f == "_" else {
            return false
        }
        return s.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
        }
    }

    /// Parses and type-checks the expression held in scalar `v`.
    private mutating func expression(_ v: Node, _ compiler: Compiler, type: ValueType?, what: String) -> Typed? {
        guard let text = v.scalar?.string else {
            fail(source.error("\(what) is an expression (a text), not a list or mapping", at: v))
            return nil
        }
        do {
            let parsed = try Parser.parse(text)
            let t = try compiler.compile(parsed)
            if let type, t.type != type, t.type != .null {
                fail(
                    source.error(
                        "\(what) must be true/false, but this is \(t.type == .day ? "a date" : t.type.rawValue)", in: v,
                        range: parsed.range))
                return nil
            }
            return t
        } catch {
            // An empty message: the expression uses a definition whose error is already reported.
            if !error.message.isEmpty { fail(source.error(error.message, in: v, range: error.range)) }
            return nil
        }
    }

    private mutating func severity(_ v: Node, _ compiler: Compiler) -> (Typed?, Typed?) {
        if let s = v.scalar?.string {
            switch s {
            case "critical": return (.constant(.bool(true), .bool), nil)
            case "warning": return (nil, .constant(.bool(true), .bool))
            default:
                fail(
                    source.error(
                        "severity is critical, warning, or a mapping of critical: and warning: conditions", at: v))
                return (nil, nil)
            }
        }
        guard let m = v.mapping, !m.isEmpty else {
            fail(
                source.error("severity is critical, warning, or a mapping of critical: and warning: conditions", at: v))
            return (nil, nil)
        }
        var critical: Typed?
        var warning: Typed?
        for (k, cond) in m {
            switch k.string {
            case "critical": critical = expression(cond, compiler, type: .bool, what: "severity.critical")
            case "warning": warning = expression(cond, compiler, type: .bool, what: "severity.warning")
            default: fail(unknownKey(k.string ?? "?", at: k, expected: ["critical", "warning"]))
            }
        }
        return (critical, warning)
    }

    private mutating func evidence(
        _ v: Node, _ compiler: Compiler
    ) -> ([(name: String, body: Typed)], [String: EvidenceStyle]) {
        var out: [(name: String, body: Typed)] = []
        var styles: [String: EvidenceStyle] = [:]
        var seen: Set<String> = []
        func add(_ name: String, _ body: Typed, _ k: Node) {
            if !seen.insert(name).inserted {
                errors.append(source.error("evidence \"\(name)\" is listed twice", at: k))
                return
            }
            out.append((name, body))
        }
        if let seq = v.sequence {
            for item in seq {
                guard let name = item.string, let d = compiler.definitions[name] else {
                    fail(source.error("\"\(item.string ?? "?")\" is not a name defined under let:", at: item))
                    continue
                }
                add(
                    name,
                    Typed(
                        node: .definition(d.index), type: d.typed.type, usesAccount: d.typed.usesAccount,
                        usesRow: false, usesDefinition: true), item)
            }
            return (out, styles)
        }
        guard let m = v.mapping else {
            fail(source.error("evidence is a mapping of name: expression (or a list of let: names)", at: v))
            return (out, styles)
        }
        for (k, body) in m {
            guard let name = k.string, isIdentifier(name) else {
                fail(source.error("an evidence name is letters, digits and \"_\"", at: k))
                continue
            }
            var expressionNode = body
            if let entry = body.mapping {
                guard let (value, style) = evidenceEntry(entry, of: k, name: name) else { continue }
                expressionNode = value
                styles[name] = style
            }
            if let t = expression(expressionNode, compiler, type: nil, what: "evidence.\(name)") { add(name, t, k) }
        }
        return (out, styles)
    }

    static let evidenceKeys = ["value", "label", "format"]

    /// `name: {value: expression, label: {en:, ru:}, format: percent}`: the expression's node and
    /// the style (errors in the style are reported); `nil` without a value.
    private mutating func evidenceEntry(_ m: Node.Mapping, of key: Node, name: String) -> (Node, EvidenceStyle)? {
        var value: Node?
        var style = EvidenceStyle()
        for (k, v) in m {
            switch k.string {
            case "value": value = v
            case "label":
                if let text = localized(v, "evidence.\(name).label") { style.label = text }
            case "format":
                let formats = EvidenceFormat.allCases.map(\.rawValue).joined(separator: ", ")
                if let text = v.scalar?.string {
                    if let f = EvidenceFormat(rawValue: text) {
                        style.format = f
                    } else {
                        fail(source.error("unknown format \"\(text)\" (expected one of \(formats))", at: v))
                    }
                } else {
                    fail(source.error("format is one name: \(formats)", at: v))
                }
            default:
                fail(unknownKey(k.string ?? "?", at: k, expected: Self.evidenceKeys))
            }
        }
        guard let value else {
            fail(source.error("evidence \"\(name)\" needs a value: expression", at: key))
            return nil
        }
        return (value, style)
    }

    private func yamlError(_ e: YamlError) -> RuleError { source.yamlError(e) }

    /// A stable MESSAGE_ID for a rule file that has none: two FNV-1a hashes of the id.
    static func derivedMessageID(for id: String) -> String {
        StableHash.hex(StableHash.fnv1a("kamwatch-rule:" + id))
            + StableHash.hex(StableHash.fnv1a(id + ":kamwatch-rule"))
    }
}

import FoundationEssentials
import YAMLText

/// One policy file as written, before `extends` is resolved. PolicyRule entries may be partial
/// overrides of an inherited rule (no `check:`), so they are kept as `RuleEntry`.
public struct PolicyDocument: Sendable, Hashable {
    public var metadata: PolicyMetadata
    public var metadataLocation: SourceLocation
    public var rules: [RuleEntry]
    public var waivers: [Waiver]
    public var targets: [AuditTarget] = []
    public var file: String
}

/// A rule entry: a complete rule, or an override of an inherited rule's fields.
public struct RuleEntry: Sendable, Hashable {
    public var id: String
    public var title: String?
    public var severity: Severity?
    public var check: CheckKind?
    public var scope: Scope?
    /// Raw parameters (validated against the check kind once it is known).
    public var params: [String: (ParamValue)]
    public var paramLocations: [String: SourceLocation]
    public var remediation: String?
    public var description: String?
    public var enabled: Bool?
    public var location: SourceLocation
}

/// Strict reader for the policy language: every key is known, every value has the expected type,
/// and every error names the file, line and column. Reads `YAMLText` nodes (not Codable) because
/// only nodes keep their marks.
public struct PolicyParser: Sendable {
    public let file: String

    public init(file: String) { self.file = file }

    static let topKeys = ["policy", "rules", "waivers", "targets"]
    static let targetKeys = ["target", "sni"]
    static let policyKeys = ["name", "description", "source", "extends"]
    static let ruleKeys = ["id", "title", "severity", "check", "scope", "params", "remediation", "description", "enabled"]
    static let scopeKeys = ["ports", "addresses", "hosts", "interfaces", "processes", "exposed"]
    static let waiverKeys = ["rule", "scope", "reason", "expires"]

    public func parse(_ text: String) throws(PolicyError) -> PolicyDocument {
        let parsed: YAMLNode?
        do {
            parsed = try YAMLDocument.parse(text)
        } catch {
            throw PolicyError("invalid YAML: \(error.message)", at: loc(error.mark))
        }
        guard let root = parsed else {
            throw PolicyError("empty policy: expected a mapping with `policy:` and `rules:`", at: loc(nil))
        }
        let top = try mapping(root, "the policy document")
        try checkKeys(top, allowed: Self.topKeys, in: "the policy document")
        guard let policyNode = top.value("policy") else {
            throw PolicyError("missing `policy:` (expected name, description, source, extends)", at: loc(root.mark))
        }
        let policyMap = try mapping(policyNode, "`policy`")
        try checkKeys(policyMap, allowed: Self.policyKeys, in: "`policy`")
        guard let nameNode = policyMap.value("name") else {
            throw PolicyError("missing `name` in `policy`", at: loc(policyNode.mark))
        }
        let name = try string(nameNode, "`policy.name`")
        guard Self.isIdentifier(name) else {
            throw PolicyError("`policy.name` must be letters, digits, '.', '_' or '-', got \"\(name)\"", at: loc(nameNode.mark))
        }
        var metadata = PolicyMetadata(name: name)
        if let n = policyMap.value("description") { metadata.description = try string(n, "`policy.description`") }
        if let n = policyMap.value("source") { metadata.source = try stringOrList(n, "`policy.source`") }
        if let n = policyMap.value("extends") { metadata.extends = try stringOrList(n, "`policy.extends`") }

        var rules: [RuleEntry] = []
        if let rulesNode = top.value("rules") {
            var seen: [String: SourceLocation] = [:]
            for item in try sequence(rulesNode, "`rules`") {
                let entry = try rule(item)
                if let first = seen[entry.id] {
                    throw PolicyError("duplicate rule id \"\(entry.id)\" (first defined at \(first.line):\(first.column))", at: entry.location)
                }
                seen[entry.id] = entry.location
                rules.append(entry)
            }
        }
        var waivers: [Waiver] = []
        if let waiversNode = top.value("waivers") {
            for item in try sequence(waiversNode, "`waivers`") { waivers.append(try waiver(item)) }
        }
        var targets: [AuditTarget] = []
        if let targetsNode = top.value("targets") {
            for item in try sequence(targetsNode, "`targets`") { targets.append(try target(item)) }
        }
        return PolicyDocument(metadata: metadata, metadataLocation: loc(policyNode.mark), rules: rules, waivers: waivers,
                              targets: targets, file: file)
    }

    /// `[A-Za-z0-9][A-Za-z0-9._-]*`: policy names and rule ids appear in file names, SARIF rule ids
    /// and waivers, so they stay plain ASCII words.
    static func isIdentifier(_ s: String) -> Bool {
        func alnum(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }
        let bytes = Array(s.utf8)
        guard let first = bytes.first, alnum(first) else { return false }
        return bytes.dropFirst().allSatisfy { alnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    // MARK: Sections

    private func rule(_ node: YAMLNode) throws(PolicyError) -> RuleEntry {
        let map = try mapping(node, "a rule")
        try checkKeys(map, allowed: Self.ruleKeys, in: "a rule")
        guard let idNode = map.value("id") else { throw PolicyError("rule without `id`", at: loc(node.mark)) }
        let id = try string(idNode, "`id`")
        guard Self.isIdentifier(id) else {
            throw PolicyError("rule id must be letters, digits, '.', '_' or '-', got \"\(id)\"", at: loc(idNode.mark))
        }
        var entry = RuleEntry(id: id, params: [:], paramLocations: [:], location: loc(node.mark))
        if let n = map.value("title") { entry.title = try string(n, "`title`") }
        if let n = map.value("severity") {
            let s = try string(n, "`severity`")
            guard let sev = Severity(rawValue: s) else {
                throw PolicyError("`severity` must be one of \(Severity.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(s)\"", at: loc(n.mark))
            }
            entry.severity = sev
        }
        if let n = map.value("check") {
            let s = try string(n, "`check`")
            guard let kind = CheckKind(rawValue: s) else {
                throw PolicyError("unknown check \"\(s)\"; expected one of \(CheckKind.allCases.map(\.rawValue).joined(separator: ", "))", at: loc(n.mark))
            }
            entry.check = kind
        }
        if let n = map.value("scope") { entry.scope = try scope(n) }
        if let n = map.value("params") {
            let pm = try mapping(n, "`params`")
            for (k, v) in pm.map({ ($0.key, $0.value) }) {
                let key = try string(k, "a parameter name")
                entry.params[key] = try paramValue(v, key)
                entry.paramLocations[key] = loc(k.mark)
            }
        }
        if let n = map.value("remediation") { entry.remediation = try string(n, "`remediation`") }
        if let n = map.value("description") { entry.description = try string(n, "`description`") }
        if let n = map.value("enabled") { entry.enabled = try bool(n, "`enabled`") }
        return entry
    }

    func scope(_ node: YAMLNode) throws(PolicyError) -> Scope {
        let map = try mapping(node, "`scope`")
        try checkKeys(map, allowed: Self.scopeKeys, in: "`scope`")
        var s = Scope()
        if let n = map.value("ports") {
            for item in try listNodes(n, "`scope.ports`") {
                guard case .scalar(let sc) = item else { throw wrongType(item, "`scope.ports`", "a port or a range like 8000-8999") }
                guard let r = ScopePortRange(parsing: sc.string) else {
                    throw PolicyError("`scope.ports`: expected a port (1-65535) or a range like 8000-8999, got \"\(sc.string)\"", at: loc(item.mark))
                }
                s.ports.append(r)
            }
        }
        if let n = map.value("addresses") {
            for item in try listNodes(n, "`scope.addresses`") {
                let text = try string(item, "`scope.addresses`")
                guard let c = CIDR(text) else {
                    throw PolicyError("`scope.addresses`: expected an IPv4/IPv6 address or CIDR prefix, got \"\(text)\"", at: loc(item.mark))
                }
                s.addresses.append(c)
            }
        }
        if let n = map.value("hosts") { s.hosts = try stringOrList(n, "`scope.hosts`") }
        if let n = map.value("interfaces") { s.interfaces = try stringOrList(n, "`scope.interfaces`") }
        if let n = map.value("processes") { s.processes = try stringOrList(n, "`scope.processes`") }
        if let n = map.value("exposed") { s.exposed = try bool(n, "`scope.exposed`") }
        return s
    }

    private func waiver(_ node: YAMLNode) throws(PolicyError) -> Waiver {
        let map = try mapping(node, "a waiver")
        try checkKeys(map, allowed: Self.waiverKeys, in: "a waiver")
        guard let ruleNode = map.value("rule") else { throw PolicyError("waiver without `rule` (the rule id it waives)", at: loc(node.mark)) }
        guard let reasonNode = map.value("reason") else { throw PolicyError("waiver without `reason`", at: loc(node.mark)) }
        guard let expiresNode = map.value("expires") else {
            throw PolicyError("waiver without `expires` (a date, YYYY-MM-DD): waivers must end", at: loc(node.mark))
        }
        let reason = try string(reasonNode, "`reason`")
        guard !reason.allSatisfy(\.isWhitespace) else {
            throw PolicyError("waiver `reason` is empty", at: loc(reasonNode.mark))
        }
        let scopeNode = map.value("scope")
        let e = try string(expiresNode, "`expires`")
        guard let date = DateOnly(e) else { throw PolicyError("`expires`: expected a date YYYY-MM-DD, got \"\(e)\"", at: loc(expiresNode.mark)) }
        return Waiver(rule: try string(ruleNode, "`rule`"),
                      scope: scopeNode == nil ? Scope() : try scope(scopeNode!),
                      reason: reason, expires: date, location: loc(node.mark))
    }

    /// `- "host:443"` or `- {target: "host:443", sni: name}`.
    private func target(_ node: YAMLNode) throws(PolicyError) -> AuditTarget {
        var text: String
        var sni: String?
        var at = node
        if case .mapping(let map, _) = node {
            try checkKeys(map, allowed: Self.targetKeys, in: "a target")
            guard let t = map.value("target") else { throw PolicyError("target without `target` (HOST:PORT)", at: loc(node.mark)) }
            text = try string(t, "`target`")
            at = t
            if let s = map.value("sni") { sni = try string(s, "`sni`") }
        } else {
            text = try string(node, "a target")
        }
        guard let t = AuditTarget(parsing: text, sni: sni) else {
            throw PolicyError("target: expected HOST:PORT or [IPv6]:PORT, got \"\(text)\"", at: loc(at.mark))
        }
        return t
    }

    // MARK: Typed accessors

    /// The resolved YAML tag of a scalar (collections: `.string`, never asked).
    private func tagName(_ node: YAMLNode) -> YAMLTag {
        if case .scalar(let s) = node { return s.tag }
        return .string
    }

    func loc(_ mark: YAMLMark?) -> SourceLocation {
        SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    private func describe(_ node: YAMLNode) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let s):
            switch tagName(node) {
            case .int: "the integer \(s.string)"
            case .bool: "the boolean \(s.string)"
            case .null: "nothing (null)"
            case .float: "the number \(s.string)"
            case .string: "the string \"\(s.string)\""
            }
        }
    }

    private func wrongType(_ node: YAMLNode, _ what: String, _ expected: String) -> PolicyError {
        PolicyError("\(what): expected \(expected), got \(describe(node))", at: loc(node.mark))
    }

    private func mapping(_ node: YAMLNode, _ what: String) throws(PolicyError) -> [YAMLPair] {
        guard case .mapping(let m, _) = node else { throw wrongType(node, what, "a mapping") }
        return m
    }

    private func sequence(_ node: YAMLNode, _ what: String) throws(PolicyError) -> [YAMLNode] {
        guard case .sequence(let s, _) = node else { throw wrongType(node, what, "a list") }
        return s
    }

    private func listNodes(_ node: YAMLNode, _ what: String) throws(PolicyError) -> [YAMLNode] {
        if case .sequence(let s, _) = node { return s }
        if case .scalar = node { return [node] }
        throw wrongType(node, what, "a list")
    }

    private func string(_ node: YAMLNode, _ what: String) throws(PolicyError) -> String {
        guard case .scalar(let s) = node, tagName(node) != .null else { throw wrongType(node, what, "a string") }
        return s.string
    }

    private func bool(_ node: YAMLNode, _ what: String) throws(PolicyError) -> Bool {
        guard case .scalar(let s) = node, tagName(node) == .bool, let b = Bool(s.string.lowercased()) else {
            throw wrongType(node, what, "true or false")
        }
        return b
    }

    private func stringOrList(_ node: YAMLNode, _ what: String) throws(PolicyError) -> [String] {
        var out: [String] = []
        for item in try listNodes(node, what) { out.append(try string(item, what)) }
        return out
    }

    private func paramValue(_ node: YAMLNode, _ key: String) throws(PolicyError) -> ParamValue {
        switch node {
        case .scalar(let s):
            switch tagName(node) {
            case .int: if let i = Int(s.string) { return .int(i) }
            case .bool: if let b = Bool(s.string.lowercased()) { return .bool(b) }
            case .null: throw wrongType(node, "`params.\(key)`", "a value")
            default: break
            }
            return .string(s.string)
        case .sequence(let seq, _):
            var items: [String] = []
            for item in seq {
                // `[null, export]`: YAML reads a bare null as nothing; in a list of names it is the word.
                if case .scalar(let sc) = item, tagName(item) == .null, !sc.string.isEmpty { items.append(sc.string); continue }
                items.append(try string(item, "`params.\(key)`"))
            }
            return .list(items)
        default:
            throw wrongType(node, "`params.\(key)`", "a scalar or a list of strings")
        }
    }

    private func checkKeys(_ map: [YAMLPair], allowed: [String], in what: String) throws(PolicyError) {
        var seen = Set<String>()
        for k in map.map(\.key) {
            let key = try string(k, "a key in \(what)")
            guard allowed.contains(key) else {
                throw PolicyError("unknown key \"\(key)\" in \(what); expected one of \(allowed.joined(separator: ", "))", at: loc(k.mark))
            }
            guard seen.insert(key).inserted else { throw PolicyError("duplicate key \"\(key)\" in \(what)", at: loc(k.mark)) }
        }
    }
}

extension [YAMLPair] {
    /// The value for a string key.
    func value(_ key: String) -> YAMLNode? {
        for pair in self { if case .scalar(let s) = pair.key, s.string == key { return pair.value } }
        return nil
    }
}

extension ScopePortRange {
    /// "443" or "8000-8999".
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { $0.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed() }.map { String($0) }
        guard (1...2).contains(parts.count), let lo = UInt16(parts[0]), lo > 0 else { return nil }
        let hi = parts.count == 2 ? UInt16(parts[1]) : lo
        guard let hi, hi >= lo else { return nil }
        self.init(lo, hi)
    }
}

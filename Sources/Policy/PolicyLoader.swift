import FoundationEssentials
import Glibc

/// Loads a policy by built-in name or file path and resolves its `extends:` chain.
///
/// Merging: parents are applied first, in `extends` order; a child rule with the same id replaces
/// the inherited rule when it names a `check:`, and otherwise overrides only the fields it gives
/// (so `{id: x, enabled: false}` switches a rule off and `{id: x, severity: low}` re-grades it).
/// Waivers accumulate. File access goes through `readFile`, so the loader itself stays pure.
public struct PolicyLoader: Sendable {
    /// Built-in policy texts by name.
    public var builtins: [String: String]
    /// Reads a file's text; throws a `PolicyError` when it cannot.
    public var readFile: @Sendable (String) throws(PolicyError) -> String

    public init(builtins: [String: String] = BuiltinPolicies.all,
                readFile: @escaping @Sendable (String) throws(PolicyError) -> String = PolicyLoader.noFiles) {
        self.builtins = builtins
        self.readFile = readFile
    }

    /// Whether a reference names a file rather than a built-in policy.
    public static func isPath(_ reference: String) -> Bool {
        reference.contains("/") || reference.hasSuffix(".yaml") || reference.hasSuffix(".yml")
    }

    /// Loads `reference` (built-in name or path) with its whole `extends` chain.
    public func load(_ reference: String, relativeTo base: String? = nil) throws(PolicyError) -> ResolvedPolicy {
        var stack: [String] = []
        return try resolve(reference, relativeTo: base, stack: &stack)
    }

    /// Parses and resolves policy text given directly (e.g. `policy check` of one file).
    public func load(text: String, file: String) throws(PolicyError) -> ResolvedPolicy {
        var stack: [String] = [file]
        let doc = try PolicyParser(file: file).parse(text)
        return try build(doc, stack: &stack)
    }

    private func resolve(_ reference: String, relativeTo base: String?, stack: inout [String]) throws(PolicyError) -> ResolvedPolicy {
        let (file, text) = try source(reference, relativeTo: base)
        if stack.contains(file) {
            throw PolicyError("`extends` cycle: \((stack + [file]).joined(separator: " → "))", file: stack.last ?? file)
        }
        stack.append(file)
        defer { stack.removeLast() }
        let doc = try PolicyParser(file: file).parse(text)
        return try build(doc, stack: &stack)
    }

    private func source(_ reference: String, relativeTo base: String?) throws(PolicyError) -> (String, String) {
        if Self.isPath(reference) {
            var path = reference
            if !path.hasPrefix("/"), let base, !base.hasPrefix("builtin:") {
                path = URL(fileURLWithPath: base).deletingLastPathComponent().appendingPathComponent(reference).path
            }
            return (path, try readFile(path))
        }
        guard let text = builtins[reference] else {
            throw PolicyError("unknown policy \"\(reference)\"; built-in policies: \(builtins.keys.sorted().joined(separator: ", ")) (or give a .yaml file path)",
                              file: base ?? reference)
        }
        return ("builtin:\(reference)", text)
    }

    private func build(_ doc: PolicyDocument, stack: inout [String]) throws(PolicyError) -> ResolvedPolicy {
        var rules: [PolicyRule] = []
        var waivers: [Waiver] = []
        var chain: [String] = []
        var targets: [AuditTarget] = []
        for parent in doc.metadata.extends {
            let p: ResolvedPolicy
            do {
                p = try resolve(parent, relativeTo: doc.file, stack: &stack)
            } catch let e where e.location == nil && !e.message.hasPrefix("`extends`") {
                throw PolicyError("in `extends: \(parent)`: \(e.message)", at: doc.metadataLocation)
            }
            for r in p.rules {
                if let i = rules.firstIndex(where: { $0.id == r.id }) { rules[i] = r } else { rules.append(r) }
            }
            waivers += p.waivers
            targets += p.targets
            chain += p.chain
        }
        for entry in doc.rules {
            let index = rules.firstIndex { $0.id == entry.id }
            if entry.check == nil, let index {
                rules[index] = try override(rules[index], with: entry)
            } else {
                let rule = try complete(entry)
                if let index { rules[index] = rule } else { rules.append(rule) }
            }
        }
        waivers += doc.waivers
        for w in waivers where !rules.contains(where: { $0.id == w.rule }) {
            throw PolicyError("waiver for unknown rule \"\(w.rule)\"; rules: \(rules.map(\.id).joined(separator: ", "))", at: w.location)
        }
        var policy = ResolvedPolicy(metadata: doc.metadata, rules: rules, waivers: waivers, origin: doc.file, chain: chain + [doc.file])
        policy.targets = targets + doc.targets.filter { !targets.contains($0) }
        return policy
    }

    /// A new rule: every field it needs must be present.
    private func complete(_ e: RuleEntry) throws(PolicyError) -> PolicyRule {
        guard let check = e.check else {
            throw PolicyError("rule \"\(e.id)\" has no `check` and overrides no inherited rule", at: e.location)
        }
        guard let title = e.title else { throw PolicyError("rule \"\(e.id)\" has no `title`", at: e.location) }
        guard let severity = e.severity else { throw PolicyError("rule \"\(e.id)\" has no `severity`", at: e.location) }
        guard let remediation = e.remediation else {
            throw PolicyError("rule \"\(e.id)\" has no `remediation` (say how to fix it)", at: e.location)
        }
        let params = try validate(e.params, locations: e.paramLocations, for: check, ruleID: e.id, at: e.location, base: nil)
        return PolicyRule(id: e.id, title: title, severity: severity, check: check, scope: e.scope ?? Scope(), params: params,
                    remediation: remediation, description: e.description ?? "", enabled: e.enabled ?? true, location: e.location)
    }

    /// An inherited rule with some fields replaced; params merge key by key.
    private func override(_ r: PolicyRule, with e: RuleEntry) throws(PolicyError) -> PolicyRule {
        var out = r
        if let v = e.title { out.title = v }
        if let v = e.severity { out.severity = v }
        if let v = e.scope { out.scope = v }
        if let v = e.remediation { out.remediation = v }
        if let v = e.description { out.description = v }
        if let v = e.enabled { out.enabled = v }
        if !e.params.isEmpty {
            out.params = try validate(e.params, locations: e.paramLocations, for: r.check, ruleID: e.id, at: e.location, base: r.params)
        }
        out.location = e.location
        return out
    }

    /// Checks parameters against the kind's specification and fills in defaults.
    private func validate(_ raw: [String: ParamValue], locations: [String: SourceLocation], for kind: CheckKind,
                          ruleID: String, at location: SourceLocation, base: CheckParams?) throws(PolicyError) -> CheckParams {
        let specs = kind.parameters
        var out = base?.values ?? [:]
        for key in raw.keys.sorted() {
            let value = raw[key]!
            let at = locations[key] ?? location
            guard let spec = specs.first(where: { $0.name == key }) else {
                let known = specs.isEmpty ? "it takes no parameters" : "expected one of \(specs.map(\.name).joined(separator: ", "))"
                throw PolicyError("unknown parameter \"\(key)\" for check \(kind.rawValue); \(known)", at: at)
            }
            out[key] = try coerce(value, to: spec, kind: kind, at: at)
        }
        for spec in specs where out[spec.name] == nil {
            guard let d = spec.defaultValue else {
                throw PolicyError("rule \"\(ruleID)\": check \(kind.rawValue) needs parameter `\(spec.name)` (\(spec.type.expectation))", at: location)
            }
            out[spec.name] = d
        }
        return CheckParams(out)
    }

    private func coerce(_ value: ParamValue, to spec: ParameterSpec, kind: CheckKind, at: SourceLocation) throws(PolicyError) -> ParamValue {
        let bad = PolicyError("parameter `\(spec.name)` of \(kind.rawValue): expected \(spec.type.expectation), got \(value)", at: at)
        switch (spec.type, value) {
        case (.int, .int): return value
        case (.port, .int(let p)):
            guard (1...65535).contains(p) else { throw bad }
            return value
        case (.bool, .bool): return value
        case (.stringList, .list): return value
        case (.stringList, .string(let s)): return .list([s])
        case (.oneOf(let allowed), .string(let s)):
            guard allowed.contains(s) else { throw bad }
            return value
        case (.listOf(let allowed), .list(let l)):
            guard l.allSatisfy(allowed.contains) else { throw bad }
            return value
        case (.listOf(let allowed), .string(let s)):
            guard allowed.contains(s) else { throw bad }
            return .list([s])
        default:
            throw bad
        }
    }

    /// The default file access: none. The engine stays pure; callers that load policy files pass
    /// a reader (the audit's `PolicyFiles.read`).
    public static let noFiles: @Sendable (String) throws(PolicyError) -> String = { path throws(PolicyError) in
        throw PolicyError("reading policy files is not available here", file: path)
    }
}

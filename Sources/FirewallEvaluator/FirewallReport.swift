import FoundationEssentials
import Glibc
import NftModel

/// The output of `portcullis firewall` (JSON schemaVersion 1 and the text form), kept apart from
/// the command so the schema can be tested. JSON keys are sorted; field names are the contract.
public enum FirewallReport {
    public static let schemaVersion = 1

    /// `--source` given: one concrete flow.
    public struct Flow: Codable, Sendable, Equatable {
        public var schemaVersion: Int
        public var verdict: FlowVerdict
        public var family: IPVersion
        public var deliveredPort: UInt16?
        public var reason: String
        public var trace: [TraceStep]
        public var warnings: [String]

        public init(_ answer: FlowAnswer, warnings: [String]) {
            schemaVersion = FirewallReport.schemaVersion
            verdict = answer.verdict
            family = answer.family
            deliveredPort = answer.deliveredPort
            reason = answer.reason
            trace = answer.trace
            self.warnings = warnings
        }

        // deliveredPort is always present (null when nothing is delivered), as the contract lists it.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(schemaVersion, forKey: .schemaVersion)
            try c.encode(verdict, forKey: .verdict)
            try c.encode(family, forKey: .family)
            try c.encode(deliveredPort, forKey: .deliveredPort)
            try c.encode(reason, forKey: .reason)
            try c.encode(trace.map(StepCoding.init), forKey: .trace)
            try c.encode(warnings, forKey: .warnings)
        }
    }

    /// Trace steps encode `handle` as null for chain policies.
    struct StepCoding: Encodable {
        var step: TraceStep
        enum Keys: String, CodingKey { case family, table, chain, handle, rule, verdict }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(step.family, forKey: .family)
            try c.encode(step.table, forKey: .table)
            try c.encode(step.chain, forKey: .chain)
            try c.encode(step.handle, forKey: .handle)
            try c.encode(step.rule, forKey: .rule)
            try c.encode(step.verdict, forKey: .verdict)
        }
    }

    /// No `--source`: a symbolic summary per family.
    public struct Summary: Encodable, Sendable {
        public var schemaVersion: Int
        public var ipv4: FamilySummary?
        public var ipv6: FamilySummary?
        public var warnings: [String]

        public init(ipv4: FamilySummary?, ipv6: FamilySummary?, warnings: [String]) {
            schemaVersion = FirewallReport.schemaVersion
            self.ipv4 = ipv4
            self.ipv6 = ipv6
            self.warnings = warnings
        }

        enum Keys: String, CodingKey { case schemaVersion, ipv4, ipv6, warnings }
        enum FamilyKeys: String, CodingKey { case verdict, acceptedFrom, interfaces, deliveredPorts, reason, trace }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(schemaVersion, forKey: .schemaVersion)
            for (key, s) in [(Keys.ipv4, ipv4), (.ipv6, ipv6)] {
                guard let s else { continue }
                var f = c.nestedContainer(keyedBy: FamilyKeys.self, forKey: key)
                try f.encode(s.verdict, forKey: .verdict)
                try f.encode(s.acceptedFrom, forKey: .acceptedFrom)
                try f.encode(s.interfaces, forKey: .interfaces)
                try f.encode(s.deliveredPorts, forKey: .deliveredPorts)
                try f.encode(s.reason, forKey: .reason)
                try f.encode(s.trace.map(StepCoding.init), forKey: .trace)
            }
            try c.encode(warnings, forKey: .warnings)
        }
    }

    public static func json(_ value: some Encodable) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try e.encode(value)
    }

    // MARK: text

    public static func text(_ s: Summary) -> String {
        var out = ""
        for f in [s.ipv4, s.ipv6].compactMap({ $0 }) {
            let from: String
            switch f.verdict {
            case .accept: from = "from everywhere"
            case .drop, .reject: from = "from nowhere"
            case .conditional, .undetermined:
                from = f.acceptedFrom.isEmpty ? "accepted from nowhere for certain" : "from \(f.acceptedFrom.joined(separator: ", "))"
            }
            let ifs = f.interfaces.isEmpty ? "" : " on \(f.interfaces.joined(separator: ", "))"
            let ports = f.deliveredPorts.isEmpty ? "" : " → delivered to port \(f.deliveredPorts.map(String.init).joined(separator: ", "))"
            out += "\(f.family.rawValue): \(f.verdict.rawValue) \(from)\(ifs)\(ports)\n"
        }
        for f in [s.ipv4, s.ipv6].compactMap({ $0 }) {
            out += "\n\(f.family.rawValue): \(f.reason)\n"
            out += traceText(f.trace)
        }
        for w in s.warnings { out += "\nwarning: \(w)\n" }
        return out
    }

    public static func text(_ f: Flow) -> String {
        var out = "\(f.family.rawValue): \(f.verdict.rawValue)"
        if let p = f.deliveredPort { out += " → delivered to port \(p)" }
        out += "\n\(f.reason)\n"
        out += traceText(f.trace)
        for w in f.warnings { out += "\nwarning: \(w)\n" }
        return out
    }

    static func traceText(_ trace: [TraceStep]) -> String {
        guard !trace.isEmpty else { return "  (no rule took part: no base chain on the path)\n" }
        var out = "  deciding rules:\n"
        for t in trace {
            let handle = t.handle.map { " handle \($0)" } ?? ""
            out += "    \(t.family) \(t.table) \(t.chain)\(handle): \(t.rule)  → \(t.verdict)\n"
        }
        return out
    }
}

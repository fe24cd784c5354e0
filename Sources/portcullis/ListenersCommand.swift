import ArgumentParser
import Dispatch
import FoundationEssentials
import Glibc
import NftModel
import FirewallEvaluator
import NetlinkRuleset
import Listeners

/// `portcullis listeners`: every listening socket, its owner, and how far the firewall exposes it.
struct ListenersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listeners",
        abstract: "List listening TCP/UDP sockets with their processes, systemd units and firewall exposure.",
        discussion: """
        Sockets come from the kernel (NETLINK_SOCK_DIAG), owners from /proc. Without root, sockets \
        of other users are listed without their processes and the firewall cannot be read \
        (exposure is then "undetermined"); a warning on stderr says what is missing.
        Exit status: 0 listed; 2 usage error; 4 the namespace could not be entered or sock_diag refused; 6 the output could not be written.
        """
    )

    enum ProtocolChoice: String, ExpressibleByArgument, CaseIterable {
        case tcp, udp, all
        var protocols: Set<TransportProtocol> {
            switch self {
            case .tcp: [.tcp]
            case .udp: [.udp]
            case .all: [.tcp, .udp]
            }
        }
    }

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(name: .customLong("protocol"), help: "tcp, udp or all.")
    var protocolChoice: ProtocolChoice = .all

    @Option(help: "Audit the network namespace NAME (/run/netns/NAME) or a /proc/PID/ns/net path.")
    var netns: String?

    @Option(help: "text or json (schemaVersion 1).")
    var format: OutputFormat = .text

    func run() throws {
        // The firewall is read while the sockets are enumerated: both are kernel round trips.
        let firewall = ListenersFirewallJoin.FirewallRead(netns: netns)
        var scan: ListenerScan
        do {
            scan = try ListenerScanner().scan(protocols: protocolChoice.protocols, netns: netns)
        } catch {
            _ = firewall.wait()
            Diagnostics.error("\(error.description)")
            throw PortcullisExit.privilege
        }
        scan = ListenersFirewallJoin.join(scan, firewall: firewall.wait())
        for w in scan.warnings {
            Diagnostics.warning("\(w)")
        }
        do {
            switch format {
            case .json:
                for chunk in ListenerScanJSON.chunks(scan) { try StandardOutput.write(chunk) }
            case .text:
                try StandardOutput.write(Array(ListenersRendering.table(scan).utf8))
            }
        } catch {
            Diagnostics.error("\(error)")
            throw PortcullisExit.ioFailure
        }
    }
}

/// Reads the firewall of the audited namespace and joins it with the listeners; a firewall that
/// cannot be read makes every exposure `undetermined` with the reason, and adds a warning.
enum ListenersFirewallJoin {
    /// The namespace's ruleset and local addresses, read on another thread.
    final class FirewallRead: @unchecked Sendable {
        private var result: Result<FirewallEvaluator, RulesetReadError>?
        private let done = DispatchSemaphore(value: 0)

        init(netns: String?) {
            DispatchQueue.global(qos: .userInitiated).async { [self] in
                do throws(RulesetReadError) {
                    let ruleset = try NetlinkRulesetReader().read(netns: netns)
                    let local = (try? LocalInterfaces.read(netns: netns)) ?? LocalInterfaces(addresses: [], indexes: [:])
                    result = .success(FirewallEvaluator(ruleset: ruleset, localAddresses: local.addresses, interfaceIndexes: local.indexes))
                } catch {
                    result = .failure(error)
                }
                done.signal()
            }
        }

        /// Waits for the read (written once before `done` is signalled, read only after).
        func wait() -> Result<FirewallEvaluator, RulesetReadError> {
            done.wait()
            done.signal()
            return result!
        }
    }

    static func join(_ scan: ListenerScan, firewall: Result<FirewallEvaluator, RulesetReadError>) -> ListenerScan {
        switch firewall {
        case .failure(let error):
            let reason = "firewall could not be read: \(error.description)"
            var out = ListenerExposureJoin.undetermined(scan, reason: reason)
            if out.listeners.contains(where: { !$0.acceptedVersions.isEmpty }) {
                out.warnings.append("exposure undetermined: \(reason)")
            }
            return out
        case .success(let evaluator):
            var out = ListenerExposureJoin.join(scan, oracle: evaluator)
            out.warnings += evaluator.warnings
            return out
        }
    }
}

/// Text and JSON presentation of a scan.
enum ListenersRendering {
    static func table(_ scan: ListenerScan) -> String {
        var rows = [["PROTO", "ADDRESS:PORT", "PROCESS", "UNIT", "EXPOSURE"]]
        for l in scan.listeners {
            let host = l.family == .ipv6 ? "[\(l.address)]" : l.address
            let endpoint = host + (l.boundInterface.map { "%\($0)" } ?? "") + ":\(l.port)"
            let names = l.processes.prefix(3).map { "\($0.name)(\($0.pid))" }.joined(separator: ",")
            let process = l.processes.isEmpty ? "?" : names + (l.processes.count > 3 ? ",+\(l.processes.count - 3)" : "")
            let unit = l.processes.compactMap(\.unit).first ?? "-"
            let proto = l.protocol.rawValue + (l.family == .ipv6 ? "6" : "")
            rows.append([proto, endpoint, process, unit, exposureText(l)])
        }
        let widths = (0..<4).map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            (0..<4).map { (c: Int) -> String in TableText.column(row[c], widths[c]) }.joined(separator: "  ")
                + "  " + row[4]
        }.joined(separator: "\n") + "\n"
    }

    /// "ipv4 accept, ipv6 from fd00::/8 via 443", "loopback only", "ipv4 undetermined".
    static func exposureText(_ l: Listener) -> String {
        guard let e = l.exposure else { return "-" }
        if l.binding == .loopback { return "not exposed (loopback)" }
        let parts = IPVersion.allCases.compactMap { v -> String? in
            let f = e[v]
            let verdict: String
            switch f.verdict {
            case .notExposed: return nil
            case .conditional:
                let from = f.acceptedFrom.isEmpty ? "" : " from " + f.acceptedFrom.joined(separator: ",")
                let on = f.interfaces.isEmpty ? "" : " on " + f.interfaces.joined(separator: ",")
                verdict = "conditional" + from + on
            default:
                verdict = f.verdict.rawValue + (f.verdict == .accept && !f.interfaces.isEmpty ? " on " + f.interfaces.joined(separator: ",") : "")
            }
            let via = f.viaPorts.isEmpty ? "" : " (dnat from " + f.viaPorts.map(String.init).joined(separator: ",") + ")"
            return "\(v.rawValue) \(verdict)\(via)"
        }
        return parts.isEmpty ? "not exposed" : parts.joined(separator: "; ")
    }
}

/// Writes bytes to fd 1 without copying them into `Data` (the JSON of 10,000 sockets is megabytes).
enum StandardOutput {
    struct WriteError: Error, CustomStringConvertible {
        var errno: Int32
        var description: String { "cannot write to standard output: \(String(cString: strerror(errno)))" }
    }

    static func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(1, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw WriteError(errno: errno)
                }
                offset += n
            }
        }
    }
}

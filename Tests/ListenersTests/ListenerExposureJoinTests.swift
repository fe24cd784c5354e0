import Testing
import Foundation
import NftModel
import FirewallEvaluator
@testable import Listeners

/// The join's own rules: which versions are asked of the firewall, and what is never exposed.
/// The firewall is replaced by a recorder here only to see the questions the join asks; the
/// answers against the real evaluator and kernel are in `ListenerExposureKernelTests`.
struct ListenerExposureJoinTests {
    final class Recorder: ListenerExposureOracle, @unchecked Sendable {
        private let lock = NSLock()
        private var questions: [(UInt16, UInt8, IPVersion, String?)] = []
        var asked: [(UInt16, UInt8, IPVersion, String?)] { lock.withLock { questions } }
        func exposure(localPort: UInt16, l4proto: UInt8, version: IPVersion, inputInterface: String?) -> FamilySummary {
            lock.withLock { questions.append((localPort, l4proto, version, inputInterface)) }
            return FamilySummary(family: version, verdict: .accept, acceptedFrom: [version == .ipv4 ? "0.0.0.0/0" : "::/0"],
                                 interfaces: [], reason: "accepted", trace: [])
        }
        func externalPorts(reaching localPort: UInt16, l4proto: UInt8, version: IPVersion, inputInterface: String?) -> [UInt16] {
            localPort == 8443 ? [443] : []
        }
    }

    static func listener(_ family: IPVersion, _ address: String, port: UInt16 = 8443, v6only: Bool = false,
                         proto: TransportProtocol = .tcp, interface: String? = nil) -> Listener {
        Listener(protocol: proto, address: address, port: port, family: family, v6only: v6only, inode: 1, uid: 0,
                 boundInterface: interface, processes: [],
                 binding: BoundAddressClassifier.classify(BoundAddressClassifier.parse(address)!))
    }

    @Test func loopbackIsNeverAskedAndNeverExposed() {
        let r = Recorder()
        for l in [Self.listener(.ipv4, "127.0.0.1"), Self.listener(.ipv6, "::1"), Self.listener(.ipv6, "::ffff:127.0.0.1")] {
            let e = ListenerExposureJoin.exposure(of: l, oracle: r)
            #expect(e.ipv4.verdict == .notExposed && e.ipv6.verdict == .notExposed)
            #expect(e.ipv4.reason.contains("loopback"))
        }
        #expect(r.asked.isEmpty)
    }

    @Test func versionsFollowTheSocket() {
        let r = Recorder()
        let v4 = ListenerExposureJoin.exposure(of: Self.listener(.ipv4, "0.0.0.0"), oracle: r)
        #expect(v4.ipv4.verdict == .accept && v4.ipv4.viaPorts == [443])
        #expect(v4.ipv6.verdict == .notExposed)
        let dual = ListenerExposureJoin.exposure(of: Self.listener(.ipv6, "::"), oracle: r)
        #expect(dual.ipv4.verdict == .accept && dual.ipv6.verdict == .accept)
        let only6 = ListenerExposureJoin.exposure(of: Self.listener(.ipv6, "::", v6only: true), oracle: r)
        #expect(only6.ipv4.verdict == .notExposed && only6.ipv6.verdict == .accept)
        #expect(only6.ipv4.reason.contains("IPV6_V6ONLY"))
        let mapped = ListenerExposureJoin.exposure(of: Self.listener(.ipv6, "::ffff:10.0.0.1"), oracle: r)
        #expect(mapped.ipv4.verdict == .accept && mapped.ipv6.verdict == .notExposed)
        let specific6 = ListenerExposureJoin.exposure(of: Self.listener(.ipv6, "fd00::1", v6only: true), oracle: r)
        #expect(specific6.ipv4.verdict == .notExposed && specific6.ipv6.verdict == .accept)
        #expect(r.asked.map(\.2) == [.ipv4, .ipv4, .ipv6, .ipv6, .ipv4, .ipv6])
    }

    @Test func protocolAndBoundInterfaceAreAsked() {
        let r = Recorder()
        let e = ListenerExposureJoin.exposure(of: Self.listener(.ipv4, "0.0.0.0", port: 53, proto: .udp, interface: "eth1"), oracle: r)
        #expect(r.asked.count == 1)
        #expect(r.asked.first?.0 == 53 && r.asked.first?.1 == 17 && r.asked.first?.3 == "eth1")
        #expect(e.ipv4.interfaces == ["eth1"])
    }

    @Test func undeterminedKeepsWhatNoFirewallChanges() {
        let scan = ListenerScan(listeners: [Self.listener(.ipv4, "0.0.0.0"), Self.listener(.ipv4, "127.0.0.1")], warnings: [])
        let out = ListenerExposureJoin.undetermined(scan, reason: "firewall could not be read: EPERM")
        #expect(out.listeners[0].exposure?.ipv4.verdict == .undetermined)
        #expect(out.listeners[0].exposure?.ipv4.reason == "firewall could not be read: EPERM")
        #expect(out.listeners[0].exposure?.ipv6.verdict == .notExposed)
        #expect(out.listeners[1].exposure?.ipv4.verdict == .notExposed)
    }
}

extension ListenerExposureJoinTests {
    @Test func manyListenersAskEachQuestionOnceAndKeepOrder() {
        let r = Recorder()
        var listeners: [Listener] = []
        for port in UInt16(1000)..<1300 {
            listeners.append(Self.listener(.ipv4, "0.0.0.0", port: port))
            listeners.append(Self.listener(.ipv4, "10.0.0.1", port: port)) // same question as the wildcard one
            listeners.append(Self.listener(.ipv6, "::", port: port, v6only: true))
        }
        let out = ListenerExposureJoin.join(ListenerScan(listeners: listeners, warnings: []), oracle: r)
        #expect(r.asked.count == 600)
        #expect(Set(r.asked.map { "\($0.0)/\($0.2)" }).count == 600)
        for l in out.listeners {
            let e = l.exposure!
            #expect(e[l.family].verdict == .accept)
            #expect(e[l.family].acceptedFrom == [l.family == .ipv4 ? "0.0.0.0/0" : "::/0"])
        }
        #expect(out.listeners.map(\.port) == listeners.map(\.port))
    }
}

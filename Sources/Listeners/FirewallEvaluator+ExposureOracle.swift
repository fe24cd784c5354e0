import FirewallEvaluator

/// The firewall evaluator answers the listener join's question directly
/// (`exposure(localPort:l4proto:version:inputInterface:)` follows dnat/redirect to the socket).
extension FirewallEvaluator: ListenerExposureOracle {}

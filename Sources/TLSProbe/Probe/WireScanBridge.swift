/// Runs the wire-level scan (tls-wire's `WireScanner`) and maps its result to `WireFacts`.
enum WireScanBridge {
    /// nil when no wire scanner is available in this build.
    static func scan(_ endpoint: Endpoint, options: ProbeOptions, deadline: Double) async -> WireFacts? {
        nil
    }
}

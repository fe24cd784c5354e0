/// How hard and how fast a scan may push the endpoint.
public struct ScanOptions: Sendable, Equatable {
    /// Budget of one connection in seconds: connect, send the hello and read the server's first
    /// flight must all finish within it (a peer trickling bytes is cut off here).
    public var timeout: Double
    /// Extra attempts for a connection that timed out or hit a transient error (not for a
    /// server's answer, which is a result).
    public var retries: Int
    /// Minimum seconds between the starts of two connections (pacing for rate-limited servers).
    public var delay: Double
    /// Connections open at the same time to this endpoint.
    public var maxConcurrentConnections: Int
    /// Wall-clock budget of the whole scan in seconds; jobs not finished by then report an error.
    public var scanDeadline: Double
    /// Most suites in one ClientHello when a server rejected the full list (servers that choke
    /// on long lists; 128 is the traditional safe size).
    public var maxSuitesPerHello: Int

    public init(timeout: Double = 5, retries: Int = 1, delay: Double = 0, maxConcurrentConnections: Int = 8,
                scanDeadline: Double = 120, maxSuitesPerHello: Int = 128) {
        self.timeout = timeout
        self.retries = max(0, retries)
        self.delay = max(0, delay)
        self.maxConcurrentConnections = max(1, maxConcurrentConnections)
        self.scanDeadline = scanDeadline
        self.maxSuitesPerHello = max(1, maxSuitesPerHello)
    }
}

/// How hard and how politely to probe.
public struct ProbeOptions: Sendable {
    /// Per-connection timeout (connect, each read), seconds.
    public var timeout: Double
    /// Minimum pause between starting two connections to the endpoint (rate-limited servers), seconds.
    public var delay: Double
    /// Connections open at once, per prober (shared by all probes it runs).
    public var concurrency: Int
    /// Extra attempts after a connection times out or is reset.
    public var retries: Int
    /// The whole probe gives up (reporting what it has, with the unfinished checks as errors) after this.
    public var deadline: Double
    /// Extra trust anchors (and intermediates), PEM.
    public var caFile: String?
    /// Folder of hashed trust anchors (OpenSSL `c_rehash` layout).
    public var trustStorePath: String
    /// Cap on bytes read from an HTTP response (headers only are needed).
    public var maxHTTPBytes: Int
    /// Endpoints probed at once by one prober (the audit probes many).
    public var parallelEndpoints: Int
    /// Run the wire-level scan (protocols, suites, groups …). Off: only the OpenSSL handshake and HTTP.
    public var wireScan: Bool

    public init(timeout: Double = 5, delay: Double = 0, concurrency: Int = 8, retries: Int = 1,
                deadline: Double = 60, caFile: String? = nil, trustStorePath: String = "/etc/ssl/certs",
                maxHTTPBytes: Int = 64 * 1024, parallelEndpoints: Int = 4, wireScan: Bool = true) {
        self.timeout = timeout
        self.delay = delay
        self.concurrency = max(1, concurrency)
        self.retries = max(0, retries)
        self.deadline = deadline
        self.caFile = caFile
        self.trustStorePath = trustStorePath
        self.maxHTTPBytes = maxHTTPBytes
        self.parallelEndpoints = max(1, parallelEndpoints)
        self.wireScan = wireScan
    }
}

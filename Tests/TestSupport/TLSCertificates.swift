import Foundation

/// The shared PKI's folder, removed by an atexit handler (C function pointers cannot capture).
nonisolated(unsafe) private var tlsPKIFolderToRemove: UnsafeMutablePointer<CChar>?

/// A test PKI made with the `openssl` CLI in a temporary folder: a root CA, an intermediate, and
/// one leaf per certificate fact the probe must tell apart. Generated once per test process
/// (`TLSCertificates.shared`) and only read afterwards, so parallel tests can share it.
///
/// Every leaf except `wrongName` carries SANs `localhost`, `*.portcullis.test`, `127.0.0.1`, `::1`.
public final class TLSCertificates: @unchecked Sendable {
    /// One leaf certificate: its PEM files and what it is meant to be.
    public struct Leaf: Sendable {
        public var name: String
        public var key: String
        public var cert: String
        /// leaf + intermediate (what a correctly configured server sends); == cert for self-signed.
        public var fullChain: String

        public init(name: String, key: String, cert: String, fullChain: String) {
            self.name = name
            self.key = key
            self.cert = cert
            self.fullChain = fullChain
        }
    }

    public let directory: URL
    public let rootCert: String
    public let intermediateCert: String
    /// Root + intermediate: lets the probe tell "missing intermediate" from "untrusted".
    public let caBundle: String
    /// Root only.
    public let rootOnly: String
    /// 1024-bit DH parameters for DHE tests.
    public let dh1024: String
    /// A DER OCSP response ("good") for `goodRSA`, signed by the intermediate: for `s_server -status_file`.
    public let goodRSAOCSPResponse: String

    public let goodRSA: Leaf
    public let goodEC: Leaf
    public let expired: Leaf
    public let notYetValid: Leaf
    public let selfSigned: Leaf
    public let rsa1024: Leaf
    public let sha1Signed: Leaf
    public let wrongName: Leaf
    public let expiringSoon: Leaf
    /// Served without its intermediate: `fullChain` holds the leaf alone.
    public let missingIntermediate: Leaf

    public static let standardSANs = "DNS:localhost,DNS:*.portcullis.test,IP:127.0.0.1,IP:::1"

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cached: TLSCertificates?

    /// The process-wide set (made on first use).
    public static func shared() throws -> TLSCertificates {
        lock.lock()
        defer { lock.unlock() }
        if let c = cached { return c }
        let c = try TLSCertificates()
        cached = c
        // Remove the folder when the test process ends.
        tlsPKIFolderToRemove = strdup(c.directory.path)
        atexit {
            if let p = tlsPKIFolderToRemove { try? FileManager.default.removeItem(atPath: String(cString: p)) }
        }
        return c
    }

    private init() throws {
        let dir = try TestEnvironment.temporaryDirectory("pc-pki")
        directory = dir
        func path(_ n: String) -> String { dir.appendingPathComponent(n).path }
        func openssl(_ args: [String]) throws { try Subprocess.check(["openssl"] + args, timeout: 60) }

        // Root and intermediate CAs.
        try """
        [ca_ext]
        basicConstraints = critical, CA:TRUE
        keyUsage = critical, keyCertSign, cRLSign
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid:always
        """.write(toFile: path("ca.ext"), atomically: true, encoding: .utf8)
        try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path("root.key"), "-out", path("root.pem"),
                     "-days", "3650", "-subj", "/O=Portcullis Test/CN=Portcullis Test Root CA",
                     "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        try openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", path("inter.key"), "-out", path("inter.csr"),
                     "-subj", "/O=Portcullis Test/CN=Portcullis Test Intermediate CA"])
        try openssl(["x509", "-req", "-in", path("inter.csr"), "-CA", path("root.pem"), "-CAkey", path("root.key"),
                     "-CAcreateserial", "-days", "3650", "-sha256", "-extfile", path("ca.ext"), "-extensions", "ca_ext",
                     "-out", path("inter.pem")])
        rootCert = path("root.pem")
        intermediateCert = path("inter.pem")
        rootOnly = rootCert
        caBundle = path("bundle.pem")
        try (String(contentsOfFile: rootCert, encoding: .utf8) + String(contentsOfFile: intermediateCert, encoding: .utf8))
            .write(toFile: caBundle, atomically: true, encoding: .utf8)

        // `openssl ca` signs with explicit start and end dates (x509 -req cannot backdate).
        for f in ["index.txt"] { _ = FileManager.default.createFile(atPath: path(f), contents: Data()) }
        try "1000\n".write(toFile: path("serial"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: path("issued"), withIntermediateDirectories: true)
        try """
        [ca]
        default_ca = test_ca
        [test_ca]
        database = \(path("index.txt"))
        new_certs_dir = \(path("issued"))
        serial = \(path("serial"))
        certificate = \(path("inter.pem"))
        private_key = \(path("inter.key"))
        default_md = sha256
        policy = any_policy
        unique_subject = no
        copy_extensions = none
        email_in_dn = no
        [any_policy]
        commonName = supplied
        organizationName = optional
        """.write(toFile: path("ca.cnf"), atomically: true, encoding: .utf8)

        dh1024 = path("dh1024.pem")
        // PKCS#3 parameters: the faster -dsaparam writes X9.42 ones, which s_server and nginx reject.
        try openssl(["dhparam", "-out", path("dh1024.pem"), "1024"])

        let now = Date()
        func stamp(_ days: Double) -> String {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "UTC")
            f.dateFormat = "yyMMddHHmmss'Z'"
            return f.string(from: now.addingTimeInterval(days * 86_400))
        }

        func leaf(_ name: String, key: [String] = ["-newkey", "rsa:2048"], from: Double = -1, to: Double = 365,
                  sans: String = TLSCertificates.standardSANs, md: String = "sha256", sendIntermediate: Bool = true) throws -> Leaf {
            let keyPath = path("\(name).key"), csr = path("\(name).csr"), cert = path("\(name).pem"), ext = path("\(name).ext")
            try """
            [leaf_ext]
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature, keyEncipherment
            extendedKeyUsage = serverAuth
            subjectAltName = \(sans)
            authorityKeyIdentifier = keyid
            """.write(toFile: ext, atomically: true, encoding: .utf8)
            try openssl(["req", "-new"] + key + ["-nodes", "-keyout", keyPath, "-out", csr, "-subj", "/O=Portcullis Test/CN=\(name).portcullis.test"])
            try openssl(["ca", "-batch", "-config", path("ca.cnf"), "-in", csr, "-out", cert, "-notext", "-md", md,
                         "-startdate", stamp(from), "-enddate", stamp(to), "-extfile", ext, "-extensions", "leaf_ext"])
            let chain = path("\(name)-chain.pem")
            var text = try String(contentsOfFile: cert, encoding: .utf8)
            if sendIntermediate { text += try String(contentsOfFile: path("inter.pem"), encoding: .utf8) }
            try text.write(toFile: chain, atomically: true, encoding: .utf8)
            return Leaf(name: name, key: keyPath, cert: cert, fullChain: chain)
        }

        goodRSA = try leaf("good-rsa")
        goodEC = try leaf("good-ec", key: ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"])
        expired = try leaf("expired", from: -60, to: -2)
        notYetValid = try leaf("not-yet-valid", from: 5, to: 400)
        rsa1024 = try leaf("rsa-1024", key: ["-newkey", "rsa:1024"])
        sha1Signed = try leaf("sha1-signed", md: "sha1")
        wrongName = try leaf("wrong-name", sans: "DNS:wrong.example.org")
        expiringSoon = try leaf("expiring-soon", from: -80, to: 10)
        missingIntermediate = try leaf("no-intermediate", sendIntermediate: false)
        goodRSAOCSPResponse = path("good-rsa.ocsp.der")
        try openssl(["ocsp", "-index", path("index.txt"), "-rsigner", path("inter.pem"), "-rkey", path("inter.key"),
                     "-CA", path("inter.pem"), "-issuer", path("inter.pem"), "-cert", path("good-rsa.pem"),
                     "-respout", path("good-rsa.ocsp.der"), "-ndays", "1"])

        let ssKey = path("self-signed.key"), ssCert = path("self-signed.pem")
        try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ssKey, "-out", ssCert, "-days", "365",
                     "-subj", "/O=Portcullis Test/CN=self-signed.portcullis.test", "-addext", "subjectAltName=\(Self.standardSANs)"])
        selfSigned = Leaf(name: "self-signed", key: ssKey, cert: ssCert, fullChain: ssCert)

    }

    /// Every leaf, for tests that iterate.
    public var allLeaves: [Leaf] {
        [goodRSA, goodEC, expired, notYetValid, selfSigned, rsa1024, sha1Signed, wrongName, expiringSoon, missingIntermediate]
    }
}

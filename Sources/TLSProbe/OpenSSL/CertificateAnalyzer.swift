import COpenSSL
import COpenSSLShim
import CNetfilter
import Glibc

/// Certificate facts from the chain a server sent, with OpenSSL's X509 APIs. All pointers are
/// borrowed from the live SSL object and used on its thread only.
enum CertificateAnalyzer {
    /// - Parameters:
    ///   - sentChain: `STACK_OF(X509)` as sent, leaf first (SSL_get_peer_cert_chain on a client).
    ///   - expectedName: SNI name or host/IP the leaf must match.
    static func analyze(sentChain: OpaquePointer, expectedName: String, anchors: TrustAnchors,
                        ocspStapled: Bool) -> CertificateReport? {
        let count = Int(pc_sk_x509_num(sentChain))
        guard count > 0 else { return nil }
        let certs = (0..<count).compactMap { pc_sk_x509_value(sentChain, Int32($0)) }
        let leaf = certs[0]

        let first = verify(leaf: leaf, untrusted: sentChain, store: anchors.store)
        var chainComplete = true
        if let code = first.code, code == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY || code == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT {
            // Would the chain verify if the missing intermediates were supplied?
            if let widened = pc_sk_x509_new() {
                defer { pc_sk_x509_free(widened) }
                certs.forEach { pc_sk_x509_push(widened, $0) }
                for i in 0..<pc_sk_x509_num(anchors.helpers) { pc_sk_x509_push(widened, pc_sk_x509_value(anchors.helpers, i)) }
                let second = verify(leaf: leaf, untrusted: widened, store: anchors.store)
                if second.code == nil || (second.code != X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY && second.code != X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT) {
                    chainComplete = false
                }
            }
        }

        var orderCorrect = true
        if count > 1 {
            for i in 0..<(count - 1) where X509_check_issued(certs[i + 1], certs[i]) != X509_V_OK {
                orderCorrect = false
            }
        }

        let key = keyFacts(leaf)
        let (sigName, weakSig) = signature(leaf)
        let notBefore = X509_get0_notBefore(leaf)
        let notAfter = X509_get0_notAfter(leaf)
        var verifyError = first.text
        if !chainComplete, let e = verifyError { verifyError = "incomplete chain: \(e)" }
        let report = CertificateReport(
            trusted: first.code == nil,
            verifyError: verifyError,
            expired: X509_cmp_current_time(notAfter) < 0,
            notYetValid: X509_cmp_current_time(notBefore) > 0,
            notBefore: iso8601(notBefore),
            notAfter: iso8601(notAfter),
            daysLeft: daysUntil(notAfter),
            lifespanDays: days(from: notBefore, to: notAfter),
            selfSigned: X509_self_signed(leaf, 1) == 1,
            hostnameMatches: matches(leaf, expectedName),
            keyType: key.type,
            keyBits: key.bits,
            curve: key.curve,
            signatureAlgorithm: sigName,
            weakSignature: weakSig,
            chainOrderCorrect: orderCorrect,
            chainComplete: chainComplete,
            ocspStapled: ocspStapled,
            chain: certs.map { cert in
                let k = keyFacts(cert)
                return CertificateReport.ChainCertificate(
                    subject: name(X509_get_subject_name(cert)), issuer: name(X509_get_issuer_name(cert)),
                    notAfter: iso8601(X509_get0_notAfter(cert)), keyType: k.type, keyBits: k.bits,
                    signatureAlgorithm: signature(cert).name)
            })
        ERR_clear_error()
        return report
    }

    /// X509_verify_cert of `leaf` with `untrusted` helpers against `store`; nil code when it verifies.
    static func verify(leaf: OpaquePointer, untrusted: OpaquePointer, store: OpaquePointer) -> (code: Int32?, text: String?) {
        guard let ctx = X509_STORE_CTX_new() else { return (-1, "out of memory") }
        defer { X509_STORE_CTX_free(ctx) }
        guard X509_STORE_CTX_init(ctx, store, leaf, untrusted) == 1 else {
            return (-1, OpenSSLErrors.drainText("X509_STORE_CTX_init failed"))
        }
        if X509_verify_cert(ctx) == 1 { return (nil, nil) }
        let code = X509_STORE_CTX_get_error(ctx)
        ERR_clear_error()
        return (code, String(cString: X509_verify_cert_error_string(Int(code))))
    }

    static func matches(_ cert: OpaquePointer, _ expected: String) -> Bool {
        var name = expected
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if TCPTransport.isIPLiteral(name) {
            return X509_check_ip_asc(cert, name, 0) == 1
        }
        return X509_check_host(cert, name, name.utf8.count, 0, nil) == 1
    }

    static func keyFacts(_ cert: OpaquePointer) -> (type: String, bits: Int, curve: String?) {
        guard let pkey = X509_get0_pubkey(cert) else { return ("unknown", 0, nil) }
        let id = EVP_PKEY_get_base_id(pkey)
        let bits = Int(EVP_PKEY_get_bits(pkey))
        let type: String
        var curve: String?
        switch id {
        case NID_rsaEncryption: type = "RSA"
        case NID_rsassaPss: type = "RSA-PSS"
        case NID_X9_62_id_ecPublicKey:
            type = "EC"
            var buf = [CChar](repeating: 0, count: 80)
            var len = 0
            if EVP_PKEY_get_group_name(pkey, &buf, buf.count, &len) == 1 { curve = buf.withUnsafeBufferPointer { String(cString: $0.baseAddress!) } }
        case NID_ED25519: type = "Ed25519"
        case NID_ED448: type = "Ed448"
        case NID_dsa: type = "DSA"
        default:
            type = OBJ_nid2sn(id).map { String(cString: $0) } ?? "unknown"
        }
        return (type, bits, curve)
    }

    /// Long name of the signature algorithm and whether its digest is SHA-1 or MD5 (or weaker).
    static func signature(_ cert: OpaquePointer) -> (name: String, weak: Bool) {
        let nid = X509_get_signature_nid(cert)
        let name = OBJ_nid2ln(nid).map { String(cString: $0) } ?? "unknown"
        var md: Int32 = 0
        var pk: Int32 = 0
        _ = OBJ_find_sigid_algs(nid, &md, &pk)
        let weak = [NID_sha1, NID_md5, NID_md4, NID_md2, NID_md5_sha1].contains(md)
        return (name, weak)
    }

    static func name(_ n: OpaquePointer?) -> String {
        guard let n else { return "" }
        var buf = [CChar](repeating: 0, count: 1024)
        pc_x509_name_rfc2253(n, &buf, Int32(buf.count))
        return buf.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    static func iso8601(_ t: UnsafePointer<ASN1_TIME>?) -> String {
        var tm = tm()
        guard let t, ASN1_TIME_to_tm(t, &tm) == 1 else { return "" }
        return String(format4(Int(tm.tm_year) + 1900)) + "-" + two(Int(tm.tm_mon) + 1) + "-" + two(Int(tm.tm_mday))
            + "T" + two(Int(tm.tm_hour)) + ":" + two(Int(tm.tm_min)) + ":" + two(Int(tm.tm_sec)) + "Z"
    }

    /// Whole days from now to `t`, rounded toward negative infinity.
    static func daysUntil(_ t: UnsafePointer<ASN1_TIME>?) -> Int {
        var days: Int32 = 0
        var secs: Int32 = 0
        guard let t, ASN1_TIME_diff(&days, &secs, nil, t) == 1 else { return 0 }
        let total = Int(days) * 86_400 + Int(secs)
        return total >= 0 ? total / 86_400 : -((-total + 86_399) / 86_400)
    }

    /// Days from `start` to `end`, a part day counting as a day (a certificate valid for 398 days
    /// and one second exceeds a 398-day limit).
    static func days(from start: UnsafePointer<ASN1_TIME>?, to end: UnsafePointer<ASN1_TIME>?) -> Int? {
        var days: Int32 = 0
        var secs: Int32 = 0
        guard let start, let end, ASN1_TIME_diff(&days, &secs, start, end) == 1 else { return nil }
        let total = Int(days) * 86_400 + Int(secs)
        return total <= 0 ? 0 : (total + 86_399) / 86_400
    }

    private static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    private static func format4(_ v: Int) -> String { String(repeating: "0", count: max(0, 4 - String(v).count)) + String(v) }
}

#include "COpenSSLShim.h"
#include <openssl/tls1.h>
#include <string.h>
int pc_ssl_ctx_set_min_proto(SSL_CTX *ctx, int version) { return (int)SSL_CTX_set_min_proto_version(ctx, version); }
int pc_ssl_ctx_set_max_proto(SSL_CTX *ctx, int version) { return (int)SSL_CTX_set_max_proto_version(ctx, version); }
int pc_ssl_set_sni(SSL *ssl, const char *name) { return (int)SSL_set_tlsext_host_name(ssl, name); }
void pc_ssl_ctx_set_probe_options(SSL_CTX *ctx) {
    SSL_CTX_set_options(ctx, SSL_OP_LEGACY_SERVER_CONNECT | SSL_OP_IGNORE_UNEXPECTED_EOF);
}
int pc_ssl_request_ocsp(SSL *ssl) { return (int)SSL_set_tlsext_status_type(ssl, TLSEXT_STATUSTYPE_ocsp); }
long pc_ssl_ocsp_response_length(SSL *ssl) {
    const unsigned char *resp = NULL;
    long len = SSL_get_tlsext_status_ocsp_resp(ssl, &resp);
    return (resp == NULL || len < 0) ? 0 : len;
}
long pc_bio_mem_data(BIO *bio, char **data) { return BIO_get_mem_data(bio, data); }
int pc_sk_x509_num(const STACK_OF(X509) *stack) { return sk_X509_num(stack); }
X509 *pc_sk_x509_value(const STACK_OF(X509) *stack, int index) { return sk_X509_value(stack, index); }
STACK_OF(X509) *pc_sk_x509_new(void) { return sk_X509_new_null(); }
int pc_sk_x509_push(STACK_OF(X509) *stack, X509 *cert) { return sk_X509_push(stack, cert); }
void pc_sk_x509_free(STACK_OF(X509) *stack) { sk_X509_free(stack); }
int pc_x509_name_rfc2253(const X509_NAME *name, char *buf, int len) {
    if (len <= 0) return 0;
    buf[0] = 0;
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL) return 0;
    X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    char *data = NULL;
    long n = BIO_get_mem_data(bio, &data);
    if (n < 0) n = 0;
    if (n > len - 1) n = len - 1;
    if (n > 0) memcpy(buf, data, (size_t)n);
    buf[n] = 0;
    BIO_free(bio);
    return (int)n;
}
EVP_PKEY *pc_ssl_peer_tmp_key(SSL *ssl) {
    EVP_PKEY *key = NULL;
    if (SSL_get_peer_tmp_key(ssl, &key) != 1) return NULL;
    return key;
}

/* libcrypto's and libssl's own loaders of every library's reason texts. Internal to OpenSSL 3.0
   but global symbols of the static archives Portcullis links (a later OpenSSL without them fails
   the link, loudly): the public route, OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CRYPTO_STRINGS),
   is a one-time switch that OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS at start-up has already spent. */
int ossl_err_load_crypto_strings(void);
int ossl_err_load_SSL_strings(void);

void pc_load_error_strings(void) {
    ossl_err_load_crypto_strings();
    ossl_err_load_SSL_strings();
}

#ifndef PORTCULLIS_OPENSSL_SHIM_H
#define PORTCULLIS_OPENSSL_SHIM_H
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/bio.h>
/// Functions for OpenSSL macros that do not import into Swift (see PLATFORM.md).
int pc_ssl_ctx_set_min_proto(SSL_CTX *ctx, int version);
int pc_ssl_ctx_set_max_proto(SSL_CTX *ctx, int version);
int pc_ssl_set_sni(SSL *ssl, const char *name);

/// Options a probing client needs: talk to servers without RFC 5746 (legacy renegotiation),
/// and treat a missing close_notify as end of data rather than an error.
void pc_ssl_ctx_set_probe_options(SSL_CTX *ctx);
/// Asks for an OCSP staple (status_request extension).
int pc_ssl_request_ocsp(SSL *ssl);
/// Length of the stapled OCSP response, 0 when none was sent.
long pc_ssl_ocsp_response_length(SSL *ssl);
/// Bytes held by a memory BIO (BIO_get_mem_data).
long pc_bio_mem_data(BIO *bio, char **data);
/// sk_X509 accessors with the right types (the sk_X509_* inline functions are macros).
int pc_sk_x509_num(const STACK_OF(X509) *stack);
X509 *pc_sk_x509_value(const STACK_OF(X509) *stack, int index);
STACK_OF(X509) *pc_sk_x509_new(void);
int pc_sk_x509_push(STACK_OF(X509) *stack, X509 *cert);
void pc_sk_x509_free(STACK_OF(X509) *stack);
/// RFC 2253 text of a distinguished name into `buf` (NUL-terminated, truncated); returns its length.
int pc_x509_name_rfc2253(const X509_NAME *name, char *buf, int len);
/// The server's ephemeral key-exchange key (SSL_get_peer_tmp_key); caller frees with EVP_PKEY_free.
EVP_PKEY *pc_ssl_peer_tmp_key(SSL *ssl);
/// Loads the reason texts of every libcrypto and libssl error. Portcullis starts OpenSSL without
/// them and calls this the first time it has an error to report. Call once.
void pc_load_error_strings(void);
#endif

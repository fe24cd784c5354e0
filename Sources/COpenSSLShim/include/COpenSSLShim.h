#ifndef PORTCULLIS_OPENSSL_SHIM_H
#define PORTCULLIS_OPENSSL_SHIM_H
#include <openssl/ssl.h>
/// Functions for OpenSSL macros that do not import into Swift (see PLATFORM.md).
int pc_ssl_ctx_set_min_proto(SSL_CTX *ctx, int version);
int pc_ssl_ctx_set_max_proto(SSL_CTX *ctx, int version);
int pc_ssl_set_sni(SSL *ssl, const char *name);
#endif

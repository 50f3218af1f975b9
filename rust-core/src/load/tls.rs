//! TLS for `https://` load-urls, redirects and error-log URLs: rustls with the `ring` provider.
//!
//! Certificates are always checked: the chain must end at a trusted CA and the certificate must
//! name the host of the URL (DNS name or IP address). There is deliberately no switch to turn this
//! off; a private CA is trusted by adding it to the trust store instead.
//!
//! The trust store is the system's ([`TrustStore::System`]: the platform's CA bundle, or the files
//! named by `SSL_CERT_FILE` / `SSL_CERT_DIR`), read once per process on the first `https` request.
//! Tests hand their own roots in ([`TrustStore::Pem`]) instead of changing process-wide variables.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use once_cell::sync::OnceCell;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, RootCertStore};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;

/// Where the CAs that servers' certificates must chain to come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrustStore {
    /// The system's store (honours `SSL_CERT_FILE` and `SSL_CERT_DIR`). What options give.
    System,
    /// The certificates of a PEM file (tests).
    Pem(PathBuf),
}

/// The client configuration of one trust store, built on first use.
#[derive(Debug)]
pub struct Tls {
    store: TrustStore,
    config: OnceCell<Arc<ClientConfig>>,
}

/// The system store's configuration: read once per process.
static SYSTEM: OnceCell<Arc<ClientConfig>> = OnceCell::new();

impl Tls {
    pub fn new(store: TrustStore) -> Tls {
        Tls {
            store,
            config: OnceCell::new(),
        }
    }

    /// The client configuration; an error says why the trust store could not be read.
    fn config(&self) -> Result<Arc<ClientConfig>, String> {
        match &self.store {
            TrustStore::System => SYSTEM.get_or_try_init(system_config).cloned(),
            TrustStore::Pem(path) => self.config.get_or_try_init(|| pem_config(path)).cloned(),
        }
    }

    /// Runs the TLS handshake on `tcp` for `host`. `Err` is the reason, for the caller to name
    /// the endpoint.
    pub async fn handshake(
        &self,
        host: &str,
        tcp: TcpStream,
    ) -> Result<TlsStream<TcpStream>, String> {
        let config = self.config()?;
        let name = ServerName::try_from(host.to_string())
            .map_err(|_| format!("'{host}' is not a valid TLS server name"))?;
        TlsConnector::from(config)
            .connect(name, tcp)
            .await
            .map_err(|e| explain(&e))
    }
}

/// A handshake failure's reason, with a hint when the certificate was refused.
fn explain(e: &std::io::Error) -> String {
    let refused = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        .is_some_and(|r| matches!(r, rustls::Error::InvalidCertificate(_)));
    if refused {
        format!(
            "{e} (the server's certificate must name this host and chain to a CA of the trust \
             store: the system's, or the files that SSL_CERT_FILE / SSL_CERT_DIR name)"
        )
    } else {
        e.to_string()
    }
}

/// rustls' `ring` provider: TLS 1.2/1.3 with ECDHE (X25519, P-256, P-384). rustls 0.23.48
/// deprecated it for lacking post-quantum key exchange; the provider that has it (aws-lc-rs) would
/// add megabytes of native code to the jar and a cmake build, for a key exchange that the servers
/// in front of StarRocks rarely offer yet.
#[allow(deprecated)]
fn crypto_provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A client configuration trusting `roots`, with certificate and host-name checks.
pub fn client_config(roots: RootCertStore) -> Arc<ClientConfig> {
    let config = ClientConfig::builder_with_provider(crypto_provider())
        .with_safe_default_protocol_versions()
        .expect("the ring provider supports the default TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    Arc::new(config)
}

fn roots_of(certs: Vec<CertificateDer<'static>>, source: &str) -> Result<RootCertStore, String> {
    let mut roots = RootCertStore::empty();
    let (added, ignored) = roots.add_parsable_certificates(certs);
    if added == 0 {
        return Err(format!(
            "no usable CA certificate in {source} ({ignored} could not be parsed)"
        ));
    }
    if ignored > 0 {
        tracing::warn!("{ignored} certificates of {source} could not be parsed and are ignored");
    }
    Ok(roots)
}

fn system_config() -> Result<Arc<ClientConfig>, String> {
    let source = "the system trust store (SSL_CERT_FILE / SSL_CERT_DIR, or the platform's)";
    let found = rustls_native_certs::load_native_certs();
    for e in &found.errors {
        tracing::warn!("reading {source}: {e}");
    }
    if found.certs.is_empty() {
        let why = found
            .errors
            .first()
            .map(|e| format!(": {e}"))
            .unwrap_or_default();
        return Err(format!("no CA certificate found in {source}{why}"));
    }
    roots_of(found.certs, source).map(client_config)
}

fn pem_config(path: &Path) -> Result<Arc<ClientConfig>, String> {
    let source = path.display().to_string();
    let certs = CertificateDer::pem_file_iter(path)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|e| format!("cannot read CA certificates from {source}: {e}"))?;
    roots_of(certs, &source).map(client_config)
}

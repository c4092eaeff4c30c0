namespace Mandate.Server.Configuration;

/// <summary><c>dataPlane.tls</c>.</summary>
/// <param name="CertificatePath">PEM certificate (chain) file, or a PKCS#12 file when <paramref name="KeyPath"/> is null.</param>
/// <param name="KeyPath">PEM private key file.</param>
/// <param name="ClientCertificates">Whether client certificates are asked for.</param>
public sealed record TlsConfig(string CertificatePath, string? KeyPath, ClientCertificatePolicy ClientCertificates);

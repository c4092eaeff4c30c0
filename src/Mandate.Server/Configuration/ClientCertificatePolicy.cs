namespace Mandate.Server.Configuration;

/// <summary>Whether the data plane asks agents for a client certificate (mTLS, X.509-SVID).</summary>
public enum ClientCertificatePolicy
{
    /// <summary>Not asked for.</summary>
    None,

    /// <summary>Asked for; a request without one must carry a bearer token.</summary>
    Allow,

    /// <summary>The TLS handshake fails without one.</summary>
    Require,
}

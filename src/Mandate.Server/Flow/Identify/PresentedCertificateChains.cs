using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;

namespace Mandate.Server.Flow.Identify;

/// <summary>
/// The extra certificates (intermediates) each mTLS client presented in its handshake, remembered per
/// leaf certificate object until the identify step hands them to the X.509-SVID validator. Kestrel gives
/// them only to the TLS validation callback (<c>chain.ChainPolicy.ExtraStore</c>); the connection feature
/// later exposes the leaf alone.
/// </summary>
/// <remarks>
/// Keyed by the leaf object itself (Kestrel hands the same <see cref="X509Certificate2"/> to the callback
/// and to <c>HttpContext.Connection.ClientCertificate</c>), so an entry lives exactly as long as the
/// connection's certificate and one client can never see another's intermediates. The intermediates are
/// untrusted input: they only help build a path; trust still comes from the bundle alone.
/// </remarks>
public sealed class PresentedCertificateChains
{
    private readonly ConditionalWeakTable<X509Certificate2, X509Certificate2Collection> _chains = new();

    /// <summary>Remembers the certificates the client sent besides <paramref name="leaf"/> (copies, so the handshake may dispose its own).</summary>
    public void Remember(X509Certificate2 leaf, X509Chain? chain)
    {
        if (chain is null || chain.ChainPolicy.ExtraStore.Count == 0)
        {
            return;
        }

        var extra = new X509Certificate2Collection();
        foreach (var certificate in chain.ChainPolicy.ExtraStore)
        {
            if (!certificate.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))
            {
                extra.Add(X509CertificateLoader.LoadCertificate(certificate.RawDataMemory.Span));
            }
        }

        _chains.AddOrUpdate(leaf, extra);
    }

    /// <summary>The intermediates presented with <paramref name="leaf"/>, or null when none were.</summary>
    public X509Certificate2Collection? For(X509Certificate2 leaf) => _chains.TryGetValue(leaf, out var extra) ? extra : null;
}

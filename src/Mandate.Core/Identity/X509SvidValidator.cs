using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Mandate.Core.Identity;

/// <summary>
/// Validates an X.509-SVID presented over mTLS (SPIFFE X.509-SVID §4, §5): exactly one URI SAN holding a
/// SPIFFE ID of a configured trust domain, a leaf that is not a CA and may sign, a chain to that trust
/// domain's bundle only (custom root trust, no system roots, no network), and validity at now.
/// </summary>
internal sealed class X509SvidValidator(IReadOnlyDictionary<string, X509TrustBundle> bundles, TimeProvider time)
{
    private const string SubjectAltNameOid = "2.5.29.17";
    private const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>Validates <paramref name="leaf"/> with the intermediates in <paramref name="extraChain"/>.</summary>
    public IdentityResult Validate(X509Certificate2 leaf, X509Certificate2Collection? extraChain)
    {
        if (!TryGetSingleUriSan(leaf, out var uri, out var error))
        {
            return IdentityResult.Failure(error!);
        }
        if (SpiffeId.TryParse(uri) is not { } spiffeId || spiffeId.Path.Length == 0)
        {
            return Fail(IdentityErrorCodes.SpiffeIdInvalid, "the certificate's URI SAN is not a SPIFFE ID of a workload");
        }
        if (!bundles.TryGetValue(spiffeId.TrustDomain, out var bundle))
        {
            return Fail(IdentityErrorCodes.UnknownIssuer, $"trust domain `{spiffeId.TrustDomain}` is not trusted for X.509-SVIDs");
        }

        foreach (var extension in leaf.Extensions)
        {
            switch (extension)
            {
                case X509BasicConstraintsExtension { CertificateAuthority: true }:
                    return Fail(IdentityErrorCodes.CertificateInvalid, "the leaf certificate is a CA");
                case X509KeyUsageExtension usage:
                    if ((usage.KeyUsages & X509KeyUsageFlags.DigitalSignature) == 0)
                    {
                        return Fail(IdentityErrorCodes.CertificateInvalid, "the leaf certificate may not sign (no digitalSignature key usage)");
                    }
                    if ((usage.KeyUsages & (X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign)) != 0)
                    {
                        return Fail(IdentityErrorCodes.CertificateInvalid, "the leaf certificate may sign certificates or CRLs");
                    }
                    break;
            }
        }

        var now = time.GetUtcNow();
        if (now < leaf.NotBefore.ToUniversalTime() - bundle.ClockSkew)
        {
            return Fail(IdentityErrorCodes.NotYetValid, "the certificate is not valid yet");
        }
        if (now > leaf.NotAfter.ToUniversalTime() + bundle.ClockSkew)
        {
            return Fail(IdentityErrorCodes.Expired, "the certificate has expired");
        }

        if (!bundle.TryGetRoots(out var roots, out var bundleError))
        {
            return IdentityResult.Failure(bundleError!);
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        // A leaf that restricts its extended key usage must allow client authentication (mTLS); one without EKU may.
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuthenticationOid));
        if (extraChain is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(extraChain);
        }
        try
        {
            if (!chain.Build(leaf))
            {
                var reasons = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
                return Fail(IdentityErrorCodes.CertificateInvalid, $"the certificate does not chain to the bundle of `{spiffeId.TrustDomain}` ({reasons})");
            }
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                if (!ReferenceEquals(element.Certificate, leaf))
                {
                    element.Certificate.Dispose();
                }
            }
        }

        using var empty = JsonDocument.Parse("{}");
        return IdentityResult.Success(new AgentIdentity
        {
            AgentId = spiffeId.Value,
            Method = AuthenticationMethods.X509Svid,
            Issuer = spiffeId.TrustDomainId,
            Subject = spiffeId.Value,
            ExpiresAt = leaf.NotAfter.ToUniversalTime(),
            Claims = empty.RootElement.Clone(),
        });
    }

    /// <summary>Reads the URI names of the SAN extension; exactly one is required.</summary>
    private static bool TryGetSingleUriSan(X509Certificate2 leaf, out string? uri, out IdentityError? error)
    {
        uri = null;
        var uris = new List<string>();
        foreach (var extension in leaf.Extensions)
        {
            if (extension.Oid?.Value != SubjectAltNameOid)
            {
                continue;
            }
            try
            {
                var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER);
                var names = reader.ReadSequence();
                var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
                while (names.HasData)
                {
                    var tag = names.PeekTag();
                    if (tag.HasSameClassAndValue(uriTag))
                    {
                        uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, uriTag));
                    }
                    else
                    {
                        names.ReadEncodedValue();
                    }
                }
                reader.ThrowIfNotEmpty();
            }
            catch (Exception ex) when (ex is AsnContentException or CryptographicException)
            {
                error = new IdentityError(IdentityErrorCodes.CertificateInvalid, "the certificate's subject alternative names are malformed");
                return false;
            }
        }
        if (uris.Count != 1)
        {
            error = new IdentityError(IdentityErrorCodes.SpiffeIdInvalid, $"an X.509-SVID has exactly one URI SAN; this certificate has {uris.Count}");
            return false;
        }
        uri = uris[0];
        error = null;
        return true;
    }

    private static IdentityResult Fail(string code, string message) => IdentityResult.Failure(code, message);
}

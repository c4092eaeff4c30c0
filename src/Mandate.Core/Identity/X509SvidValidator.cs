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
            return Fail(IdentityErrorCodes.UnknownIssuer, "the certificate's SPIFFE trust domain is not trusted for X.509-SVIDs");
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
                return Fail(IdentityErrorCodes.CertificateInvalid, $"the certificate does not chain to its trust domain's bundle ({reasons})");
            }

            // The platform's chain engine checks these too; they are stated here so the rule does not
            // depend on the platform (SPIFFE X.509-SVID §4.1–§4.3, RFC 5280 §4.2.1.9).
            if (CheckSigners(chain, roots, spiffeId) is { } signerError)
            {
                return IdentityResult.Failure(signerError);
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

    /// <summary>
    /// Checks every certificate above the leaf: each is a CA (basicConstraints cA) that may sign certificates
    /// (keyCertSign when key usage is present), each is within its path length constraint, a SPIFFE ID it
    /// carries names the leaf's trust domain, and the chain ends at a certificate of the bundle itself.
    /// </summary>
    private static IdentityError? CheckSigners(X509Chain chain, X509Certificate2Collection roots, SpiffeId leafId)
    {
        var elements = chain.ChainElements;
        if (elements.Count < 2)
        {
            return new IdentityError(IdentityErrorCodes.CertificateInvalid, "the certificate is not signed by a CA of the bundle");
        }

        for (var i = 1; i < elements.Count; i++)
        {
            var signer = elements[i].Certificate;
            var constraints = signer.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
            if (constraints is not { CertificateAuthority: true })
            {
                return new IdentityError(IdentityErrorCodes.CertificateInvalid, "a chain certificate is not a CA");
            }

            // Certificates between this signer and the leaf: the intermediates it vouches for.
            var below = i - 1;
            if (constraints.HasPathLengthConstraint && below > constraints.PathLengthConstraint)
            {
                return new IdentityError(IdentityErrorCodes.CertificateInvalid, $"a chain certificate allows {constraints.PathLengthConstraint} intermediate(s) below it; the chain has {below}");
            }

            var usage = signer.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
            if (usage is not null && (usage.KeyUsages & X509KeyUsageFlags.KeyCertSign) == 0)
            {
                return new IdentityError(IdentityErrorCodes.CertificateInvalid, "a chain certificate may not sign certificates (no keyCertSign key usage)");
            }

            // A signing certificate may name its trust domain (`spiffe://td`, often written `spiffe://td/`).
            var signerUris = ReadUriSans(signer);
            if (signerUris is null)
            {
                return new IdentityError(IdentityErrorCodes.CertificateInvalid, "a chain certificate has malformed subject alternative names");
            }
            foreach (var signerUri in signerUris)
            {
                if (signerUri.StartsWith("spiffe://", StringComparison.OrdinalIgnoreCase))
                {
                    var rest = signerUri["spiffe://".Length..];
                    var domain = rest.Split('/', 2)[0];
                    if (!string.Equals(domain, leafId.TrustDomain, StringComparison.Ordinal))
                    {
                        return new IdentityError(IdentityErrorCodes.CertificateInvalid, "a chain certificate belongs to another trust domain than the leaf");
                    }
                }
            }
        }

        var anchor = elements[^1].Certificate;
        if (!roots.Cast<X509Certificate2>().Any(r => r.RawDataMemory.Span.SequenceEqual(anchor.RawDataMemory.Span)))
        {
            return new IdentityError(IdentityErrorCodes.CertificateInvalid, "the chain does not end at a certificate of the bundle");
        }

        return null;
    }

    /// <summary>Reads the URI names of the SAN extension; exactly one is required.</summary>
    private static bool TryGetSingleUriSan(X509Certificate2 leaf, out string? uri, out IdentityError? error)
    {
        uri = null;
        var uris = ReadUriSans(leaf);
        if (uris is null)
        {
            error = new IdentityError(IdentityErrorCodes.CertificateInvalid, "the certificate's subject alternative names are malformed");
            return false;
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

    /// <summary>The URI names of a certificate's SAN extension; null when the extension is malformed.</summary>
    private static List<string>? ReadUriSans(X509Certificate2 certificate)
    {
        var uris = new List<string>();
        foreach (var extension in certificate.Extensions)
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
                return null;
            }
        }
        return uris;
    }

    private static IdentityResult Fail(string code, string message) => IdentityResult.Failure(code, message);
}

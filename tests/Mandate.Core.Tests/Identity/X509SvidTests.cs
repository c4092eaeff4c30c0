using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mandate.Core.Identity;
using Microsoft.Extensions.Time.Testing;

namespace Mandate.Core.Tests.Identity;

/// <summary>X.509-SVIDs (client certificates over mTLS) checked against a trust domain's PEM bundle.</summary>
public sealed class X509SvidTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly HttpClient _http = new();
    private readonly string _bundlePath = Path.Combine(Path.GetTempPath(), $"mandate-x509-{Guid.NewGuid():N}.pem");
    private readonly X509Certificate2 _root;
    private readonly AgentAuthenticator _authenticator;

    public X509SvidTests()
    {
        _root = CreateCa("example.org root", null);
        File.WriteAllText(_bundlePath, _root.ExportCertificatePem());
        _authenticator = new AgentAuthenticator(
            new AgentAuthenticatorOptions { TrustDomains = [new SpiffeTrustDomainOptions { TrustDomain = "example.org", X509BundlePath = _bundlePath }] },
            _http, _time);
    }

    public void Dispose()
    {
        _authenticator.Dispose();
        _http.Dispose();
        _root.Dispose();
        File.Delete(_bundlePath);
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    private X509Certificate2 CreateCa(string name, X509Certificate2? issuer, int? pathLength = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, pathLength is not null, pathLength ?? 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(SpiffeSan("spiffe://example.org"));
        if (issuer is null)
        {
            return request.CreateSelfSigned(Now.AddDays(-60), Now.AddDays(60));
        }
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var cert = request.Create(issuer, Now.AddDays(-30), Now.AddDays(30), RandomNumberGenerator.GetBytes(16));
        return cert.CopyWithPrivateKey(key);
    }

    private X509Certificate2 CreateLeaf(
        X509Certificate2 issuer,
        string[] uris,
        bool isCa = false,
        X509KeyUsageFlags usage = X509KeyUsageFlags.DigitalSignature,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        string? extendedKeyUsage = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=agent", key, HashAlgorithmName.SHA256);
        if (uris.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var uri in uris)
            {
                san.AddUri(new Uri(uri));
            }
            san.AddDnsName("agent.example.org");
            request.CertificateExtensions.Add(san.Build());
        }
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(isCa, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        if (extendedKeyUsage is not null)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(extendedKeyUsage)], false));
        }
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        return request.Create(issuer, notBefore ?? Now.AddHours(-1), notAfter ?? Now.AddHours(1), RandomNumberGenerator.GetBytes(16));
    }

    private static X509Extension SpiffeSan(string uri)
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(uri));
        return san.Build();
    }

    [Fact]
    public void AuthenticateClientCertificate_ValidSvid_ReturnsSpiffeId()
    {
        using var leaf = CreateLeaf(_root, ["spiffe://example.org/agents/triage"]);

        var result = _authenticator.AuthenticateClientCertificate(leaf, null);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal("spiffe://example.org/agents/triage", result.Identity.AgentId);
        Assert.Equal("x509-svid", result.Identity.Method);
        Assert.Equal("spiffe://example.org", result.Identity.Issuer);
        Assert.Equal(leaf.NotAfter.ToUniversalTime(), result.Identity.ExpiresAt.UtcDateTime);
    }

    [Fact]
    public void AuthenticateClientCertificate_ViaIntermediateInExtraChain_Succeeds()
    {
        using var intermediate = CreateCa("example.org intermediate", _root);
        using var leaf = CreateLeaf(intermediate, ["spiffe://example.org/agents/triage"]);

        var result = _authenticator.AuthenticateClientCertificate(leaf, [intermediate]);

        Assert.True(result.IsSuccess, result.ToString());
    }

    [Fact]
    public void AuthenticateClientCertificate_IntermediateBeyondRootPathLength_FailsCertificateInvalid()
    {
        // A root that allows no intermediate below it (pathLenConstraint 0) cannot vouch for one.
        using var root = CreateCa("example.org constrained root", null, pathLength: 0);
        var bundle = Path.Combine(Path.GetTempPath(), $"mandate-x509-{Guid.NewGuid():N}.pem");
        File.WriteAllText(bundle, root.ExportCertificatePem());
        try
        {
            using var authenticator = new AgentAuthenticator(
                new AgentAuthenticatorOptions { TrustDomains = [new SpiffeTrustDomainOptions { TrustDomain = "example.org", X509BundlePath = bundle }] },
                _http, _time);
            using var intermediate = CreateCa("example.org intermediate", root);
            using var leaf = CreateLeaf(intermediate, ["spiffe://example.org/agents/triage"]);
            using var direct = CreateLeaf(root, ["spiffe://example.org/agents/triage"]);

            Assert.Equal("certificate_invalid", authenticator.AuthenticateClientCertificate(leaf, [intermediate]).Error?.Code);
            Assert.True(authenticator.AuthenticateClientCertificate(direct, null).IsSuccess);
        }
        finally
        {
            File.Delete(bundle);
        }
    }

    [Fact]
    public void AuthenticateClientCertificate_TwoUriSans_FailsSpiffeIdInvalid()
    {
        using var leaf = CreateLeaf(_root, ["spiffe://example.org/agents/a", "spiffe://example.org/agents/b"]);
        Assert.Equal("spiffe_id_invalid", _authenticator.AuthenticateClientCertificate(leaf, null).Error?.Code);
    }

    [Fact]
    public void AuthenticateClientCertificate_NoUriSan_FailsSpiffeIdInvalid()
    {
        using var leaf = CreateLeaf(_root, []);
        Assert.Equal("spiffe_id_invalid", _authenticator.AuthenticateClientCertificate(leaf, null).Error?.Code);
    }

    [Fact]
    public void AuthenticateClientCertificate_LeafIsCa_FailsCertificateInvalid()
    {
        using var leaf = CreateLeaf(_root, ["spiffe://example.org/agents/a"], isCa: true);
        Assert.Equal("certificate_invalid", _authenticator.AuthenticateClientCertificate(leaf, null).Error?.Code);
    }

    [Fact]
    public void AuthenticateClientCertificate_LeafWithoutDigitalSignature_FailsCertificateInvalid()
    {
        using var leaf = CreateLeaf(_root, ["spiffe://example.org/agents/a"], usage: X509KeyUsageFlags.KeyEncipherment);
        Assert.Equal("certificate_invalid", _authenticator.AuthenticateClientCertificate(leaf, null).Error?.Code);
    }

    [Fact]
    public void AuthenticateClientCertificate_ClientAuthExtendedKeyUsage_Succeeds()
    {
        using var leaf = CreateLeaf(_root, ["spiffe://example.org/agents/a"], extendedKeyUsage: "1.3.6.1.5.5.7.3.2");
        Assert.True(_authenticator.AuthenticateClientCertificate(leaf, null).IsSuccess);
    }

    [Fact]
    public void AuthenticateClientCertificate_ServerAuthOnlyExtendedKeyUsage_FailsCertificateInvalid()
    {
        using var leaf = CreateLeaf(_root, ["spiffe://example.org/agents/a"], extendedKeyUsage: "1.3.6.1.5.5.7.3.1");
        Assert.Equal("certificate_invalid", _authenticator.AuthenticateClientCertificate(leaf, null).Error?.Code);
    }

    [Fact]
    public void AuthenticateClientCertificate_SignedByAnotherCa_FailsCertificateInvalid()
    {
        using var otherCa = CreateCa("someone else", null);
        using var leaf = CreateLeaf(otherCa, ["spiffe://example.org/agents/a"]);

        var result = _authenticator.AuthenticateClientCertificate(leaf, [otherCa]);

        Assert.Equal("certificate_invalid", result.Error?.Code);
    }

    [Fact]
    public void AuthenticateClientCertificate_ExpiredLeaf_FailsExpired()
    {
        using var leaf = CreateLeaf(_root, ["spiffe://example.org/agents/a"], notBefore: Now.AddDays(-2), notAfter: Now.AddDays(-1));
        Assert.Equal("expired", _authenticator.AuthenticateClientCertificate(leaf, null).Error?.Code);
    }

    [Fact]
    public void AuthenticateClientCertificate_LeafExpiresWhileClockMoves_FailsExpired()
    {
        using var leaf = CreateLeaf(_root, ["spiffe://example.org/agents/a"]);
        Assert.True(_authenticator.AuthenticateClientCertificate(leaf, null).IsSuccess);

        _time.Advance(TimeSpan.FromHours(2));

        Assert.Equal("expired", _authenticator.AuthenticateClientCertificate(leaf, null).Error?.Code);
    }

    [Fact]
    public void AuthenticateClientCertificate_OtherTrustDomain_FailsUnknownIssuer()
    {
        using var leaf = CreateLeaf(_root, ["spiffe://other.org/agents/a"]);
        Assert.Equal("unknown_issuer", _authenticator.AuthenticateClientCertificate(leaf, null).Error?.Code);
    }

    [Fact]
    public async Task IsReady_AfterBundleLoads_IsTrue()
    {
        Assert.False(_authenticator.IsReady);
        Assert.Empty(await _authenticator.RefreshKeysAsync(default));
        Assert.True(_authenticator.IsReady);
    }
}

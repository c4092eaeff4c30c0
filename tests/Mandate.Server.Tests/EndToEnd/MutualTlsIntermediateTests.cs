using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Mandate.Server.Tests.Support;

namespace Mandate.Server.Tests.EndToEnd;

/// <summary>
/// X.509-SVIDs issued by an intermediate CA over real mutual TLS: the client presents leaf + intermediate in
/// the handshake, the bundle holds only the root, and the gateway builds leaf → intermediate → root itself.
/// </summary>
public sealed class MutualTlsIntermediateTests : IAsyncLifetime
{
    private const string AgentId = "spiffe://example.org/agents/mtls-bot";
    private readonly X509Certificate2 _root = TestCertificates.CreateCa("example.org");
    private readonly X509Certificate2 _otherRoot = TestCertificates.CreateCa("other.org");
    private readonly GatewayFixture _gw;

    public MutualTlsIntermediateTests()
    {
        _gw = new GatewayFixture
        {
            EditConfig = text => text
                .Replace("dataPlane:\n  listen: 127.0.0.1:0", "dataPlane:\n  listen: 127.0.0.1:0\n  tls: { certificate: server.pem, key: server.key, clientCertificates: allow }")
                .Replace("policies:\n", "  spiffe:\n    - trustDomain: example.org\n      x509Bundle: ca.pem\npolicies:\n"),
            PrepareFiles = async dir =>
            {
                TestCertificates.WriteServerCertificate(Path.Combine(dir, "server.pem"), Path.Combine(dir, "server.key"));
                await File.WriteAllTextAsync(Path.Combine(dir, "ca.pem"), _root.ExportCertificatePem());
                await File.AppendAllTextAsync(Path.Combine(dir, "policies", "main.cedar"), $$"""

                    @id("mtls-bot-reads")
                    permit (principal == Mandate::Agent::"{{AgentId}}", action == Mandate::Action::"read", resource in Mandate::Api::"tickets");
                    """);
            },
        };
    }

    public Task InitializeAsync() => _gw.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _gw.DisposeAsync();
        _root.Dispose();
        _otherRoot.Dispose();
    }

    /// <summary>A client that sends <paramref name="leaf"/> and the given chain certificates in its TLS handshake.</summary>
    private HttpClient Client(X509Certificate2 leaf, params X509Certificate2[] presented)
    {
        var handler = new SocketsHttpHandler { UseProxy = false };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true; // self-signed test server
        handler.SslOptions.ClientCertificateContext = SslStreamCertificateContext.Create(leaf, [.. presented], offline: true);
        return new HttpClient(handler) { BaseAddress = _gw.DataPlane };
    }

    [Fact]
    public async Task Get_SvidIssuedByIntermediate_IdentifiesAgentAndForwards()
    {
        using var intermediate = TestCertificates.CreateSigned(_root, "example.org intermediate", "spiffe://example.org", isCa: true);
        using var leaf = TestCertificates.CreateSigned(intermediate, "agent", AgentId, isCa: false);
        using var client = Client(leaf, intermediate);

        using var response = await client.GetAsync("/tickets/5");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/tickets/5", Assert.Single(_gw.Upstream.Received).RawTarget);
        var decisionId = response.Headers.GetValues("X-Mandate-Decision-Id").Single();
        var record = Assert.Single(await _gw.AuditAsync(), e => e.Event.DecisionId == decisionId && e.Event.Kind == "decision");
        Assert.Equal(AgentId, record.Event.Agent);
        Assert.Equal("allow", record.Event.Decision);
    }

    [Fact]
    public async Task Get_SvidIssuedByIntermediateNotPresented_Returns401AndForwardsNothing()
    {
        using var intermediate = TestCertificates.CreateSigned(_root, "example.org intermediate", "spiffe://example.org", isCa: true);
        using var leaf = TestCertificates.CreateSigned(intermediate, "agent", AgentId, isCa: false);
        using var client = Client(leaf);

        using var response = await client.GetAsync("/tickets/5");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Get_SvidSignedByNonCaLeaf_Returns401AndForwardsNothing()
    {
        // root → a workload's own SVID (not a CA) → a forged SVID for another agent, signed with the first one's key.
        using var signerLeaf = TestCertificates.CreateSigned(_root, "other agent", "spiffe://example.org/agents/other", isCa: false);
        using var forged = TestCertificates.CreateSigned(signerLeaf, "agent", AgentId, isCa: false);
        using var client = Client(forged, signerLeaf);

        using var response = await client.GetAsync("/tickets/5");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("token.certificate_invalid", await response.Content.ReadAsStringAsync());
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Get_IntermediateOfAnotherTrustDomainsRoot_Returns401AndForwardsNothing()
    {
        // An example.org SVID issued under other.org's root: the chain never reaches example.org's bundle.
        using var intermediate = TestCertificates.CreateSigned(_otherRoot, "other.org intermediate", "spiffe://other.org", isCa: true);
        using var leaf = TestCertificates.CreateSigned(intermediate, "agent", AgentId, isCa: false);
        using var client = Client(leaf, intermediate, _otherRoot);

        using var response = await client.GetAsync("/tickets/5");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Get_IntermediateNamingAnotherTrustDomain_Returns401AndForwardsNothing()
    {
        // Chains to example.org's root, but the signing CA says it belongs to other.org.
        using var intermediate = TestCertificates.CreateSigned(_root, "other.org intermediate", "spiffe://other.org", isCa: true);
        using var leaf = TestCertificates.CreateSigned(intermediate, "agent", AgentId, isCa: false);
        using var client = Client(leaf, intermediate);

        using var response = await client.GetAsync("/tickets/5");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // The rule is named; the certificate's own text (its subject, the trust domain it claims) is never repeated.
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("another trust domain", body);
        Assert.DoesNotContain("other.org", body);
        Assert.Empty(_gw.Upstream.Received);
    }
}

using System.Net;
using System.Security.Cryptography.X509Certificates;
using Mandate.Server.Tests.Support;

namespace Mandate.Server.Tests.EndToEnd;

/// <summary>X.509-SVIDs over real mutual TLS: the data plane asks for client certificates and verifies them against the trust domain's bundle.</summary>
public sealed class MutualTlsTests : IAsyncLifetime
{
    private const string AgentId = "spiffe://example.org/agents/mtls-bot";
    private readonly X509Certificate2 _ca = TestCertificates.CreateCa("example.org");
    private readonly X509Certificate2 _otherCa = TestCertificates.CreateCa("example.org");
    private readonly GatewayFixture _gw;

    public MutualTlsTests()
    {
        _gw = new GatewayFixture
        {
            EditConfig = text => text
                .Replace("dataPlane:\n  listen: 127.0.0.1:0", "dataPlane:\n  listen: 127.0.0.1:0\n  tls: { certificate: server.pem, key: server.key, clientCertificates: allow }")
                .Replace("policies:\n", "  spiffe:\n    - trustDomain: example.org\n      x509Bundle: ca.pem\npolicies:\n"),
            PrepareFiles = async dir =>
            {
                TestCertificates.WriteServerCertificate(Path.Combine(dir, "server.pem"), Path.Combine(dir, "server.key"));
                await File.WriteAllTextAsync(Path.Combine(dir, "ca.pem"), _ca.ExportCertificatePem());
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
        _ca.Dispose();
        _otherCa.Dispose();
    }

    private HttpClient Client(X509Certificate2? certificate)
    {
        var handler = new SocketsHttpHandler { UseProxy = false };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true; // self-signed test server
        if (certificate is not null)
        {
            handler.SslOptions.ClientCertificates = [certificate];
        }

        return new HttpClient(handler) { BaseAddress = _gw.DataPlane };
    }

    [Fact]
    public async Task Get_ValidSvid_IdentifiesAgentAndForwards()
    {
        using var svid = TestCertificates.CreateSvid(_ca, AgentId);
        using var client = Client(svid);

        using var response = await client.GetAsync("/tickets/5");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/tickets/5", Assert.Single(_gw.Upstream.Received).RawTarget);
        var decisionId = response.Headers.GetValues("X-Mandate-Decision-Id").Single();
        var record = Assert.Single(await _gw.AuditAsync(), e => e.Event.DecisionId == decisionId && e.Event.Kind == "decision");
        Assert.Equal(AgentId, record.Event.Agent);
        Assert.Equal(["mtls-bot-reads"], record.Event.Policies);
    }

    [Fact]
    public async Task Get_SvidFromUntrustedCa_Returns401AndForwardsNothing()
    {
        using var svid = TestCertificates.CreateSvid(_otherCa, AgentId);
        using var client = Client(svid);

        using var response = await client.GetAsync("/tickets/5");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Get_NoCertificateNoToken_Returns401AndForwardsNothing()
    {
        using var client = Client(null);

        using var response = await client.GetAsync("/tickets/5");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_gw.Upstream.Received);
    }
}

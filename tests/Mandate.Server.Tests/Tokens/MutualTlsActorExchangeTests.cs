using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Mandate.Core.OAuth;
using Mandate.Server.Tests.Support;

namespace Mandate.Server.Tests.Tokens;

/// <summary>
/// An X.509-SVID over real mutual TLS as the actor of a token exchange (RFC 8705 <c>tls_client_auth</c>, no
/// <c>actor_token</c>): the certificate identifies the agent, the exchange is decided and recorded under it, and the task
/// token it gets is honoured only from that same certificate.
/// </summary>
public sealed class MutualTlsActorExchangeTests : IAsyncLifetime
{
    private const string AgentId = "spiffe://example.org/agents/mtls-bot";
    private readonly X509Certificate2 _ca = TestCertificates.CreateCa("example.org");
    private readonly X509Certificate2 _otherCa = TestCertificates.CreateCa("example.org");
    private readonly TokenGatewayFixture _gw;

    public MutualTlsActorExchangeTests()
    {
        _gw = new TokenGatewayFixture
        {
            EditConfig = text => text
                .Replace("dataPlane:\n  listen: 127.0.0.1:0", "dataPlane:\n  listen: 127.0.0.1:0\n  tls: { certificate: server.pem, key: server.key, clientCertificates: allow }")
                .Replace("tokens:\n", "  spiffe:\n    - trustDomain: example.org\n      x509Bundle: ca.pem\ntokens:\n"),
            PrepareFiles = async dir =>
            {
                TestCertificates.WriteServerCertificate(Path.Combine(dir, "server.pem"), Path.Combine(dir, "server.key"));
                await File.WriteAllTextAsync(Path.Combine(dir, "ca.pem"), _ca.ExportCertificatePem());
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

    private static FormUrlEncodedContent SelfTask() => new(
    [
        new("grant_type", TokenTypeUris.TokenExchangeGrant),
        new("scope", "tickets:read"),
    ]);

    [Fact]
    public async Task Exchange_SvidOverMtlsAsActor_IssuesRecordedTokenHonouredOnlyFromThatCertificate()
    {
        using var svid = TestCertificates.CreateSvid(_ca, AgentId);
        using var client = Client(svid);

        using var exchange = await client.PostAsync("/oauth2/token", SelfTask());
        var text = await exchange.Content.ReadAsStringAsync();
        Assert.True(exchange.StatusCode == HttpStatusCode.OK, text);
        using var body = JsonDocument.Parse(text);
        var token = body.RootElement.GetProperty("access_token").GetString()!;

        // The exchange is decided and recorded with the certificate's agent as the actor.
        var exchangeRecord = Assert.Single(await _gw.AuditAsync(), e => e.Event.Kind == "decision" && e.Event.Details["front"] == "oauth" && e.Event.Agent == AgentId);
        Assert.Equal("allow", exchangeRecord.Event.Decision);
        Assert.Equal("x509-svid", exchangeRecord.Event.Details["auth_method"]);
        Assert.Equal("Mandate::Action::\"token.exchange\"", exchangeRecord.Event.Action);

        // The task token works from the same certificate…
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/tickets/1"))
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
            using var call = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
            Assert.Equal("/tickets/1", Assert.Single(_gw.Upstream.Received).RawTarget);
        }

        // …and not from another agent's certificate, even one of the same trust domain.
        _gw.Upstream.Clear();
        using var otherSvid = TestCertificates.CreateSvid(_ca, "spiffe://example.org/agents/someone-else");
        using var otherClient = Client(otherSvid);
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/tickets/1"))
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
            using var call = await otherClient.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, call.StatusCode);
            using var problem = JsonDocument.Parse(await call.Content.ReadAsStringAsync());
            Assert.Equal("session.agent_mismatch", problem.RootElement.GetProperty("code").GetString());
            Assert.Empty(_gw.Upstream.Received);
        }
    }

    [Fact]
    public async Task Exchange_SvidFromUntrustedCa_RefusedRecordedNoToken()
    {
        using var svid = TestCertificates.CreateSvid(_otherCa, AgentId);
        using var client = Client(svid);

        using var exchange = await client.PostAsync("/oauth2/token", SelfTask());

        Assert.Equal(HttpStatusCode.BadRequest, exchange.StatusCode);
        using var body = JsonDocument.Parse(await exchange.Content.ReadAsStringAsync());
        Assert.False(body.RootElement.TryGetProperty("access_token", out _));
        var code = body.RootElement.GetProperty("code").GetString();
        Assert.Equal("token.certificate_invalid", code);
        var decisionId = body.RootElement.GetProperty("decision_id").GetString();
        var record = Assert.Single(await _gw.AuditAsync(), e => e.Event.DecisionId == decisionId && e.Event.Kind == "decision");
        Assert.Equal(("deny", code), (record.Event.Decision, record.Event.Details["code"]));
    }

    [Fact]
    public async Task Exchange_NoCertificateNoActorToken_401ActorMissing()
    {
        using var client = Client(null);

        using var exchange = await client.PostAsync("/oauth2/token", SelfTask());

        Assert.Equal(HttpStatusCode.Unauthorized, exchange.StatusCode);
        using var body = JsonDocument.Parse(await exchange.Content.ReadAsStringAsync());
        Assert.Equal(("invalid_client", "exchange.actor_missing"), (body.RootElement.GetProperty("error").GetString(), body.RootElement.GetProperty("code").GetString()));
    }
}

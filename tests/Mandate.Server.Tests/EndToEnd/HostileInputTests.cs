using System.Net;
using System.Security.Cryptography;
using System.Text;
using Mandate.Server.Tests.Support;

namespace Mandate.Server.Tests.EndToEnd;

/// <summary>
/// Hostile requests sent raw over TCP (nothing normalised on the way). Each test asserts the answer
/// AND that the upstream received nothing.
/// </summary>
public sealed class HostileInputTests : IClassFixture<GatewayFixture>
{
    private readonly GatewayFixture _gw;

    public HostileInputTests(GatewayFixture gw)
    {
        _gw = gw;
        _gw.Upstream.Clear();
    }

    [Theory]
    [InlineData("/tickets%2F42", "path.encoded_slash")]
    [InlineData("/tickets%2f42", "path.encoded_slash")]
    [InlineData("/tickets/4%2F2", "path.encoded_slash")]
    [InlineData("/tickets%5C42", "path.encoded_backslash")]
    [InlineData("/tickets%5c42", "path.encoded_backslash")]
    [InlineData("/tickets\\42", "path.backslash")]
    [InlineData("/tickets/%2E%2E/admin", "path.encoded_dot")]
    [InlineData("/tickets/%2e%2e/admin", "path.encoded_dot")]
    [InlineData("/tickets/./42", "path.dot_segment")]
    [InlineData("/tickets/../tickets/42", "path.dot_segment")]
    [InlineData("/tickets/42/..", "path.dot_segment")]
    [InlineData("//tickets/42", "path.empty_segment")]
    [InlineData("/tickets//42", "path.empty_segment")]
    [InlineData("/tickets/42/", "path.empty_segment")]
    [InlineData("/tickets/42;jsessionid=x", "path.parameter")]
    [InlineData("/tickets;x=1/42", "path.parameter")]
    [InlineData("/tickets/42%0A", "path.control_character")]
    [InlineData("/tickets/42%0d%0aX-Injected:%201", "path.control_character")]
    [InlineData("/tickets/42%7F", "path.control_character")]
    [InlineData("/tickets/%C0%AF", "path.overlong_utf8")]
    [InlineData("/tickets/%C0%AE%C0%AE", "path.overlong_utf8")]
    [InlineData("/tickets/%E0%80%AF", "path.overlong_utf8")]
    [InlineData("/tickets/%F0%80%80%AF", "path.overlong_utf8")]
    [InlineData("/tickets/%FF", "path.invalid_utf8")]
    [InlineData("/tickets/%C3", "path.invalid_utf8")]
    [InlineData("/tickets/%ED%A0%80", "path.invalid_utf8")]
    [InlineData("/tickets/%2542", "path.double_encoding")]
    [InlineData("/tickets/%252F", "path.double_encoding")]
    [InlineData("/tickets/%4", "path.bad_percent")]
    [InlineData("/tickets/%G1", "path.bad_percent")]
    [InlineData("/tickets/42%", "path.bad_percent")]
    public async Task Get_PathTrick_Returns400WithCodeAndForwardsNothing(string target, string code)
    {
        var answer = await RawHttp.SendAsync(_gw.DataPlane, "GET", target, "Authorization: Bearer " + _gw.Issuer.Mint("trusted-bot"));

        Assert.Equal(400, answer.Status);
        Assert.Contains($"\"code\":\"{code}\"", answer.Body);
        Assert.Empty(_gw.Upstream.Received);
    }

    [Theory]
    [InlineData("/tickets/42%00")] // Kestrel refuses an encoded NUL itself
    [InlineData("/tickets/4\u00012")]
    [InlineData("/tickets/4\t2")]
    [InlineData("/tickets/4\u007F2")]
    [InlineData("/tickets/\u00e942")]
    public async Task Get_RawControlNulOrNonAsciiInTarget_Returns400AndForwardsNothing(string target)
    {
        // Kestrel may refuse some of these before Mandate sees them; either way: 400 and nothing forwarded.
        var answer = await RawHttp.SendAsync(_gw.DataPlane, "GET", target, "Authorization: Bearer " + _gw.Issuer.Mint("trusted-bot"));

        Assert.Equal(400, answer.Status);
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Get_AbsoluteFormTarget_Returns400AndForwardsNothing()
    {
        var answer = await RawHttp.SendAsync(_gw.DataPlane, "GET", $"http://{_gw.Upstream.Url.Authority}/tickets/42", "Authorization: Bearer " + _gw.Issuer.Mint("trusted-bot"));

        Assert.Equal(400, answer.Status);
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Get_EncodedUnreservedCharacters_AreDecodedBeforeDecidingAndForwarding()
    {
        // %34%32 is "42": the decision and the upstream both see /tickets/42, not two spellings of it.
        var answer = await RawHttp.SendAsync(_gw.DataPlane, "GET", "/tickets/%34%32", "Authorization: Bearer " + _gw.Issuer.Mint("reader-bot"));

        Assert.Equal(200, answer.Status);
        Assert.Equal("/tickets/42", Assert.Single(_gw.Upstream.Received).RawTarget);
    }

    [Fact]
    public async Task Get_EncodedSpellingOfForbiddenId_IsStillForbidden()
    {
        // %31%33 is "13", the id under legal hold.
        var answer = await RawHttp.SendAsync(_gw.DataPlane, "GET", "/tickets/%31%33", "Authorization: Bearer " + _gw.Issuer.Mint("reader-bot"));

        Assert.Equal(403, answer.Status);
        Assert.Contains("legal hold", answer.Body);
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Get_DuplicateAuthorizationHeaders_Returns400AndForwardsNothing()
    {
        var token = _gw.Issuer.Mint("reader-bot");
        var answer = await RawHttp.SendAsync(_gw.DataPlane, "GET", "/tickets/42", "Authorization: Bearer " + token, "Authorization: Bearer " + token);

        Assert.Equal(400, answer.Status);
        Assert.Contains("identity.duplicate_authorization", answer.Body);
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Get_TwoCredentialsInOneHeader_Returns400AndForwardsNothing()
    {
        var token = _gw.Issuer.Mint("reader-bot");
        var answer = await RawHttp.SendAsync(_gw.DataPlane, "GET", "/tickets/42", $"Authorization: Bearer {token}, Bearer {token}");

        Assert.Equal(400, answer.Status);
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Get_NoCredential_Returns401WithBearerChallengeAndForwardsNothing()
    {
        using var response = await _gw.GetAsync("/tickets/42", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Empty(_gw.Upstream.Received);
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    [InlineData("Bearer not a token")]
    [InlineData("Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")]
    public async Task Get_MalformedOrUnsignedCredential_Returns401InvalidTokenAndForwardsNothing(string header)
    {
        var answer = await RawHttp.SendAsync(_gw.DataPlane, "GET", "/tickets/42", "Authorization: " + header);

        Assert.Equal(401, answer.Status);
        Assert.Contains("WWW-Authenticate: Bearer", answer.Head);
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Get_ExpiredToken_Returns401InvalidTokenAndForwardsNothing()
    {
        using var response = await _gw.GetAsync("/tickets/42", _gw.Issuer.Mint("reader-bot", lifetime: TimeSpan.FromMinutes(-10)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Get_WrongAudience_Returns401AndForwardsNothing()
    {
        using var response = await _gw.GetAsync("/tickets/42", _gw.Issuer.Mint("reader-bot", audience: "someone-else"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Get_TokenSignedByUnknownKey_Returns401AndForwardsNothing()
    {
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var response = await _gw.GetAsync("/tickets/42", _gw.Issuer.Mint("trusted-bot", signWith: forger));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Get_SpoofedForwardingHeaders_AreNotBelievedNorForwarded()
    {
        // 10.0.0.1 is blocked by policy: if the spoofed X-Forwarded-For were believed, this would be denied.
        using var response = await _gw.GetAsync("/tickets/42", _gw.Issuer.Mint("reader-bot"),
            ("X-Forwarded-For", "10.0.0.1"),
            ("Forwarded", "for=10.0.0.1;host=evil"),
            ("X-Real-IP", "10.0.0.1"),
            ("X-Forwarded-Host", "evil.example"),
            ("X-Original-URL", "/admin/delete-everything"),
            ("X-Rewrite-URL", "/admin/delete-everything"),
            ("X-HTTP-Method-Override", "DELETE"),
            ("X-Method-Override", "DELETE"),
            ("Cookie", "session=agent-cookie"),
            ("Proxy-Authorization", "Basic eDp5"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(_gw.Upstream.Received);
        Assert.Equal(("GET", "/tickets/42"), (received.Method, received.RawTarget));
        Assert.Equal("127.0.0.1", received.Header("X-Forwarded-For"));
        Assert.NotEqual("evil.example", received.Header("X-Forwarded-Host"));
        foreach (var name in new[] { "Forwarded", "X-Real-IP", "X-Original-URL", "X-Rewrite-URL", "X-HTTP-Method-Override", "X-Method-Override", "Cookie", "Proxy-Authorization", "Authorization" })
        {
            Assert.Null(received.Header(name));
        }
    }

    [Theory]
    [InlineData("X-Envoy-Original-Path")]
    [InlineData("X-Original-Path")]
    [InlineData("X-Forwarded-Uri")]
    [InlineData("X-Forwarded-Path")]
    [InlineData("X-Forwarded-Prefix")]
    [InlineData("X-Original-URI")]
    [InlineData("X-Rewrite-URL")]
    [InlineData("X-Original-URL")]
    [InlineData("X-Original-Method")]
    [InlineData("X-HTTP-Method-Override")]
    [InlineData("X-HTTP-Method")]
    [InlineData("X-Method-Override")]
    [InlineData("X-Forwarded-Server")]
    [InlineData("X-ProxyUser-Ip")]
    [InlineData("X-Script-Name")]
    [InlineData("Destination")]
    [InlineData("X-Some-Proxy-Never-Seen-Before")]
    public async Task Get_HeaderCarryingPathUrlOrMethod_NeverReachesTheUpstream(string name)
    {
        // Forwarding is by allowlist: a header of this family — or any header nobody listed — is dropped by default.
        using var response = await _gw.GetAsync("/tickets/42", _gw.Issuer.Mint("reader-bot"), (name, "/admin/delete-everything"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(_gw.Upstream.Received);
        Assert.Equal(("GET", "/tickets/42"), (received.Method, received.RawTarget));
        Assert.Null(received.Header(name));
        Assert.DoesNotContain(received.Headers.Values, v => v.Contains("delete-everything", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_DefaultAllowlist_ForwardsContentNegotiationAndTraceContext()
    {
        using var response = await _gw.GetAsync("/files/a/b", _gw.Issuer.Mint("reader-bot"),
            ("Accept", "application/json"), ("Accept-Language", "fr"), ("If-None-Match", "\"v1\""),
            ("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), ("X-Request-Note", "route does not list it"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(_gw.Upstream.Received);
        Assert.Equal("application/json", received.Header("Accept"));
        Assert.Equal("fr", received.Header("Accept-Language"));
        Assert.Equal("\"v1\"", received.Header("If-None-Match"));
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", received.Header("traceparent"));
        Assert.Null(received.Header("X-Request-Note"));
    }

    [Fact]
    public async Task Get_HopByHopAndMandateHeaders_AreNotForwarded_OrdinaryHeadersAre()
    {
        // Keep-Alive and TE are hop-by-hop, X-Mandate-* are Mandate's own: none may reach the upstream, while an
        // ordinary header still does. (A custom token in the request's Connection header never reaches Mandate:
        // Kestrel keeps only close/keep-alive of it, so such a token cannot make Mandate drop a header either.)
        using var response = await _gw.GetAsync("/tickets/42", _gw.Issuer.Mint("reader-bot"),
            ("Keep-Alive", "timeout=5"),
            ("TE", "trailers"),
            ("X-Mandate-Decision-Id", "forged"),
            ("X-Mandate-Agent", "admin-bot"),
            ("X-Request-Note", "kept"),
            ("X-Unlisted-Note", "dropped"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(_gw.Upstream.Received);
        foreach (var name in new[] { "Keep-Alive", "TE", "X-Mandate-Decision-Id", "X-Mandate-Agent", "Authorization" })
        {
            Assert.Null(received.Header(name));
        }
        Assert.Equal("kept", received.Header("X-Request-Note")); // listed in the route's requestHeaders
        Assert.Null(received.Header("X-Unlisted-Note"));
        Assert.Equal("127.0.0.1", received.Header("X-Forwarded-For"));
    }

    [Fact]
    public async Task Get_MethodOverrideToDelete_IsDecidedAsGet()
    {
        // reader-bot may read but not write: an override that were believed would be denied (or worse, forwarded as DELETE).
        using var response = await _gw.GetAsync("/tickets/5", _gw.Issuer.Mint("reader-bot"), ("X-HTTP-Method-Override", "DELETE"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var decisionId = response.Headers.GetValues("X-Mandate-Decision-Id").Single();
        var record = Assert.Single(await _gw.AuditAsync(), e => e.Event.DecisionId == decisionId && e.Event.Kind == "decision");
        Assert.Equal("Mandate::Action::\"read\"", record.Event.Action);
        Assert.Equal("GET", record.Event.Details["method"]);
    }

    [Fact]
    public async Task Get_VaultedUpstream_KeyAttachedOnlyAfterAllowAndNeverReturned()
    {
        using var allowed = await _gw.GetAsync("/legacy/1", _gw.Issuer.Mint("reader-bot"), ("X-Api-Key", "agent-supplied-key"));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        var received = Assert.Single(_gw.Upstream.Received);
        Assert.Equal(GatewayFiles.LegacyKey, received.Header("X-Api-Key"));
        Assert.DoesNotContain(GatewayFiles.LegacyKey, await allowed.Content.ReadAsStringAsync());

        _gw.Upstream.Clear();
        using var denied = await _gw.GetAsync("/legacy/1", _gw.Issuer.Mint("reader-bot", scope: "none"));
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.DoesNotContain(GatewayFiles.LegacyKey, await denied.Content.ReadAsStringAsync());
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Delete_ContentLengthAndChunked_ChunkedWinsAndNothingIsSmuggled()
    {
        // A request-smuggling shape: both framings at once, and a second request hidden behind the
        // Content-Length reading. Chunked framing wins (RFC 9112 §6.3); the hidden request must never
        // reach the upstream, and the upstream never sees two framings.
        var token = _gw.Issuer.Mint("trusted-bot");
        var bytes = Encoding.Latin1.GetBytes(
            $"DELETE /tickets/7 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\nGET /tickets/13 HTTP/1.1\r\nHost: x\r\n\r\n");
        var answer = await RawHttp.SendBytesAsync(_gw.DataPlane, bytes);

        Assert.True(answer.Status is 200 or 400, answer.Head);
        Assert.All(_gw.Upstream.Received, r =>
        {
            Assert.Equal(("DELETE", "/tickets/7"), (r.Method, r.RawTarget));
            Assert.False(r.Header("Content-Length") is not null && r.Header("Transfer-Encoding") is not null);
        });
        Assert.True(_gw.Upstream.Received.Count <= 1);
    }

    [Fact]
    public async Task Get_HeaderInjectionInQuery_Returns400AndForwardsNothing()
    {
        var bytes = Encoding.Latin1.GetBytes($"GET /tickets/42?a=1\r\nX-Evil: 1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {_gw.Issuer.Mint("reader-bot")}\r\nConnection: close\r\n\r\n");
        var answer = await RawHttp.SendBytesAsync(_gw.DataPlane, bytes);

        Assert.Equal(400, answer.Status);
        Assert.Empty(_gw.Upstream.Received);
    }
}

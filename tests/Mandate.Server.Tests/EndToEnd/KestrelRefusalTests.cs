using System.Text;
using Mandate.Core.Audit;
using Mandate.Core.Errors;
using Mandate.Server.Tests.Support;

namespace Mandate.Server.Tests.EndToEnd;

/// <summary>
/// Requests Kestrel refuses itself, before any of Mandate's steps runs: every shape is sent raw over TCP, answered
/// by Kestrel (400, 414, 431, 505), and must still leave a refusal record in the audit chain — front <c>http</c>, a
/// <c>server.*</c> code for the status, the connection, Kestrel's rule — while the upstream receives nothing.
/// </summary>
public sealed class KestrelRefusalTests : IClassFixture<GatewayFixture>
{
    private readonly GatewayFixture _gw;

    public KestrelRefusalTests(GatewayFixture gw)
    {
        _gw = gw;
        _gw.Upstream.Clear();
    }

    /// <summary>Each refusal shape: a name, and the request bytes (the host is filled in).</summary>
    public static TheoryData<string> Shapes() =>
    [
        "malformed-request-line", "no-version", "bad-method-characters", "unknown-version", "asterisk-form-get",
        "duplicate-host", "missing-host", "bad-host", "nul-in-target", "non-ascii-in-target", "encoded-nul",
        "space-in-target", "control-in-header-value", "header-without-colon", "space-before-colon", "folded-header",
        "bad-content-length", "two-content-lengths", "transfer-coding-not-chunked", "oversized-header",
        "too-many-headers", "oversized-request-line",
    ];

    private string Request(string shape)
    {
        var host = _gw.DataPlane.Authority;
        var ok = $"Host: {host}\r\nConnection: close\r\n";
        return shape switch
        {
            "malformed-request-line" => "GARBAGE\r\n\r\n",
            "no-version" => "GET /tickets/1\r\n" + ok + "\r\n",
            "bad-method-characters" => "G(E)T /tickets/1 HTTP/1.1\r\n" + ok + "\r\n",
            "unknown-version" => "GET /tickets/1 HTTP/9.9\r\n" + ok + "\r\n",
            "asterisk-form-get" => "GET * HTTP/1.1\r\n" + ok + "\r\n",
            "duplicate-host" => $"GET /tickets/1 HTTP/1.1\r\nHost: {host}\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
            "missing-host" => "GET /tickets/1 HTTP/1.1\r\nConnection: close\r\n\r\n",
            "bad-host" => "GET /tickets/1 HTTP/1.1\r\nHost: ev il/\"x\r\nConnection: close\r\n\r\n",
            "nul-in-target" => "GET /tickets/1\u0000 HTTP/1.1\r\n" + ok + "\r\n",
            "non-ascii-in-target" => "GET /tickets/\u00ef\u00bc\u008e HTTP/1.1\r\n" + ok + "\r\n",
            "encoded-nul" => "GET /tickets/1%00 HTTP/1.1\r\n" + ok + "\r\n",
            "space-in-target" => "GET /tick ets/1 HTTP/1.1\r\n" + ok + "\r\n",
            "control-in-header-value" => "GET /tickets/1 HTTP/1.1\r\n" + ok + "X-A: b\u0000c\r\n\r\n",
            "header-without-colon" => "GET /tickets/1 HTTP/1.1\r\n" + ok + "NoColonHere\r\n\r\n",
            "space-before-colon" => "GET /tickets/1 HTTP/1.1\r\n" + ok + "X-Http-Method-Override : DELETE\r\n\r\n",
            "folded-header" => "GET /tickets/1 HTTP/1.1\r\n" + ok + "X-A: b\r\n folded\r\n\r\n",
            "bad-content-length" => "POST /tickets/1 HTTP/1.1\r\n" + ok + "Content-Length: abc\r\n\r\n",
            "two-content-lengths" => "POST /tickets/1 HTTP/1.1\r\n" + ok + "Content-Length: 1\r\nContent-Length: 2\r\n\r\nxy",
            "transfer-coding-not-chunked" => "POST /tickets/1 HTTP/1.1\r\n" + ok + "Transfer-Encoding: gzip\r\n\r\n",
            "oversized-header" => "GET /tickets/1 HTTP/1.1\r\n" + ok + "X-Big: " + new string('a', 40_000) + "\r\n\r\n",
            "too-many-headers" => "GET /tickets/1 HTTP/1.1\r\n" + ok + string.Concat(Enumerable.Range(0, 120).Select(i => $"X-H{i}: v\r\n")) + "\r\n",
            "oversized-request-line" => "GET /tickets/" + new string('a', 9_000) + " HTTP/1.1\r\n" + ok + "\r\n",
            _ => throw new ArgumentOutOfRangeException(nameof(shape)),
        };
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task KestrelRefusal_IsRecordedWithServerCodeConnectionAndReason(string shape)
    {
        var answer = await RawHttp.SendBytesAsync(_gw.DataPlane, Encoding.Latin1.GetBytes(Request(shape)));

        Assert.True(answer.Status is 400 or 405 or 411 or 414 or 431 or 505, $"{shape}: {answer.Head}");
        var code = ErrorCatalogue.ForServerStatus(answer.Status).Code;
        var record = await FindAsync(answer.LocalPort);
        Assert.True(record is not null, $"{shape}: no record for the connection from port {answer.LocalPort}");
        Assert.Equal("deny", record!.Decision);
        Assert.Equal(code, record.Details["code"]);
        Assert.Equal("http", record.Details["front"]);
        Assert.Equal("127.0.0.1", record.Details["ip"]);
        Assert.Contains("kestrel refused the request (", Assert.Single(record.Reasons));
        Assert.DoesNotContain("(unknown)", record.Reasons[0]);
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task KestrelRefusals_JoinTheVerifiedChain()
    {
        // The refusals join the same hash chain as every other record: the chain still verifies with them in it.
        var answer = await RawHttp.SendBytesAsync(_gw.DataPlane, Encoding.Latin1.GetBytes("GARBAGE\r\n\r\n"));
        Assert.NotNull(await FindAsync(answer.LocalPort));

        var verification = await new Mandate.Storage.Sqlite.Audit.SqliteAuditReader(
            new Mandate.Storage.Sqlite.Audit.SqliteAuditOptions { DataDirectory = Path.Combine(_gw.Directory, "data") }).VerifyAsync();
        Assert.True(verification.Ok, verification.Problem?.ToString());
    }

    private async Task<AuditEvent?> FindAsync(int localPort)
    {
        var prefix = $"127.0.0.1:{localPort} ";
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var found = (await _gw.AuditAsync()).Select(e => e.Event)
                .FirstOrDefault(e => e.Kind == "decision" && e.Details.TryGetValue("connection", out var c) && c.StartsWith(prefix, StringComparison.Ordinal));
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(100);
        }

        return null;
    }
}

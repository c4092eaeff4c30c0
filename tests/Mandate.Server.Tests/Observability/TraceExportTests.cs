using System.Net;
using Mandate.Server.Tests.Mcp.Support;
using Mandate.Server.Tests.Observability.Support;
using Mandate.Server.Tests.Support;

namespace Mandate.Server.Tests.Observability;

/// <summary>
/// The spans Mandate exports over OTLP/HTTP to a real receiver on a socket: one trace per request, a root server span
/// with identify, classify, decide, record and forward beneath it, the caller, verdict and policies as attributes, the
/// trace continued upstream and written into the audit record — and no token or argument value in any attribute.
/// </summary>
[Collection(ObservabilityCollection.Name)]
public sealed class TraceExportTests : IAsyncLifetime
{
    private OtlpReceiver _otlp = null!;

    public async Task InitializeAsync() => _otlp = await OtlpReceiver.StartAsync();

    public async Task DisposeAsync() => await _otlp.DisposeAsync();

    private string Observability(string acceptParentFrom) => $"""

        observability:
          otlp:
            endpoint: {_otlp.Url}
            protocol: http/protobuf
          traces:
            sampleRatio: 1
            acceptParentFrom: [ {acceptParentFrom} ]
        """;

    // Each test starts its own gateway: each needs its own `observability` section.
    private async Task WithGatewayAsync(string acceptParentFrom, Func<GatewayFixture, Task> test)
    {
        var gw = new GatewayFixture { EditConfig = c => c + Observability(acceptParentFrom) };
        await gw.InitializeAsync();
        try
        {
            await test(gw);
        }
        finally
        {
            await gw.DisposeAsync();
        }
    }

    private Task WithGatewayAsync(Func<GatewayFixture, Task> test) => WithGatewayAsync("192.0.2.1", test);

    private async Task<List<ReceivedSpan>> TraceAsync(string decisionId, params string[] names)
    {
        var spans = await _otlp.WaitAsync(all => Trace(all, decisionId) is { } t && names.All(n => t.Any(s => s.Name == n)), TimeSpan.FromSeconds(30));
        var trace = Trace(spans, decisionId);
        Assert.True(trace is not null, $"no exported root span carries decision {decisionId}; got: {string.Join(", ", spans.Select(s => s.Name))}");
        return trace;
    }

    // The spans of the trace whose root span carries the decision id.
    private static List<ReceivedSpan>? Trace(IReadOnlyList<ReceivedSpan> spans, string decisionId)
    {
        var root = spans.FirstOrDefault(s => s.ParentSpanId is null && s["mandate.decision_id"] == decisionId)
            ?? spans.FirstOrDefault(s => s.Kind == 2 && s["mandate.decision_id"] == decisionId);
        return root is null ? null : spans.Where(s => s.TraceId == root.TraceId).ToList();
    }

    private static ReceivedSpan One(List<ReceivedSpan> trace, string name) => Assert.Single(trace, s => s.Name == name);

    // A W3C traceparent naming the trace and the parent span, with the sampled flag (bit 0; bit 1 is the random flag).
    private static void AssertContinues(string? traceparent, string traceId, string parentSpanId)
    {
        Assert.NotNull(traceparent);
        Assert.StartsWith($"00-{traceId}-{parentSpanId}-", traceparent);
        Assert.Equal(1, Convert.ToInt32(traceparent[^2..], 16) & 1);
    }

    private static void AssertNoSecrets(IEnumerable<ReceivedSpan> spans, params string[] secrets)
    {
        foreach (var span in spans)
        {
            foreach (var (key, value) in span.Attributes)
            {
                foreach (var secret in secrets)
                {
                    Assert.False(value.Contains(secret, StringComparison.Ordinal), $"{span.Name}: attribute {key} carries `{secret}`");
                }
            }
        }
    }

    [Fact]
    public Task AllowedCall_OneTraceWithEveryStep_ContinuedUpstreamAndInTheAuditRecord() => WithGatewayAsync(async gw =>
    {
        var token = gw.Issuer.Mint("reader-bot");
        using var response = await gw.GetAsync("/tickets/42?expand=comment-query-value", token, ("X-Request-Note", "header-note-value"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var decisionId = response.Headers.GetValues("X-Mandate-Decision-Id").Single();

        var trace = await TraceAsync(decisionId, "mandate.forward", "mandate.record");
        var root = Assert.Single(trace, s => s.ParentSpanId is null);
        Assert.Equal("Mandate.Gateway", root.Scope);
        Assert.Equal(2, root.Kind);
        Assert.Equal("GET /tickets/{id}", root.Name);
        Assert.Equal("reader-bot", root["mandate.agent"]);
        Assert.Equal("http", root["mandate.front"]);
        Assert.Equal("allow", root["mandate.verdict"]);
        Assert.Equal("policy.allow", root["mandate.code"]);
        Assert.Equal("read-tickets", root["mandate.policies"]);
        Assert.Equal("200", root["http.response.status_code"]);
        Assert.Equal("/tickets/{id}", root["http.route"]);

        foreach (var step in new[] { "mandate.identify", "mandate.classify", "mandate.decide", "mandate.record", "mandate.forward" })
        {
            Assert.Equal(root.SpanId, One(trace, step).ParentSpanId);
        }

        Assert.Equal("reader-bot", One(trace, "mandate.identify")["mandate.agent"]);
        Assert.Equal("Mandate::Ticket", One(trace, "mandate.classify")["mandate.resource.type"]);
        Assert.Equal("allow", One(trace, "mandate.decide")["mandate.verdict"]);
        Assert.Equal("true", One(trace, "mandate.record")["mandate.audit.durable"]);
        var forward = One(trace, "mandate.forward");
        Assert.Equal(3, forward.Kind);
        Assert.Equal("tickets", forward["mandate.upstream"]);

        // The upstream continues this trace, as a child of the forward span.
        var received = Assert.Single(gw.Upstream.Received);
        AssertContinues(received.Header("traceparent"), root.TraceId, forward.SpanId);

        // The auditor's way from the record to the trace.
        var record = Assert.Single(await gw.AuditAsync(), e => e.Event.DecisionId == decisionId && e.Event.Kind == "decision");
        Assert.Equal(root.TraceId, record.Event.TraceId);

        AssertNoSecrets(trace, token, "comment-query-value", "header-note-value", "expand");
    });

    [Fact]
    public Task DeniedCall_TraceEndsAtTheRecordWithTheDenyingPolicy() => WithGatewayAsync(async gw =>
    {
        var token = gw.Issuer.Mint("reader-bot");
        using var response = await gw.GetAsync("/tickets/13", token);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var decisionId = response.Headers.GetValues("X-Mandate-Decision-Id").Single();

        var trace = await TraceAsync(decisionId, "mandate.record");
        var root = Assert.Single(trace, s => s.ParentSpanId is null);
        Assert.Equal("deny", root["mandate.verdict"]);
        Assert.Equal("policy.deny", root["mandate.code"]);
        Assert.Equal("legal-hold", root["mandate.policies"]);
        Assert.Equal("403", root["http.response.status_code"]);
        Assert.Equal("deny", One(trace, "mandate.decide")["mandate.verdict"]);
        Assert.Equal(root.SpanId, One(trace, "mandate.record").ParentSpanId);
        Assert.DoesNotContain(trace, s => s.Name == "mandate.forward");
        Assert.Empty(gw.Upstream.Received);
        AssertNoSecrets(trace, token);
    });

    [Fact]
    public Task UntrustedTraceparent_IsNotContinued_UpstreamGetsMandatesOwn() => WithGatewayAsync("192.0.2.1", async gw =>
    {
        const string agentTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var response = await gw.GetAsync("/tickets/42", gw.Issuer.Mint("reader-bot"), ("traceparent", $"00-{agentTrace}-00f067aa0ba902b7-01"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var trace = await TraceAsync(response.Headers.GetValues("X-Mandate-Decision-Id").Single(), "mandate.forward");
        var root = Assert.Single(trace, s => s.ParentSpanId is null);
        Assert.NotEqual(agentTrace, root.TraceId);
        var traceparent = Assert.Single(gw.Upstream.Received).Header("traceparent");
        Assert.StartsWith($"00-{root.TraceId}-", traceparent);
    });

    [Fact]
    public Task TrustedTraceparent_BecomesTheParent() => WithGatewayAsync("127.0.0.1", async gw =>
    {
        const string callerTrace = "0af7651916cd43dd8448eb211c80319c";
        using var response = await gw.GetAsync("/tickets/42", gw.Issuer.Mint("reader-bot"), ("traceparent", $"00-{callerTrace}-b7ad6b7169203331-01"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var decisionId = response.Headers.GetValues("X-Mandate-Decision-Id").Single();
        var spans = await _otlp.WaitAsync(all => all.Any(s => s["mandate.decision_id"] == decisionId && s.Kind == 2), TimeSpan.FromSeconds(30));
        var root = Assert.Single(spans, s => s.Kind == 2 && s["mandate.decision_id"] == decisionId);
        Assert.Equal(callerTrace, root.TraceId);
        Assert.Equal("b7ad6b7169203331", root.ParentSpanId);
        Assert.StartsWith($"00-{callerTrace}-", Assert.Single(gw.Upstream.Received).Header("traceparent"));
    });

    [Fact]
    public async Task McpToolCall_SpansForClassifyDecideRecordAndTheUpstreamCall_NoArgumentValue()
    {
        await using var mcp = await McpGatewayFixture.StartAsync(extraRootYaml: Observability("192.0.2.1"));
        const string argument = "argument-value-never-exported";
        var body = """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"text":"argument-value-never-exported"}}}""";
        using var response = await mcp.PostAsync("reader-bot", body, ("MCP-Protocol-Version", "2025-06-18"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var decisionId = response.Headers.GetValues("X-Mandate-Decision-Id").Single();

        var trace = await TraceAsync(decisionId, "mandate.mcp.upstream", "mandate.record");
        var root = Assert.Single(trace, s => s.ParentSpanId is null);
        Assert.Equal("mcp", root["mandate.front"]);
        Assert.Equal("allow", root["mandate.verdict"]);
        Assert.Equal("reader-bot", root["mandate.agent"]);
        var classify = One(trace, "mandate.classify");
        Assert.Equal(root.SpanId, classify.ParentSpanId);
        Assert.Equal("tools/call", classify["mandate.mcp.method"]);
        Assert.Equal("tools/echo", classify["mandate.mcp.item"]);
        Assert.Equal("echo-for-all", One(trace, "mandate.decide")["mandate.policies"]?.Split(',').First(p => p == "echo-for-all"));
        var upstream = One(trace, "mandate.mcp.upstream");
        Assert.Equal(3, upstream.Kind);
        Assert.Equal(root.SpanId, upstream.ParentSpanId);
        Assert.Equal("200", upstream["http.response.status_code"]);

        var received = Assert.Single(mcp.Sdk.Log.Requests, r => r.Body.Contains(argument, StringComparison.Ordinal));
        AssertContinues(received.Header("traceparent"), root.TraceId, upstream.SpanId);
        AssertNoSecrets(trace, argument);
    }
}

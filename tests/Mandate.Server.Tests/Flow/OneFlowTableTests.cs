using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Mandate.Core.Audit;
using Mandate.Server.Tests.Tokens;

namespace Mandate.Server.Tests.Flow;

/// <summary>
/// The same callers through every front over real sockets: the HTTP proxy, an MCP <c>tools/call</c>, an MCP
/// <c>tools/list</c>, and the token endpoint. Each cell checks the verdict and its stable code, that nothing reached
/// the upstream (or no token was issued) on a deny, and the cell's audit record; the records of one row have the same
/// fields whatever the front. The flow decides once for all fronts, so a rule holds on every front or on none.
/// </summary>
public sealed class OneFlowTableTests : IAsyncLifetime
{
    private const string EchoCall = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"}}}""";
    private const string TransferCall = """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"transfer","arguments":{"amount":5,"to":"x"}}}""";
    private const string ListTools = """{"jsonrpc":"2.0","id":3,"method":"tools/list","params":{}}""";

    private OneFlowFixture _f = null!;
    private string _inTask = null!;
    private string _revoked = null!;
    private string _bound = null!;

    /// <summary>What one front answered.</summary>
    private sealed record Cell(string Front, bool Allowed, string Code, string DecisionId, AuditEvent Record, IReadOnlyList<string>? Listed);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _f = await OneFlowFixture.StartAsync();
        _inTask = await _f.TaskTokenAsync(_f.AgentToken("agent-a"), null);
        _revoked = await _f.TaskTokenAsync(_f.AgentToken("agent-a"), null);
        await _f.RevokeAsync(_revoked);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _bound = await _f.TaskTokenAsync(_f.AgentToken("agent-a"), null, dpop: TokenGatewayFixture.DpopProof(key, "POST", new Uri(_f.DataPlane, "/oauth2/token")));
    }

    /// <inheritdoc />
    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task PlainAgentJwt_AllowedOnEveryFront()
    {
        var token = _f.AgentToken("agent-a");
        var cells = await RowAsync(token, HttpMethod.Get, EchoCall, () => _f.ExchangeAsync(token, null));
        AssertRow(cells, allowed: true, "policy.allow");
        Assert.Equal(["delete_all", "echo", "read_doc", "transfer"], At(cells, "mcp-list").Listed);
    }

    [Fact]
    public async Task TaskTokenInTask_AllowedOnEveryFront_AndTheListShowsOnlyTheTask()
    {
        var cells = await RowAsync(_inTask, HttpMethod.Get, EchoCall, () => _f.ExchangeAsync(_f.AgentToken("agent-b"), _inTask));
        AssertRow(cells, allowed: true, "policy.allow");
        Assert.Equal(["echo"], At(cells, "mcp-list").Listed);
        Assert.All(cells.Where(c => c.Front != "oauth"), c => Assert.False(string.IsNullOrEmpty(c.Record.SessionId)));
    }

    [Fact]
    public async Task TaskTokenOutOfTask_RefusedOnEveryFrontItCanReach()
    {
        // The same task token, calls outside its task: HTTP `write` and MCP `transfer` are refused before policy. A list
        // is never outside a task: it answers with the out-of-task tool hidden. At the token endpoint the same rule is
        // narrowing: a child asking for more than its parent's task is refused.
        var cells = await RowAsync(_inTask, HttpMethod.Delete, TransferCall,
            () => _f.ExchangeAsync(_f.AgentToken("agent-b"), _inTask, """[{"type":"agent_task","actions":["write"]}]"""));
        AssertCell(At(cells, "http"), allowed: false, "session.out_of_task");
        AssertCell(At(cells, "mcp-call"), allowed: false, "session.out_of_task");
        AssertCell(At(cells, "mcp-list"), allowed: true, "policy.allow");
        Assert.Equal(["echo"], At(cells, "mcp-list").Listed);
        AssertCell(At(cells, "oauth"), allowed: false, "exchange.scope_escalation");
        AssertCell(At(cells, "envoy"), allowed: false, "session.out_of_task");
        AssertCell(At(cells, "nginx"), allowed: false, "session.out_of_task");
        AssertCell(At(cells, "authzen"), allowed: false, "session.out_of_task");
        AssertSameFields(At(cells, "http"), At(cells, "mcp-call"));
        AssertSameFields(At(cells, "http"), At(cells, "envoy"));
    }

    [Fact]
    public async Task RevokedTaskToken_RefusedOnEveryFront()
    {
        var cells = await RowAsync(_revoked, HttpMethod.Get, EchoCall, () => _f.ExchangeAsync(_f.AgentToken("agent-b"), _revoked));
        AssertRow(cells, allowed: false, "token.revoked");
    }

    [Fact]
    public async Task DpopBoundTokenWithoutProof_RefusedOnEveryFront()
    {
        var cells = await RowAsync(_bound, HttpMethod.Get, EchoCall, () => _f.ExchangeAsync(_f.AgentToken("agent-b"), _bound));
        AssertRow(cells, allowed: false, "dpop.required");
    }

    [Fact]
    public async Task ExpiredToken_RefusedOnEveryFront()
    {
        var expired = _f.AgentToken("agent-a", TimeSpan.FromMinutes(-10));
        var cells = await RowAsync(expired, HttpMethod.Get, EchoCall, () => _f.ExchangeAsync(expired, null));
        AssertRow(cells, allowed: false, "token.expired");
    }

    [Fact]
    public async Task DelegatedChildBeyondDepth_RefusedOnEveryFront()
    {
        // A chain a → b → c is issued under maxDepth 2; the operator lowers it to 1: c's token is now too deep on every
        // front, and delegating further from it is refused at the token endpoint.
        await using var f = await OneFlowFixture.StartAsync(maxDepth: 2);
        var root = await f.TaskTokenAsync(f.AgentToken("agent-a"), null);
        var child = await f.TaskTokenAsync(f.AgentToken("agent-b"), root);
        var grandchild = await f.TaskTokenAsync(f.AgentToken("agent-c"), child);
        await f.ReloadAsync(maxDepth: 1);
        var previous = _f;
        _f = f;
        try
        {
            var cells = await RowAsync(grandchild, HttpMethod.Get, EchoCall, () => f.ExchangeAsync(f.AgentToken("agent-d"), grandchild));
            AssertRow(cells, allowed: false, "delegation.depth_exceeded");
        }
        finally
        {
            _f = previous;
        }
    }

    // The fronts for one caller: the proxy, an MCP call, an MCP list, the token endpoint, the same HTTP call asked
    // through Envoy's and nginx's check protocols, and an AuthZEN evaluation by the caller about itself.
    private async Task<List<Cell>> RowAsync(string token, HttpMethod httpMethod, string mcpCall, Func<Task<HttpResponseMessage>> exchange) =>
    [
        await HttpCellAsync(token, httpMethod),
        await McpCellAsync("mcp-call", token, mcpCall),
        await McpCellAsync("mcp-list", token, ListTools),
        await TokenCellAsync(exchange),
        await CheckCellAsync("envoy", () => _f.EnvoyCheckAsync(httpMethod, "/tickets/1", token)),
        await CheckCellAsync("nginx", () => _f.NginxCheckAsync(httpMethod, "/tickets/1", token)),
        await AuthZenCellAsync(token, httpMethod == HttpMethod.Get ? "read" : "write"),
    ];

    private async Task<Cell> CheckCellAsync(string front, Func<Task<HttpResponseMessage>> check)
    {
        var before = _f.Upstream.Received.Count;
        using var response = await check();
        var allowed = response.StatusCode == HttpStatusCode.OK;
        Assert.Equal(before, _f.Upstream.Received.Count); // a check forwards nothing itself
        var code = response.Headers.GetValues("X-Mandate-Code").Single();
        if (allowed)
        {
            Assert.False(string.IsNullOrEmpty(response.Headers.GetValues("X-Mandate-Agent").Single()));
        }
        else
        {
            Assert.Equal(code, (await JsonAsync(response)).GetProperty("code").GetString());
        }

        return await CellAsync(front, response, allowed, code, null);
    }

    private async Task<Cell> AuthZenCellAsync(string token, string action)
    {
        // The caller asks about an agent its configuration lets it ask about (every row's policy permits agents).
        using var response = await _f.AuthZenAsync(token, "agent-a", action, "1");
        var body = await JsonAsync(response);
        var allowed = response.StatusCode == HttpStatusCode.OK && body.GetProperty("decision").GetBoolean();
        var code = allowed ? "policy.allow"
            : response.StatusCode == HttpStatusCode.OK ? body.GetProperty("context").GetProperty("code").GetString()!
            : body.GetProperty("code").GetString()!;
        return await CellAsync("authzen", response, allowed, code, null);
    }

    private async Task<Cell> HttpCellAsync(string token, HttpMethod method)
    {
        var before = _f.Upstream.Received.Count;
        using var response = await _f.ProxyAsync(method, "/tickets/1", token);
        var allowed = response.IsSuccessStatusCode;
        Assert.Equal(before + (allowed ? 1 : 0), _f.Upstream.Received.Count);
        var code = allowed ? "policy.allow" : (await JsonAsync(response)).GetProperty("code").GetString()!;
        return await CellAsync("http", response, allowed, code, null);
    }

    private async Task<Cell> McpCellAsync(string front, string token, string json)
    {
        var before = _f.Mcp.Log.Requests.Count;
        using var response = await _f.McpAsync(token, json);
        var text = await response.Content.ReadAsStringAsync();
        JsonElement answer;
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            var data = text.Split('\n').Last(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
            answer = JsonDocument.Parse(data).RootElement.Clone();
        }
        else
        {
            answer = JsonDocument.Parse(text).RootElement.Clone();
        }

        // A refusal is a problem (identity: HTTP 401) or a JSON-RPC error carrying its rule.
        var refusedCode = answer.TryGetProperty("code", out var problemCode) && problemCode.ValueKind == JsonValueKind.String ? problemCode.GetString()
            : answer.TryGetProperty("error", out var error) ? error.GetProperty("data").GetProperty("rule").GetString()
            : null;
        var allowed = refusedCode is null;
        if (!allowed)
        {
            Assert.Equal(before, _f.Mcp.Log.Requests.Count);
        }

        var listed = allowed && answer.GetProperty("result").TryGetProperty("tools", out var tools)
            ? tools.EnumerateArray().Select(t => t.GetProperty("name").GetString()!).Order(StringComparer.Ordinal).ToArray()
            : null;
        return await CellAsync(front, response, allowed, refusedCode ?? "policy.allow", listed);
    }

    private async Task<Cell> TokenCellAsync(Func<Task<HttpResponseMessage>> exchange)
    {
        using var response = await exchange();
        var body = await JsonAsync(response);
        var allowed = response.StatusCode == HttpStatusCode.OK;
        Assert.Equal(allowed, body.TryGetProperty("access_token", out _));
        return await CellAsync("oauth", response, allowed, allowed ? "policy.allow" : body.GetProperty("code").GetString()!, null);
    }

    private async Task<Cell> CellAsync(string front, HttpResponseMessage response, bool allowed, string code, IReadOnlyList<string>? listed)
    {
        var decisionId = response.Headers.GetValues("X-Mandate-Decision-Id").Single();
        var records = (await _f.RecordsAsync(decisionId)).Where(r => r.Kind == AuditEvent.Kinds.Decision).ToList();
        var record = Assert.Single(records);
        return new Cell(front, allowed, code, decisionId, record, listed);
    }

    private static Cell At(List<Cell> cells, string front) => cells.Single(c => c.Front == front);

    private static void AssertRow(List<Cell> cells, bool allowed, string code)
    {
        foreach (var cell in cells)
        {
            AssertCell(cell, allowed, code);
        }

        AssertSameFields(At(cells, "http"), At(cells, "mcp-call"));
        AssertSameFields(At(cells, "http"), At(cells, "mcp-list"));
        AssertSameFields(At(cells, "http"), At(cells, "envoy"));
        AssertSameFields(At(cells, "http"), At(cells, "nginx"));
    }

    private static void AssertCell(Cell cell, bool allowed, string code)
    {
        Assert.True(allowed == cell.Allowed, $"{cell.Front}: expected {(allowed ? "allow" : "deny")}, got {cell.Code}");
        Assert.Equal(code, cell.Code);
        Assert.Equal(allowed ? "allow" : "deny", cell.Record.Decision);
        Assert.Equal(code, cell.Record.Details["code"]);
        Assert.Equal(cell.Front.StartsWith("mcp", StringComparison.Ordinal) ? "mcp" : cell.Front, cell.Record.Details["front"]);
        foreach (var field in (string[])["ip", "method", "path", "host", "policy_version"])
        {
            Assert.True(cell.Record.Details.ContainsKey(field), $"{cell.Front}: the record has no `{field}`");
        }

        if (!allowed)
        {
            // What the caller was told is in the record.
            Assert.NotEmpty(cell.Record.Reasons);
        }
    }

    // Whatever the front, the record of the same caller's call names the same kinds of facts.
    private static void AssertSameFields(Cell a, Cell b) => Assert.Equal(Fields(a.Record), Fields(b.Record));

    private static string[] Fields(AuditEvent e)
    {
        var present = new List<string>();
        void Add(string name, bool has)
        {
            if (has)
            {
                present.Add(name);
            }
        }

        Add("agent", e.Agent is not null);
        Add("user", e.User is not null);
        Add("session", e.SessionId is not null);
        Add("chain", e.Chain.Count > 0);
        Add("action", e.Action is not null);
        Add("resource", e.Resource is not null);
        Add("request_digest", e.RequestDigest is not null);
        Add("policies", e.Policies.Count > 0);
        Add("reasons", e.Reasons.Count > 0);
        Add("errors", e.Errors.Count > 0);
        present.AddRange(e.Details.Keys);
        return present.Order(StringComparer.Ordinal).ToArray();
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}

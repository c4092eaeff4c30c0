using System.Net;
using System.Text.Json;

namespace Mandate.Server.Tests.StepUp;

/// <summary>
/// Session rules over real sockets, on HTTP and MCP alike: a session that was given data labelled <c>pii</c> may not
/// then call anything labelled <c>egress</c> (taint, shared with its delegation tree and kept across a restart); at
/// most 3 writes per session however many arrive at once; at most 5 calls a minute per agent. A denied call changes
/// no counter.
/// </summary>
public sealed class SessionRuleTests : IAsyncLifetime
{
    private StepUpFixture _f = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => _f = await StepUpFixture.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync() => await _f.DisposeAsync();

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    private async Task<HttpStatusCode> StatusAsync(HttpMethod method, string path, string token, object? json = null)
    {
        using var response = await _f.SendAsync(method, path, token, json);
        return response.StatusCode;
    }

    [Fact]
    public async Task Taint_PiiReadOverHttp_ThenEgressOverHttpAndMcp_Denied_AFreshSessionMay()
    {
        var task = await _f.TaskTokenAsync("mail-bot");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(HttpMethod.Post, "/mail", task, new { to = "x@example.com" }));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(HttpMethod.Get, "/documents/payroll", task));

        var before = _f.Upstream.Received.Count;
        using (var mail = await _f.SendAsync(HttpMethod.Post, "/mail", task, new { to = "x@example.com" }))
        {
            var problem = await JsonAsync(mail);
            Assert.Equal(HttpStatusCode.Forbidden, mail.StatusCode);
            Assert.Equal("policy.deny", problem.GetProperty("code").GetString());
            Assert.Equal(["this session has seen personal data; nothing may leave it"], problem.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!));
        }

        Assert.Equal(before, _f.Upstream.Received.Count);

        // The taint holds on the MCP front too: `delete_all` is labelled egress there.
        var mcp = await _f.McpCallAsync(task, "delete_all", new { });
        Assert.Equal("no-egress-after-pii", mcp.GetProperty("error").GetProperty("data").GetProperty("policies")[0].GetString());
        Assert.DoesNotContain("delete_all", _f.Mcp.Log.Calls);

        var fresh = await _f.TaskTokenAsync("mail-bot");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(HttpMethod.Post, "/mail", fresh, new { to = "x@example.com" }));
    }

    [Fact]
    public async Task Taint_PiiReadOverMcp_ThenEgressOverHttp_Denied()
    {
        var task = await _f.TaskTokenAsync("mail-bot");
        var read = await _f.McpCallAsync(task, "echo", new { text = "salary list" });
        Assert.False(read.TryGetProperty("error", out _), read.ToString());

        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(HttpMethod.Post, "/mail", task, new { to = "x@example.com" }));
    }

    [Fact]
    public async Task Taint_IsNotShedByDelegating_NorByARestart()
    {
        var parent = await _f.TaskTokenAsync("mail-bot");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(HttpMethod.Get, "/documents/payroll", parent));
        var child = await _f.TaskTokenAsync("helper-bot", parent);
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(HttpMethod.Post, "/mail", child, new { to = "x@example.com" }));

        // A child that reads pii taints its parent's tree too.
        var other = await _f.TaskTokenAsync("mail-bot");
        var otherChild = await _f.TaskTokenAsync("helper-bot", other);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(HttpMethod.Get, "/documents/payroll", otherChild));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(HttpMethod.Post, "/mail", other, new { to = "x@example.com" }));

        await _f.RestartAsync();
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(HttpMethod.Post, "/mail", parent, new { to = "x@example.com" }));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(HttpMethod.Post, "/mail", child, new { to = "x@example.com" }));
    }

    [Fact]
    public async Task Budget_ThreeWrites_TwentyConcurrent_ExactlyThreeSucceed()
    {
        var task = await _f.TaskTokenAsync("note-bot");
        var before = _f.Upstream.Received.Count;
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => StatusAsync(HttpMethod.Post, "/notes", task, new { text = $"note {i}" })));

        Assert.Equal(3, answers.Count(a => a == HttpStatusCode.OK));
        Assert.Equal(17, answers.Count(a => a == HttpStatusCode.Forbidden));
        Assert.Equal(before + 3, _f.Upstream.Received.Count);

        // The denied ones spent nothing: still exactly three, and a new session has its own budget.
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(HttpMethod.Post, "/notes", task, new { text = "one more" }));
        var next = await _f.TaskTokenAsync("note-bot");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(HttpMethod.Post, "/notes", next, new { text = "fresh" }));
    }

    [Fact]
    public async Task Rate_FiveCallsAMinutePerAgent()
    {
        var token = _f.AgentToken("ping-bot");
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            answers.Add(await StatusAsync(HttpMethod.Get, "/ping", token));
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), .. Enumerable.Repeat(HttpStatusCode.Forbidden, 3)], answers);

        // Another agent has its own rate.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(HttpMethod.Get, "/ping", _f.AgentToken("other-bot")));
    }
}

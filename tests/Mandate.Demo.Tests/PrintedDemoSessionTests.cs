using System.Text;
using System.Text.Json;

namespace Mandate.Demo.Tests;

/// <summary>
/// The demo's printout, replayed against an in-process <see cref="DemoSession"/>: every printed call answers as its
/// comment line says (one test case per call), the printed token exchange yields the task it announces, the printed
/// approval (the real CLI, run with bash) approves the step-up call, and what was refused never reached an upstream.
/// </summary>
public sealed class PrintedDemoSessionTests : IClassFixture<PrintedDemoSessionFixture>
{
    private readonly PrintedDemoSessionFixture _demo;

    public PrintedDemoSessionTests(PrintedDemoSessionFixture demo) => _demo = demo;

    public static TheoryData<string> Titles => new(DemoScript.Calls.Select(c => c.Title));

    [Theory]
    [MemberData(nameof(Titles))]
    public void PrintedCall_ReplayedOverHttp_AnswersAsPrinted(string title)
    {
        DemoExpectations.AssertAnswer(_demo.Replay.For(title), _demo.Replay.Variables);
    }

    [Fact]
    public void Approval_PrintedCliLineRunWithBash_ApprovesThatCallAsTheFinanceLead()
    {
        var run = _demo.Replay.RunOf(DemoScript.Approval.Title);
        Assert.StartsWith(_demo.MandateCommand + " approvals approve \"$" + DemoScript.ApprovalVariable + "\"", run.Step.Line, StringComparison.Ordinal);
        Assert.Contains(" --admin-url " + _demo.Session.ControlPlane.ToString().TrimEnd('/') + " ", run.Step.Line, StringComparison.Ordinal);
        Assert.Contains(" --token-file " + DemoScript.Quote(_demo.Session.ApproverTokenFile) + " ", run.Step.Line, StringComparison.Ordinal);
        DemoExpectations.AssertApproved(run, _demo.Replay.Variables);
    }

    [Fact]
    public void Instructions_Parsed_OneCurlPerScriptedCallAndTheAuditCommands()
    {
        Assert.Equal(DemoScript.Calls.Select(c => c.Title), _demo.Replay.Calls.Select(c => c.Title));

        // The walk-through in print order: the step-up call keeping the id, the approval, then the retries presenting it.
        var lines = _demo.Replay.Printout.Split('\n');
        var stepUp = Array.FindIndex(lines, l => l.StartsWith(DemoScript.ApprovalVariable + "=$(curl ", StringComparison.Ordinal));
        var approve = Array.FindIndex(lines, l => l.Contains(" approvals approve ", StringComparison.Ordinal));
        var retry = Array.FindIndex(lines, l => l.Contains(DemoScript.ApprovalHeader + ": $" + DemoScript.ApprovalVariable, StringComparison.Ordinal) && l.StartsWith("curl ", StringComparison.Ordinal));
        Assert.True(stepUp > 0 && stepUp < approve && approve < retry, $"step-up {stepUp}, approval {approve}, retry {retry}");
        Assert.Contains(_demo.Replay.MandateCommands, c => c.Contains("audit verify --data-dir", StringComparison.Ordinal));
        Assert.Contains(_demo.Replay.MandateCommands, c => c.Contains("audit tail --data-dir", StringComparison.Ordinal));
    }

    [Fact]
    public void TaskExchange_PrintedLineRunWithBash_StoresATaskTokenForTheReadToolOnly()
    {
        var token = _demo.Replay.Variables[DemoScript.TaskVariable];
        var parts = token.Split('.');
        Assert.True(parts.Length == 3, $"`{DemoScript.TaskVariable}` is not a JWT: {token}");

        using var payload = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(Base64(parts[1]))));
        var claims = payload.RootElement;
        Assert.Equal(DemoScript.TaskExchange.Actor.Id, claims.GetProperty("act").GetProperty("sub").GetString());
        Assert.Equal(string.Join(' ', DemoScript.TaskExchange.Scopes), claims.GetProperty("scope").GetString());
        var task = Assert.Single(claims.GetProperty("authorization_details").EnumerateArray());
        Assert.Equal(DemoScript.TaskExchange.Intent, task.GetProperty("intent").GetString());
        var tools = task.GetProperty("actions").EnumerateArray().Select(t => t.GetString()!).ToList();
        Assert.Equal(new[] { "mcp.tools.call:helpdesk/search_tickets" }, tools);
        Assert.True(claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64() <= 900);
    }

    [Fact]
    public void Replay_RefusedCallsNeverReachTheUpstreamsAndTheAgentNeverSeesTheKey()
    {
        var session = _demo.Session;
        var bodies = _demo.Replay.Answers.Select(a => a.Body + string.Join('\n', a.Response.Headers.Select(h => $"{h.Key}: {string.Join(',', h.Value)}"))).ToList();

        var received = session.SampleApi.ReceivedRequests;
        Assert.DoesNotContain(received, r => r.Path.Contains("merger-plan", StringComparison.Ordinal));
        Assert.DoesNotContain(received, r => r.Path.Contains("roadmap-2027", StringComparison.Ordinal));
        Assert.DoesNotContain(received, r => r.Method == "POST" && r.Path == "/tickets");
        // 12.50 EUR, and 2,500.00 EUR once: not when it asked for approval, not when the used approval was presented again.
        Assert.Equal(2, received.Count(r => r.Method == "POST" && r.Path == "/payments"));
        Assert.DoesNotContain(received, r => r.HadAuthorization);

        var legacy = Assert.Single(received, r => r.Path == "/legacy/reports");
        Assert.False(string.IsNullOrEmpty(legacy.ApiKey));
        Assert.DoesNotContain(bodies, b => b.Contains(legacy.ApiKey!, StringComparison.Ordinal));
        Assert.DoesNotContain(legacy.ApiKey!, _demo.Replay.Printout, StringComparison.Ordinal);
        Assert.All(received.Where(r => r.Path != "/legacy/reports"), r => Assert.Null(r.ApiKey));

        // The out-of-task delete must never run, whatever the gateway answered.
        Assert.DoesNotContain(session.Helpdesk.ToolCalls, c => c.StartsWith(HelpdeskTools.Delete, StringComparison.Ordinal));
        Assert.Contains($"{HelpdeskTools.Search}:printer", session.Helpdesk.ToolCalls);
    }

    private static string Base64(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
    }
}

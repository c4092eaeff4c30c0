using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Mandate.Cli;
using Mandate.Core.Audit;
using Mandate.Server.Tests.Support;

namespace Mandate.Server.Tests.Lifecycle;

/// <summary>
/// Shadow policies on a real gateway: a candidate folder (<c>policies.shadow</c>) decided beside the live set never
/// changes an answer, every disagreement is recorded and counted, <c>mandate policy shadow report</c> lists the flips,
/// and promotion (recorded first) makes the candidate live.
/// </summary>
public sealed class ShadowPolicyTests : IAsyncLifetime
{
    // The candidate: no more legal hold on ticket 13, and ticket 7 may no longer be read.
    private const string Candidate = """
        @id("read-tickets")
        permit (principal, action == Mandate::Action::"read", resource in Mandate::Api::"tickets")
        when { context.token.scopes.contains("tickets:read") };

        @id("ticket-7-closed")
        @reason("ticket 7 is closed to agents")
        forbid (principal, action, resource == Mandate::Ticket::"7");
        """;

    private readonly GatewayFixture _gw = new()
    {
        EditConfig = text => text.Replace("  directory: policies\n", "  directory: policies\n  shadow: candidate\n"),
        PrepareFiles = async dir =>
        {
            Directory.CreateDirectory(Path.Combine(dir, "candidate"));
            await File.WriteAllTextAsync(Path.Combine(dir, "candidate", "next.cedar"), Candidate);
            await File.WriteAllTextAsync(Path.Combine(dir, "admin-token"), GatewayFiles.AdminToken);
        },
    };

    public Task InitializeAsync() => _gw.InitializeAsync();

    public Task DisposeAsync() => _gw.DisposeAsync();

    [Fact]
    public async Task Disagreements_NeverChangeTheAnswer_AreRecordedCountedReported_ThenPromotionMakesThemLive()
    {
        var token = _gw.Issuer.Mint("reader-bot");

        using (var seven = await _gw.GetAsync("/tickets/7", token))
        using (var thirteen = await _gw.GetAsync("/tickets/13", token))
        using (var eight = await _gw.GetAsync("/tickets/8", token))
        {
            Assert.Equal(HttpStatusCode.OK, seven.StatusCode);          // the live set allows; the candidate would deny
            Assert.Equal(HttpStatusCode.Forbidden, thirteen.StatusCode); // the live set denies; the candidate would allow
            Assert.Equal(HttpStatusCode.OK, eight.StatusCode);           // both allow: no record
        }

        Assert.Equal(["/tickets/7", "/tickets/8"], _gw.Upstream.Received.Select(r => r.RawTarget).Order());
        var shadow = await WaitForAsync(2);
        var sevenFlip = Assert.Single(shadow, e => e.Event.Resource == "Mandate::Ticket::\"7\"").Event;
        Assert.Equal(("deny", "allow", "http"), (sevenFlip.Decision, sevenFlip.Details["live"], sevenFlip.Details["front"]));
        Assert.Equal(["ticket-7-closed"], sevenFlip.Policies);
        var thirteenFlip = Assert.Single(shadow, e => e.Event.Resource == "Mandate::Ticket::\"13\"").Event;
        Assert.Equal(("allow", "deny", "legal-hold"), (thirteenFlip.Decision, thirteenFlip.Details["live"], thirteenFlip.Details["live_policies"]));
        var decisions = (await _gw.AuditAsync()).Where(e => e.Event.Kind == AuditEvent.Kinds.Decision).ToArray();
        Assert.Contains(decisions, d => d.Event.DecisionId == sevenFlip.DecisionId && d.Event.Decision == "allow");

        var status = await AdminAsync(HttpMethod.Get, "/v1/policies/shadow");
        Assert.Equal((3, 1, 1, 1), (status.GetProperty("decided").GetInt32(), status.GetProperty("agreed").GetInt32(),
            status.GetProperty("allowToDeny").GetInt32(), status.GetProperty("denyToAllow").GetInt32()));

        var (code, report, _) = await CliAsync("policy", "shadow", "report", "--data-dir", Path.Combine(_gw.Directory, "data"));
        Assert.Equal(0, code);
        var lines = report.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.Contains(lines, l => l.StartsWith("allow->deny", StringComparison.Ordinal) && l.Contains("Mandate::Action::\"read\" on Mandate::Ticket") && l.Contains("shadow denies by ticket-7-closed"));
        Assert.Contains(lines, l => l.StartsWith("deny->allow", StringComparison.Ordinal) && l.Contains("live denied by legal-hold"));
        Assert.Contains(lines, l => l.Contains("e.g. " + sevenFlip.DecisionId));
        Assert.Equal("2 disagreements: 1 allow->deny, 1 deny->allow", lines[^1]);

        var (promoted, promoteOut, promoteErr) = await CliAsync("policy", "shadow", "promote", "--admin-url", _gw.ControlPlane.ToString(), "--token-file", Path.Combine(_gw.Directory, "admin-token"));
        Assert.True(promoted == 0, promoteErr);
        Assert.Contains("\"promoted\": true", promoteOut);
        Assert.Equal(Candidate, await File.ReadAllTextAsync(Path.Combine(_gw.Directory, "policies", "next.cedar")));
        Assert.False(File.Exists(_gw.PolicyFile));
        using (var seven = await _gw.GetAsync("/tickets/7", token))
        using (var thirteen = await _gw.GetAsync("/tickets/13", token))
        {
            Assert.Equal(HttpStatusCode.Forbidden, seven.StatusCode);
            Assert.Equal(HttpStatusCode.OK, thirteen.StatusCode);
        }

        var all = await _gw.AuditAsync();
        var promotion = Assert.Single(all, e => e.Event.Kind == AuditEvent.Kinds.PolicyPromoted);
        var reload = all.Last(e => e.Event.Kind == AuditEvent.Kinds.PolicyReload);
        Assert.True(promotion.Seq < reload.Seq, "the promotion is recorded before the set it installs");
        Assert.Contains("ticket-7-closed", promotion.Event.Policies);
    }

    [Fact]
    public async Task Promote_WithoutACandidateFolder_IsAConflict_AndChangesNothing()
    {
        var plain = new GatewayFixture();
        await plain.InitializeAsync();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(plain.ControlPlane, "/v1/policies/shadow/promote"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFiles.AdminToken);
            using var response = await plain.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains("shadow.none", await response.Content.ReadAsStringAsync());
            Assert.DoesNotContain(await plain.AuditAsync(), e => e.Event.Kind == AuditEvent.Kinds.PolicyPromoted);
        }
        finally
        {
            await plain.DisposeAsync();
        }
    }

    [Fact]
    public async Task ShadowAnnotation_LeavesThePolicyOutOfTheLiveSet_AndRecordsWhatItWouldDo()
    {
        var marked = new GatewayFixture
        {
            PrepareFiles = dir => File.AppendAllTextAsync(Path.Combine(dir, "policies", "main.cedar"), """

                @id("ticket-9-closed")
                @shadow
                forbid (principal, action, resource == Mandate::Ticket::"9");
                """),
        };
        await marked.InitializeAsync();
        try
        {
            using var nine = await marked.GetAsync("/tickets/9", marked.Issuer.Mint("reader-bot"));
            Assert.Equal(HttpStatusCode.OK, nine.StatusCode);
            Assert.Single(marked.Upstream.Received);
            AuditEntry? flip = null;
            for (var i = 0; i < 200 && flip is null; i++)
            {
                flip = (await marked.AuditAsync()).SingleOrDefault(e => e.Event.Kind == AuditEvent.Kinds.ShadowDisagreement);
                await Task.Delay(flip is null ? 25 : 0);
            }

            Assert.NotNull(flip);
            Assert.Equal(("deny", "allow"), (flip.Event.Decision, flip.Event.Details["live"]));
            Assert.Equal(["ticket-9-closed"], flip.Event.Policies);
            var loaded = (await marked.AuditAsync()).First(e => e.Event.Kind == AuditEvent.Kinds.PolicyReload);
            Assert.DoesNotContain("ticket-9-closed", loaded.Event.Policies);
        }
        finally
        {
            await marked.DisposeAsync();
        }
    }

    private async Task<List<AuditEntry>> WaitForAsync(int count)
    {
        for (var i = 0; i < 200; i++)
        {
            var found = (await _gw.AuditAsync()).Where(e => e.Event.Kind == AuditEvent.Kinds.ShadowDisagreement).ToList();
            if (found.Count >= count)
            {
                return found;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"fewer than {count} shadow records after 5 s");
    }

    private async Task<JsonElement> AdminAsync(HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, new Uri(_gw.ControlPlane, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFiles.AdminToken);
        using var response = await _gw.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }

    private static async Task<(int Code, string Out, string Err)> CliAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}

using System.Diagnostics;
using System.Text.Json;
using Mandate.Cli;
using Mandate.Core.Audit;
using Mandate.Server.Configuration;
using Mandate.Server.Lifecycle.Report;
using Mandate.Storage.Sqlite.Audit;

namespace Mandate.Server.Tests.Lifecycle;

/// <summary>
/// <c>mandate report</c>: the mapping table is consistent with the controls assessed; every configured route, tool
/// and MCP server appears once; gaps show for a long token lifetime and an unguarded write; evidence comes from a real
/// audit log; the HTML page needs nothing from outside.
/// </summary>
public sealed class FrameworkReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mandate-report-").FullName;

    public FrameworkReportTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "policies"));
        File.WriteAllText(Path.Combine(_dir, "carol.token"), "carol-approves-0123456789");
        File.WriteAllText(Path.Combine(_dir, "policies", "p.cedar"), """
            @id("reads") permit (principal, action == Mandate::Action::"read", resource);
            @id("transfers-need-approval") @step_up("approval")
            forbid (principal, action in [Mandate::Action::"transfer", Mandate::Action::"upload"], resource) unless { context.approval.granted };
            @id("mcp-delete-needs-approval") @step_up("approval")
            forbid (principal, action == Mandate::Action::"mcp.tools.call", resource == Mandate::Tool::"desk/delete_ticket") unless { context.approval.granted };
            @id("no-egress-after-pii")
            forbid (principal, action, resource) when { context has session && context.session.labels_seen.contains("pii") && context.call.labels.contains("egress") };
            """);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Catalogue_EveryControlAssessed_EveryItemMappedOrOutOfScope()
    {
        var catalogue = FrameworkCatalogue.Shipped;
        var assessed = ControlAssessor.Assess(Config(Yaml()), Policies(Yaml()), null);

        Assert.Equal(catalogue.Controls.Select(c => c.Id).Order(), assessed.Keys.Order());
        Assert.Equal(4, catalogue.Frameworks.Count);
        Assert.Equal([10, 10, 7, 4], catalogue.Frameworks.Select(f => f.Items.Count));
        foreach (var item in catalogue.Frameworks.SelectMany(f => f.Items))
        {
            var mapped = catalogue.Controls.Any(c => c.Maps.Any(m => m.Item == item));
            Assert.True(mapped ^ (item.OutOfScope is not null), $"{item.Key} must be mapped or out of scope, not both or neither");
        }

        Assert.All(catalogue.Controls.SelectMany(c => c.Maps), m => Assert.True(m.Why.Length > 20, m.Item.Key));
    }

    [Fact]
    public async Task Json_NamesEveryRouteToolAndServerExactlyOnce()
    {
        var json = await ReportJsonAsync(Yaml());

        var subjects = json.GetProperty("controls").EnumerateArray()
            .SelectMany(c => c.GetProperty("subjects").EnumerateArray().Select(s => (Control: c.GetProperty("id").GetString()!, Subject: s.GetString()!)))
            .ToArray();
        string[] expected = ["route GET /docs/{id}", "route POST /transfers", "route DELETE /docs/{id}", "route POST /upload", "mcp-server desk", "tool desk/delete_ticket", "tool desk/search"];
        foreach (var name in expected)
        {
            Assert.Single(subjects, s => s.Subject == name || s.Subject.StartsWith(name + " (by ", StringComparison.Ordinal));
        }

        Assert.Equal(expected.Length, subjects.Length);
        Assert.Contains(("step-up-approval", "route POST /transfers (by transfers-need-approval)"), subjects);
        Assert.Contains(("step-up-approval", "tool desk/delete_ticket (by mcp-delete-needs-approval)"), subjects);
        Assert.Contains(("step-up-approval", "route POST /upload (by transfers-need-approval)"), subjects);
        Assert.Contains(("per-call-authorization", "route GET /docs/{id}"), subjects);
        Assert.Contains(("mcp-tool-authorization", "tool desk/search"), subjects);
    }

    [Fact]
    public async Task Gaps_LongTokenLifetimeAndAWriteWithoutStepUp_AreShown()
    {
        var good = await ReportJsonAsync(Yaml(maxLifetime: 600, guardDelete: true));
        var bad = await ReportJsonAsync(Yaml(maxLifetime: 86400, guardDelete: false));

        Assert.Equal("in-force", Control(good, "task-tokens").GetProperty("status").GetString());
        Assert.Equal("partial", Control(bad, "task-tokens").GetProperty("status").GetString());
        Assert.Contains("tokens.maxLifetimeSeconds is 86400 s, more than 900 s", Strings(Control(bad, "task-tokens"), "gaps"));
        Assert.Equal("partial", Control(bad, "step-up-approval").GetProperty("status").GetString());
        Assert.Contains("route DELETE /docs/{id} writes and no @step_up forbid covers every call of it", Strings(Control(bad, "step-up-approval"), "gaps"));
        Assert.DoesNotContain(Strings(Control(good, "step-up-approval"), "gaps"), g => g.Contains("DELETE", StringComparison.Ordinal));
        Assert.Equal("in-force", Control(good, "step-up-approval").GetProperty("status").GetString());
        Assert.Equal("in-force", Control(good, "session-rules").GetProperty("status").GetString());
        var nhi7 = Item(bad, "owasp-nhi", "NHI7");
        Assert.Contains("task-tokens", nhi7.GetProperty("controls").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task Evidence_CountsTheWindowOfARealAuditLog_AndItsVerification()
    {
        var data = Path.Combine(_dir, "data");
        await using (var log = new SqliteAuditLog(new SqliteAuditOptions { DataDirectory = data }))
        {
            var now = DateTimeOffset.UtcNow;
            var old = new AuditEvent { Kind = AuditEvent.Kinds.Decision, Decision = "allow", Time = now.AddDays(-40), Details = new Dictionary<string, string> { ["front"] = "http", ["code"] = "policy.allow" } };
            Assert.True((await log.AppendAsync(old)).Ok);
            foreach (var (decision, front, code, policy) in new[]
            {
                ("allow", "http", "policy.allow", "reads"),
                ("allow", "mcp", "policy.allow", "reads"),
                ("deny", "http", "policy.deny", "no-egress-after-pii"),
                ("deny", "http", "approval.required", "transfers-need-approval"),
            })
            {
                var e = new AuditEvent { Kind = AuditEvent.Kinds.Decision, Decision = decision, Time = now.AddMinutes(-5), Policies = [policy], Details = new Dictionary<string, string> { ["front"] = front, ["code"] = code } };
                Assert.True((await log.AppendAsync(e)).Ok);
            }
        }

        var json = await ReportJsonAsync(Yaml(), "--data-dir", data, "--window", "7d");

        var audit = json.GetProperty("audit");
        Assert.True(audit.GetProperty("read").GetBoolean());
        Assert.Equal(4, audit.GetProperty("recordsInWindow").GetInt64());
        Assert.True(audit.GetProperty("verified").GetBoolean());
        var perCall = Control(json, "per-call-authorization").GetProperty("evidence");
        Assert.Equal(2, perCall.GetProperty("decisions.allow").GetInt64());
        Assert.Equal(2, perCall.GetProperty("decisions.deny").GetInt64());
        Assert.Equal(3, perCall.GetProperty("front.http").GetInt64());
        Assert.Equal(1, Control(json, "mcp-tool-authorization").GetProperty("evidence").GetProperty("front.mcp").GetInt64());
        Assert.Equal(1, Control(json, "step-up-approval").GetProperty("evidence").GetProperty("approvals.required").GetInt64());
        Assert.Equal(1, Control(json, "session-rules").GetProperty("evidence").GetProperty("denies by session rules").GetInt64());
    }

    [Fact]
    public async Task Html_IsOneSelfContainedPageWithACoveragePicture_AsARealProcess()
    {
        var config = Write(Yaml());
        var page = Path.Combine(_dir, "report.html");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "mandate.dll"), "report", "--config", config, "--format", "html", "--output", page })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, stderr);
        var html = await File.ReadAllTextAsync(page);
        Assert.StartsWith("<!doctype html>", html);
        Assert.Contains("<svg", html);
        Assert.Contains("ASI09", html);
        Assert.DoesNotContain("src=", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("<script", html);
        Assert.Contains("no audit log at", stderr);
    }

    [Fact]
    public async Task BadConfig_ExitsTwoWithTheProblem()
    {
        var config = Write("controlPlane: { adminToken: short }\n");
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await CliApp.RunAsync(["report", "--config", config], output, error);

        Assert.Equal(2, code);
        Assert.Equal("", output.ToString());
        Assert.Contains("controlPlane.adminToken", error.ToString());
    }

    private string Yaml(int maxLifetime = 600, bool guardDelete = true) => $$"""
        controlPlane: { adminToken: "0123456789abcdef-admin" }
        identity: { oidc: [ { issuer: "https://login.example", audiences: [ mandate ] } ] }
        policies: { directory: policies }
        dataDir: data
        tokens: { issuer: "https://mandate.example", maxLifetimeSeconds: {{maxLifetime}} }
        upstreams: { api: { url: "https://api.example" } }
        approvals: { approvers: [ { id: carol, tokenFile: carol.token } ] }
        routes:
          - { method: GET, path: "/docs/{id}", action: read, resource: { type: Doc, id: "{id}" }, upstream: api }
          - { method: POST, path: /transfers, action: transfer, resource: { type: Api, id: ledger }, upstream: api }
          - { method: DELETE, path: "/docs/{id}", action: {{(guardDelete ? "transfer" : "delete")}}, resource: { type: Doc, id: "{id}" }, upstream: api }
          - { method: POST, path: /upload, action: upload, resource: { type: Api, id: partner }, upstream: api, labels: [ egress ] }
        mcp:
          servers:
            desk:
              url: "https://desk.example/mcp"
              tools: { delete_ticket: { write: true }, search: { labels: [ pii ], write: false } }
        """;

    private async Task<JsonElement> ReportJsonAsync(string yaml, params string[] extra)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliApp.RunAsync(["report", "--config", Write(yaml), "--format", "json", .. extra], output, error);
        Assert.True(code == 0, error.ToString());
        using var document = JsonDocument.Parse(output.ToString());
        return document.RootElement.Clone();
    }

    private static JsonElement Control(JsonElement report, string id) =>
        report.GetProperty("controls").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);

    private static JsonElement Item(JsonElement report, string framework, string id) =>
        report.GetProperty("frameworks").EnumerateArray().Single(f => f.GetProperty("id").GetString() == framework)
            .GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == id);

    private static string[] Strings(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(s => s.GetString()!).ToArray();

    private string Write(string yaml)
    {
        var path = Path.Combine(_dir, "mandate.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private MandateConfig Config(string yaml)
    {
        var loaded = MandateConfigLoader.Load(Write(yaml));
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Problems));
        return loaded.Config!;
    }

    private PolicyFacts Policies(string yaml)
    {
        var (facts, problems) = PolicyFacts.Read(Config(yaml));
        Assert.True(facts is not null, string.Join("\n", problems));
        return facts!;
    }
}

using System.Net;
using Mandate.Cli;
using Mandate.Server.Configuration;
using Mandate.Server.Lifecycle.Testing;
using Mandate.Server.Tests.Support;

namespace Mandate.Server.Tests.Lifecycle;

/// <summary>
/// <c>mandate policy suggest</c> on a workload recorded by a real gateway: the suggested permits (with the live forbids)
/// still allow every recorded allowed call, allow strictly less than the live set on a probe set, and the permit the
/// workload never used is named.
/// </summary>
public sealed class SuggestionTests : IAsyncLifetime
{
    private readonly GatewayFixture _gw = new()
    {
        PrepareFiles = dir => File.AppendAllTextAsync(Path.Combine(dir, "policies", "main.cedar"), """

            @id("export-tickets")
            permit (principal, action == Mandate::Action::"export", resource)
            when { context.token.scopes.contains("tickets:export") };
            """),
    };

    public Task InitializeAsync() => _gw.InitializeAsync();

    public Task DisposeAsync() => _gw.DisposeAsync();

    [Fact]
    public async Task Suggestions_KeepEveryRecordedAllow_AllowLessOnProbes_AndNameTheUnusedGrant()
    {
        var reader = _gw.Issuer.Mint("reader-bot");
        var trusted = _gw.Issuer.Mint("trusted-bot");
        foreach (var id in new[] { "1", "2", "3", "2" })
        {
            using var read = await _gw.GetAsync("/tickets/" + id, reader);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        using (var delete = await _gw.SendAsync(HttpMethod.Delete, "/tickets/5", trusted))
        {
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        }

        using (var hold = await _gw.GetAsync("/tickets/13", reader))
        {
            Assert.Equal(HttpStatusCode.Forbidden, hold.StatusCode); // denied calls are not evidence of use
        }

        // The suggester reads the audit index (audit.db), which fills behind the log.
        Assert.True(await _gw.Gateway.AuditIndexCaughtUpAsync(TimeSpan.FromSeconds(10)));
        var config = Path.Combine(_gw.Directory, "mandate.yaml");
        var suggested = Path.Combine(_gw.Directory, "suggested");
        Directory.CreateDirectory(suggested);
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliApp.RunAsync(["policy", "suggest", "--config", config, "--output", Path.Combine(suggested, "permits.cedar")], output, error);
        Assert.True(code == 0, error.ToString());
        var text = await File.ReadAllTextAsync(Path.Combine(suggested, "permits.cedar"));
        Assert.Contains("""principal == Mandate::Agent::"reader-bot",""", text);
        Assert.Contains("""[Mandate::Ticket::"1", Mandate::Ticket::"2", Mandate::Ticket::"3"].contains(resource)""", text);
        Assert.Contains("""resource == Mandate::Ticket::"5""", text);
        Assert.Contains("//   export-tickets", text);
        Assert.DoesNotContain("Ticket::\"13\"", text);

        // The suggested set: the permits as suggested, the live forbids kept.
        await File.WriteAllTextAsync(Path.Combine(suggested, "forbids.cedar"), """
            @id("legal-hold") forbid (principal, action, resource == Mandate::Ticket::"13");
            @id("blocked-network") forbid (principal, action, resource) when { context.request.ip.isInRange(ip("10.0.0.0/8")) };
            """);
        var cases = Path.Combine(_gw.Directory, "probe.test.yaml");
        await File.WriteAllTextAsync(cases, """
            tests:
              - { name: recorded read 1, agent: reader-bot, action: read, resource: { type: Ticket, id: "1", parents: [ 'Api::"tickets"' ] }, context: { token: { scopes: [ "tickets:read" ] } }, expect: allow }
              - { name: recorded read 2, agent: reader-bot, action: read, resource: { type: Ticket, id: "2", parents: [ 'Api::"tickets"' ] }, context: { token: { scopes: [ "tickets:read" ] } }, expect: allow }
              - { name: recorded read 3, agent: reader-bot, action: read, resource: { type: Ticket, id: "3", parents: [ 'Api::"tickets"' ] }, context: { token: { scopes: [ "tickets:read" ] } }, expect: allow }
              - { name: recorded delete 5, agent: trusted-bot, action: write, resource: { type: Ticket, id: "5", parents: [ 'Api::"tickets"' ] }, expect: allow }
              - { name: probe read 4, agent: reader-bot, action: read, resource: { type: Ticket, id: "4", parents: [ 'Api::"tickets"' ] }, context: { token: { scopes: [ "tickets:read" ] } }, expect: deny }
              - { name: probe delete 6, agent: trusted-bot, action: write, resource: { type: Ticket, id: "6", parents: [ 'Api::"tickets"' ] }, expect: deny }
              - { name: probe export, agent: reader-bot, action: export, resource: 'Api::"tickets"', context: { token: { scopes: [ "tickets:export" ] } }, expect: deny }
              - { name: probe reader writes, agent: reader-bot, action: write, resource: { type: Ticket, id: "1", parents: [ 'Api::"tickets"' ] }, expect: deny }
            """);
        var loaded = MandateConfigLoader.Load(config).Config!;
        var now = DateTimeOffset.UtcNow;

        var withSuggestions = PolicyTestRunner.Run([cases], new PolicyTestOptions(suggested, null, null, loaded), now);
        var live = PolicyTestRunner.Run([cases], new PolicyTestOptions(null, null, null, loaded), now);

        Assert.Empty(withSuggestions.Problems);
        Assert.All(withSuggestions.Results, r => Assert.True(r.Passed, $"{r.Case.Name}: got {(r.Decision.IsAllowed ? "allow" : "deny")}"));
        var liveAllowed = live.Results.Where(r => r.Decision.IsAllowed).Select(r => r.Case.Name).ToHashSet();
        var suggestedAllowed = withSuggestions.Results.Where(r => r.Decision.IsAllowed).Select(r => r.Case.Name).ToHashSet();
        Assert.True(suggestedAllowed.IsProperSubsetOf(liveAllowed), $"live: {string.Join(", ", liveAllowed)}; suggested: {string.Join(", ", suggestedAllowed)}");
        Assert.Contains("probe read 4", liveAllowed);
        Assert.Contains("probe export", liveAllowed);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Mandate.Server.Tests.Observability.Support;
using Mandate.Server.Tests.Support;

namespace Mandate.Server.Tests.Observability;

/// <summary>
/// The control plane's Prometheus endpoint after known traffic: its counters agree with the audit log record for
/// record, its histograms and ASP.NET Core's <c>http.server.*</c> are there, and it answers only its scrape token.
/// </summary>
[Collection(ObservabilityCollection.Name)]
public sealed class MetricsScrapeTests : IAsyncLifetime
{
    private const string ScrapeToken = "scrape-token-0123456789abcdef";
    private GatewayFixture _gw = null!;

    public async Task InitializeAsync()
    {
        _gw = new GatewayFixture
        {
            PrepareFiles = dir => File.WriteAllTextAsync(Path.Combine(dir, "scrape.token"), ScrapeToken + "\n"),
            EditConfig = c => c + """

                observability:
                  metrics:
                    prometheus: true
                    scrapeTokenFile: scrape.token
                """,
        };
        await _gw.InitializeAsync();
    }

    public async Task DisposeAsync() => await _gw.DisposeAsync();

    private async Task<HttpResponseMessage> ScrapeAsync(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_gw.ControlPlane, "/metrics"));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await _gw.Client.SendAsync(request);
    }

    [Fact]
    public async Task Counters_MatchTheAuditRecords_AfterKnownTraffic()
    {
        var reader = _gw.Issuer.Mint("reader-bot");
        var expected = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            expected.Add((await _gw.GetAsync("/tickets/42", reader)).StatusCode);
        }

        for (var i = 0; i < 2; i++)
        {
            expected.Add((await _gw.GetAsync("/tickets/13", reader)).StatusCode);
        }

        expected.Add((await _gw.GetAsync("/tickets/42", token: null)).StatusCode);
        expected.Add((await _gw.GetAsync("/no-such-route", reader)).StatusCode);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Unauthorized, HttpStatusCode.NotFound], expected);

        using var response = await ScrapeAsync(ScrapeToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var samples = PrometheusText.Parse(await response.Content.ReadAsStringAsync());

        // mandate.decisions counts decision records: by front and code it is the audit log's own tally.
        var audit = (await _gw.AuditAsync()).Where(e => e.Event.Kind == "decision").ToList();
        Assert.Equal(7, audit.Count);
        var fromAudit = audit.GroupBy(e => (e.Event.Details["front"], e.Event.Details["code"])).ToDictionary(g => g.Key, g => (double)g.Count());
        var fromMetrics = samples.Where(s => s.Name == "mandate_decisions_total")
            .GroupBy(s => (s["mandate_front"], s["mandate_code"])).ToDictionary(g => g.Key, g => g.Sum(s => s.Value));
        Assert.Equal(fromAudit.OrderBy(p => p.Key.ToString()), fromMetrics.OrderBy(p => p.Key.ToString()));
        Assert.Equal(3, samples.Where(s => s.Name == "mandate_decisions_total" && s["mandate_verdict"] == "allow").Sum(s => s.Value));

        // Refusals before a policy decision (no identity, no route) are counted apart too.
        var refusals = samples.Where(s => s.Name == "mandate_refusals_total").ToDictionary(s => s["mandate_code"], s => s.Value);
        Assert.Equal(1, refusals["identity.missing"]);
        Assert.Equal(1, refusals["route.not_found"]);

        // Latency histograms: Mandate's decide step and end-to-end time, ASP.NET Core's http.server.request.duration.
        Assert.Equal(5, samples.Single(s => s.Name == "mandate_decision_duration_seconds_count" && s["mandate_verdict"] == "allow" && s["mandate_front"] == "http").Value
            + samples.Single(s => s.Name == "mandate_decision_duration_seconds_count" && s["mandate_verdict"] == "deny" && s["mandate_front"] == "http").Value);
        Assert.Equal(7, samples.Where(s => s.Name == "mandate_request_duration_seconds_count").Sum(s => s.Value));
        Assert.Contains(samples, s => s.Name == "http_server_request_duration_seconds_count" && s["http_response_status_code"] == "403" && s["mandate_front"] == "http");
        Assert.Equal(7, samples.Where(s => s.Name == "mandate_audit_record_duration_seconds_count" && s["mandate_record_kind"] == "decision").Sum(s => s.Value));
        Assert.Contains(samples, s => s.Name == "mandate_audit_durability" && s["mandate_audit_durability_class"] == "process_crash");
        Assert.Contains(samples, s => s.Name == "mandate_approvals_pending");
    }

    [Fact]
    public async Task Scrape_WithoutItsToken_IsRefused()
    {
        using var none = await ScrapeAsync(null);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        using var problem = JsonDocument.Parse(await none.Content.ReadAsStringAsync());
        Assert.Equal("metrics.unauthenticated", problem.RootElement.GetProperty("code").GetString());

        // The admin token is no scrape token: Prometheus' configuration holds no admin power, and the reverse.
        using var admin = await ScrapeAsync(GatewayFiles.AdminToken);
        Assert.Equal(HttpStatusCode.Unauthorized, admin.StatusCode);
    }

    [Fact]
    public async Task Probes_AnswerForKubernetes()
    {
        using var live = await _gw.Client.GetAsync(new Uri(_gw.DataPlane, "/healthz"));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var ready = await _gw.Client.GetAsync(new Uri(_gw.DataPlane, "/readyz"));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}

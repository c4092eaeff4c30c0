using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mandate.Server.Tests.Observability.Support;
using Mandate.Server.Tests.Support;

namespace Mandate.Server.Tests.Observability;

/// <summary>
/// The Grafana dashboard in <c>deploy/grafana/</c> asks only for series Mandate exports. Grafana is not installable
/// here (not in Debian), so instead of loading it into a Grafana, the test takes every instrument a running gateway
/// publishes (Mandate's meters and the framework's it exports), turns each into its Prometheus names the way
/// OpenTelemetry's exporter does — checked against a live scrape — and requires every metric a query names to be one.
/// </summary>
[Collection(ObservabilityCollection.Name)]
public sealed partial class DashboardTests
{
    private static readonly string[] ExportedMeterPrefixes = ["Mandate.", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime"];

    [Fact]
    public async Task DashboardQueries_NameOnlyMetricsMandateExports()
    {
        var instruments = new List<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (ExportedMeterPrefixes.Any(p => instrument.Meter.Name.StartsWith(p, StringComparison.Ordinal)))
                {
                    lock (instruments)
                    {
                        instruments.Add(instrument);
                    }
                }
            },
        };
        listener.Start();

        var gw = new GatewayFixture { EditConfig = c => c + "\nobservability:\n  metrics:\n    prometheus: true\n" };
        await gw.InitializeAsync();
        string scrape;
        try
        {
            // Touch every static instrument class, then make some traffic so the framework's instruments exist too.
            System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(Mandate.Server.Telemetry.GatewayMetrics).TypeHandle);
            System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(Mandate.Server.Telemetry.AuditMetrics).TypeHandle);
            (await gw.GetAsync("/tickets/42", gw.Issuer.Mint("reader-bot"))).Dispose();
            (await gw.GetAsync("/tickets/13", gw.Issuer.Mint("reader-bot"))).Dispose();
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gw.ControlPlane, "/metrics"));
            using var response = await gw.Client.SendAsync(request);
            scrape = await response.Content.ReadAsStringAsync();
        }
        finally
        {
            await gw.DisposeAsync();
        }

        HashSet<string> exported;
        lock (instruments)
        {
            exported = instruments.SelectMany(PrometheusNames).ToHashSet(StringComparer.Ordinal);
        }

        // The naming rules are right: every Mandate series of a real scrape is among the names they give.
        var scraped = PrometheusText.Parse(scrape).Select(s => s.Name).Where(n => n.StartsWith("mandate_", StringComparison.Ordinal)).ToHashSet();
        Assert.NotEmpty(scraped);
        Assert.Empty(scraped.Except(exported));

        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "deploy", "grafana", "mandate-dashboard.json")));
        var queries = Targets(dashboard.RootElement).ToList();
        Assert.NotEmpty(queries);
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var query in queries)
        {
            // Label matchers and grouping clauses name labels, not metrics.
            var withoutLabels = Grouping().Replace(Matchers().Replace(query, ""), "");
            var metrics = MetricName().Matches(withoutLabels).Select(m => m.Value).ToList();
            Assert.True(metrics.Count > 0, $"a query names no metric: {query}");
            foreach (var metric in metrics)
            {
                Assert.True(exported.Contains(metric), $"`{metric}` (in `{query}`) is not a metric Mandate exports");
                named.Add(metric);
            }
        }

        // What the dashboard is for: decisions, denials by reason, latency, audit lag, approvals.
        Assert.Contains("mandate_decisions_total", named);
        Assert.Contains("mandate_decision_duration_seconds_bucket", named);
        Assert.Contains("mandate_request_duration_seconds_bucket", named);
        Assert.Contains("mandate_audit_record_duration_seconds_bucket", named);
        Assert.Contains("mandate_approvals_pending", named);
        Assert.Contains(queries, q => q.Contains("by (mandate_code)", StringComparison.Ordinal) && q.Contains("mandate_decisions_total", StringComparison.Ordinal));
    }

    // Every target expression of every panel (rows' nested panels included) and the templating queries.
    private static IEnumerable<string> Targets(JsonElement dashboard)
    {
        foreach (var panel in dashboard.GetProperty("panels").EnumerateArray().SelectMany(p => p.TryGetProperty("panels", out var inner) ? inner.EnumerateArray().Prepend(p) : [p]))
        {
            if (panel.TryGetProperty("targets", out var targets))
            {
                foreach (var target in targets.EnumerateArray())
                {
                    yield return target.GetProperty("expr").GetString()!;
                }
            }
        }

        foreach (var variable in dashboard.GetProperty("templating").GetProperty("list").EnumerateArray())
        {
            if (variable.GetProperty("type").GetString() == "query")
            {
                yield return variable.GetProperty("query").GetString()!;
            }
        }
    }

    // OpenTelemetry's Prometheus exporter: dots become underscores, the unit is a suffix (`s` → seconds, `By` → bytes,
    // annotations in braces dropped), counters end in `_total`, histograms are `_bucket`, `_sum` and `_count`.
    private static IEnumerable<string> PrometheusNames(Instrument instrument)
    {
        var name = Regex.Replace(instrument.Name, "[^a-zA-Z0-9_:]", "_");
        var unit = instrument.Unit switch
        {
            null or "" or "1" => "",
            "s" => "seconds",
            "ms" => "milliseconds",
            "By" => "bytes",
            var u when u.StartsWith('{') => "",
            var u => Regex.Replace(u, "[^a-zA-Z0-9_:]", "_"),
        };
        if (unit.Length > 0 && !name.EndsWith("_" + unit, StringComparison.Ordinal))
        {
            name += "_" + unit;
        }

        var type = instrument.GetType().GetGenericTypeDefinition();
        if (type == typeof(Counter<>) || type == typeof(ObservableCounter<>))
        {
            return [name.EndsWith("_total", StringComparison.Ordinal) ? name : name + "_total"];
        }

        return type == typeof(Histogram<>) ? [name + "_bucket", name + "_sum", name + "_count"] : [name];
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\b(by|without)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\b(mandate|http_server|http_client|kestrel|dotnet)_[a-z0-9_]+\b")]
    private static partial Regex MetricName();
}

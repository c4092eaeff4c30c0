using Mandate.Server.Configuration;

namespace Mandate.Server.Tests.Configuration;

public sealed class ObservabilityConfigTests : IDisposable
{
    private const string Base = """
        controlPlane: { adminToken: "0123456789abcdef" }
        identity: { oidc: [ { issuer: "https://issuer.example", audiences: [mandate] } ] }
        policies: { directory: policies }
        """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mandate-cfg-" + Guid.NewGuid().ToString("N")[..8]);

    public ObservabilityConfigTests() => Directory.CreateDirectory(Path.Combine(_dir, "policies"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ConfigLoadResult Parse(string observability) => MandateConfigLoader.Parse(Base + "\n" + observability, Path.Combine(_dir, "mandate.yaml"));

    [Fact]
    public void Absent_IsOff()
    {
        var result = Parse("");
        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        Assert.False(result.Config!.Observability.IsOn);
        Assert.False(result.Config.Observability.TracingOn);
        Assert.False(result.Config.Observability.MetricsOn);
    }

    [Fact]
    public void Full_ReadWithDefaults()
    {
        File.WriteAllText(Path.Combine(_dir, "scrape.token"), "scrape-token-0123456789\n");
        var result = Parse("""
            observability:
              otlp: { endpoint: "http://collector.internal:4318", protocol: http/protobuf }
              traces: { sampleRatio: 0.01, acceptParentFrom: [ 10.0.0.0/8, 192.0.2.7 ] }
              metrics: { prometheus: true, scrapeTokenFile: scrape.token }
            """);

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        var o = result.Config!.Observability;
        Assert.Equal("mandate", o.ServiceName);
        Assert.Equal(OtlpProtocol.HttpProtobuf, o.Otlp!.Protocol);
        Assert.Equal(TimeSpan.FromSeconds(10), o.Otlp.Timeout);
        Assert.True(o.TracingOn);
        Assert.Equal(0.01, o.SampleRatio);
        Assert.Equal(2, o.AcceptParentFrom.Count);
        Assert.True(o.MetricsOn);
        Assert.Equal(TimeSpan.FromSeconds(15), o.OtlpInterval);
        Assert.Equal("scrape-token-0123456789", o.ScrapeToken);
        Assert.DoesNotContain("scrape-token", o.ToString());
    }

    [Fact]
    public void Problems_EachReportedWithItsPath()
    {
        File.WriteAllText(Path.Combine(_dir, "admin.token"), "0123456789abcdef");
        var result = Parse("""
            observability:
              serviceName: ""
              otlp: { protocol: zipkin }
              traces: { sampleRatio: "1.5", acceptParentFrom: [ "not-an-address" ] }
              metrics: { scrapeTokenFile: admin.token }
            """);

        Assert.False(result.Succeeded);
        var paths = result.Problems.Select(p => p.Path).ToHashSet();
        Assert.Contains("observability.serviceName", paths);
        Assert.Contains("observability.otlp.protocol", paths);
        Assert.Contains("observability.otlp.endpoint", paths);
        Assert.Contains("observability.traces.sampleRatio", paths);
        Assert.Contains("observability.traces.acceptParentFrom[0]", paths);
        // Only with `prometheus: true`, and never the admin token.
        Assert.Equal(2, result.Problems.Count(p => p.Path == "observability.metrics.scrapeTokenFile"));
    }

    [Fact]
    public void Traces_WithoutOtlp_AreAProblem()
    {
        var result = Parse("observability: { traces: { enabled: true }, metrics: { prometheus: true } }");
        Assert.Contains(result.Problems, p => p.Path == "observability.traces.enabled");
    }
}

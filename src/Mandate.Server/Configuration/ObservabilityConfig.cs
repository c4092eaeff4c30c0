using System.Net;

namespace Mandate.Server.Configuration;

/// <summary>How OTLP is spoken to the collector.</summary>
public enum OtlpProtocol
{
    /// <summary>OTLP over gRPC (the collector's port 4317).</summary>
    Grpc,

    /// <summary>OTLP over HTTP with protobuf bodies (the collector's port 4318, paths <c>/v1/traces</c>, <c>/v1/metrics</c>).</summary>
    HttpProtobuf,
}

/// <summary><c>observability.otlp</c>: where traces and metrics are pushed.</summary>
/// <param name="Endpoint">The collector's base URL (for <c>http/protobuf</c>, <c>/v1/traces</c> and <c>/v1/metrics</c> are appended).</param>
/// <param name="Protocol">gRPC or HTTP/protobuf.</param>
/// <param name="Timeout">How long one export may take (default 10 s).</param>
public sealed record OtlpConfig(Uri Endpoint, OtlpProtocol Protocol, TimeSpan Timeout);

/// <summary>
/// <c>observability</c>: OpenTelemetry traces and metrics. Off when the section is absent: no provider is built, no
/// span is started and no middleware is added, so the request path does exactly what it did without it. Read once at
/// start-up (a reload that changes it takes effect on the next start).
/// </summary>
/// <param name="ServiceName">The <c>service.name</c> resource attribute (default <c>mandate</c>).</param>
/// <param name="Otlp">Where to push traces and metrics; null: no OTLP export.</param>
/// <param name="Traces">Whether spans are recorded and exported (needs <paramref name="Otlp"/>).</param>
/// <param name="SampleRatio">The share of new traces recorded, 0–1 (a trusted caller's sampled flag is followed).</param>
/// <param name="AcceptParentFrom">Peers whose W3C <c>traceparent</c> becomes the parent of Mandate's span; from anyone
/// else it is ignored and replaced upstream.</param>
/// <param name="Metrics">Whether Mandate's and ASP.NET Core's meters are collected.</param>
/// <param name="OtlpInterval">How often metrics are pushed over OTLP.</param>
/// <param name="Prometheus">Whether the control plane serves <c>GET /metrics</c>.</param>
/// <param name="ScrapeToken">The bearer token <c>/metrics</c> requires (from <c>scrapeTokenFile</c>); null: none required.</param>
public sealed record ObservabilityConfig(
    string ServiceName,
    OtlpConfig? Otlp,
    bool Traces,
    double SampleRatio,
    IReadOnlyList<IPNetwork> AcceptParentFrom,
    bool Metrics,
    TimeSpan OtlpInterval,
    bool Prometheus,
    string? ScrapeToken)
{
    /// <summary>No telemetry at all (the default).</summary>
    public static ObservabilityConfig Off { get; } = new("mandate", null, false, 1.0, [], false, TimeSpan.FromSeconds(15), false, null);

    /// <summary>True when spans are recorded and exported.</summary>
    public bool TracingOn => Traces && Otlp is not null;

    /// <summary>True when metrics go somewhere (OTLP or the Prometheus endpoint).</summary>
    public bool MetricsOn => Metrics && (Otlp is not null || Prometheus);

    /// <summary>True when anything is on.</summary>
    public bool IsOn => TracingOn || MetricsOn;

    /// <inheritdoc />
    public override string ToString() =>
        $"ObservabilityConfig {{ ServiceName = {ServiceName}, Otlp = {Otlp}, Traces = {Traces}, SampleRatio = {SampleRatio}, Metrics = {Metrics}, Prometheus = {Prometheus}, ScrapeToken = {(ScrapeToken is null ? "none" : "***")} }}";
}

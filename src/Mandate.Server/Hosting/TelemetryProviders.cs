using Mandate.Server.Configuration;
using Mandate.Server.Flow.Approve;
using Mandate.Server.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Mandate.Server.Hosting;

/// <summary>
/// OpenTelemetry's SDK as <c>observability</c> configures it, built once per server: a tracer provider over every
/// <c>Mandate.*</c> source (ratio sampling, a trusted caller's sampled flag followed) exporting over OTLP, and a meter
/// provider over every <c>Mandate.*</c> meter plus ASP.NET Core's, Kestrel's and the runtime's, exporting
/// over OTLP and/or to the Prometheus scrape endpoint. Nothing is built when the section is absent.
/// </summary>
internal sealed class TelemetryProviders : IDisposable
{
    // The framework's own meters: http.server.* (ASP.NET Core), kestrel.* (connections, TLS, rejections) and dotnet.*
    // (GC, thread pool; read only when collected). Not http.client.*: four more updates on every forwarded request
    // (measured, docs/benchmarks.md) for what mandate.request.duration and the forward span already tell.
    private static readonly string[] FrameworkMeters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime"];

    private readonly ServerGauges? _gauges;

    private TelemetryProviders(TracerProvider? traces, MeterProvider? metrics, ServerGauges? gauges)
    {
        Traces = traces;
        Metrics = metrics;
        _gauges = gauges;
    }

    /// <summary>The tracer provider, when traces are on.</summary>
    public TracerProvider? Traces { get; }

    /// <summary>The meter provider, when metrics are on (the scrape endpoint reads it).</summary>
    public MeterProvider? Metrics { get; }

    /// <summary>Builds the providers <paramref name="config"/> asks for.</summary>
    public static TelemetryProviders Start(ObservabilityConfig config, ApprovalDesk? approvals, string durabilityClass)
    {
        if (!config.IsOn)
        {
            return new TelemetryProviders(null, null, null);
        }

        var version = typeof(TelemetryProviders).Assembly.GetName().Version?.ToString() ?? "0";
        TracerProvider? traces = null;
        if (config.TracingOn)
        {
            traces = Sdk.CreateTracerProviderBuilder()
                .ConfigureResource(r => r.AddService(config.ServiceName, serviceVersion: version))
                .AddSource(MandateTelemetry.Prefix + "*")
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(config.SampleRatio)))
                .AddOtlpExporter(o => Otlp(o, config.Otlp!, "v1/traces"))
                .Build();
        }

        MeterProvider? metrics = null;
        if (config.MetricsOn)
        {
            var builder = Sdk.CreateMeterProviderBuilder()
                .ConfigureResource(r => r.AddService(config.ServiceName, serviceVersion: version))
                .AddMeter(MandateTelemetry.Prefix + "*")
                .AddMeter(FrameworkMeters);
            if (config.Otlp is { } otlp)
            {
                builder.AddOtlpExporter((o, reader) =>
                {
                    Otlp(o, otlp, "v1/metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)config.OtlpInterval.TotalMilliseconds;
                    reader.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative;
                });
            }

            if (config.Prometheus)
            {
                builder.AddPrometheusExporter();
            }

            metrics = builder.Build();
        }

        // The gauges exist only while a meter provider reads them: built after it, disposed with it.
        var gauges = metrics is null ? null : new ServerGauges(approvals, durabilityClass);
        return new TelemetryProviders(traces, metrics, gauges);
    }

    // For HTTP/protobuf an explicit endpoint is used as given, so the signal's path is appended here.
    private static void Otlp(OtlpExporterOptions options, OtlpConfig config, string signalPath)
    {
        options.Protocol = config.Protocol == OtlpProtocol.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        options.Endpoint = config.Protocol == OtlpProtocol.Grpc
            ? config.Endpoint
            : new Uri(config.Endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath);
        options.TimeoutMilliseconds = (int)config.Timeout.TotalMilliseconds;
    }

    /// <summary>Flushes what is buffered and stops both providers.</summary>
    public void Dispose()
    {
        _gauges?.Dispose();
        Traces?.Dispose();
        Metrics?.Dispose();
    }
}

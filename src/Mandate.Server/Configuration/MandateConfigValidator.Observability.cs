using System.Globalization;

namespace Mandate.Server.Configuration;

// `observability`: OTLP export, trace sampling and whose trace context is believed, metrics and the scrape endpoint.
public sealed partial class MandateConfigValidator
{
    private ObservabilityConfig Observability(ObservabilityDocument? o)
    {
        if (o is null)
        {
            return ObservabilityConfig.Off;
        }

        var serviceName = o.ServiceName ?? "mandate";
        if (serviceName.Length is 0 or > 128 || serviceName.Any(char.IsControl))
        {
            Problem("observability.serviceName", "1-128 printable characters");
        }

        OtlpConfig? otlp = null;
        if (o.Otlp is { } d)
        {
            var protocol = (d.Protocol ?? "grpc") switch
            {
                "grpc" => OtlpProtocol.Grpc,
                "http/protobuf" => OtlpProtocol.HttpProtobuf,
                var other => Invalid("observability.otlp.protocol", $"`{other}` is not one of grpc, http/protobuf", OtlpProtocol.Grpc),
            };
            var endpoint = d.Endpoint is null ? Missing<Uri?>("observability.otlp.endpoint", null) : HttpUrl(d.Endpoint, "observability.otlp.endpoint");
            var timeout = TimeSpan.FromSeconds(Bounded(d.TimeoutSeconds, "observability.otlp.timeoutSeconds", 10, 120));
            if (endpoint is not null)
            {
                otlp = new OtlpConfig(endpoint, protocol, timeout);
            }
        }

        var traces = Flag(o.Traces?.Enabled, "observability.traces.enabled", o.Otlp is not null);
        if (traces && o.Otlp is null)
        {
            Problem("observability.traces.enabled", "traces need `observability.otlp`: there is nowhere else to send them");
        }

        var ratio = Ratio(o.Traces?.SampleRatio, "observability.traces.sampleRatio", 1.0);
        var parents = Networks(o.Traces?.AcceptParentFrom, "observability.traces.acceptParentFrom");

        var metrics = Flag(o.Metrics?.Enabled, "observability.metrics.enabled", true);
        var interval = TimeSpan.FromSeconds(Bounded(o.Metrics?.OtlpIntervalSeconds, "observability.metrics.otlpIntervalSeconds", 15, 3600));
        var prometheus = Flag(o.Metrics?.Prometheus, "observability.metrics.prometheus", false);
        string? scrapeToken = null;
        if (o.Metrics?.ScrapeTokenFile is { } file)
        {
            scrapeToken = ReadSecret(file, "observability.metrics.scrapeTokenFile", 16);
            if (!prometheus)
            {
                Problem("observability.metrics.scrapeTokenFile", "only used with `prometheus: true`");
            }
        }

        return new ObservabilityConfig(serviceName, otlp, traces, ratio, parents, metrics, interval, prometheus, scrapeToken is { Length: > 0 } ? scrapeToken : null);
    }

    private double Ratio(string? text, string path, double fallback)
    {
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value is < 0 or > 1)
        {
            Problem(path, $"`{text}` is not a number from 0 to 1");
            return fallback;
        }

        return value;
    }
}

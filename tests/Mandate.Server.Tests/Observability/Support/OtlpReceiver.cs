using System.Collections.Concurrent;
using System.Globalization;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Tests.Observability.Support;

/// <summary>One span as an OTLP collector receives it.</summary>
/// <param name="TraceId">32 hex digits.</param>
/// <param name="SpanId">16 hex digits.</param>
/// <param name="ParentSpanId">16 hex digits, or null for a root span.</param>
/// <param name="Name">The span's name.</param>
/// <param name="Kind">OTLP's SpanKind (1 internal, 2 server, 3 client).</param>
/// <param name="Attributes">Every attribute, its value as text (arrays joined with <c>,</c>).</param>
/// <param name="StatusCode">OTLP's status code (0 unset, 1 ok, 2 error).</param>
/// <param name="Scope">The instrumentation scope (the ActivitySource's name).</param>
public sealed record ReceivedSpan(string TraceId, string SpanId, string? ParentSpanId, string Name, int Kind, IReadOnlyDictionary<string, string> Attributes, int StatusCode, string Scope)
{
    /// <summary>An attribute's value or null.</summary>
    public string? this[string key] => Attributes.TryGetValue(key, out var v) ? v : null;
}

/// <summary>
/// An OTLP/HTTP receiver on 127.0.0.1:0, as an OpenTelemetry collector's <c>otlp</c> receiver with
/// <c>protocols: http</c> is: <c>POST /v1/traces</c> and <c>/v1/metrics</c> with protobuf bodies. Traces are decoded
/// with Google.Protobuf's wire reader against the field numbers of opentelemetry-proto's
/// <c>collector/trace/v1/trace_service.proto</c>, <c>trace/v1/trace.proto</c> and <c>common/v1/common.proto</c>
/// (the package of generated types, OpenTelemetry.Proto, is not served here); metric bodies are counted.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private int _metricExports;

    private OtlpReceiver(WebApplication app) => _app = app;

    /// <summary>The base URL (the collector's <c>endpoint</c> for <c>http/protobuf</c>).</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Every span received so far.</summary>
    public IReadOnlyList<ReceivedSpan> Spans => _spans.ToArray();

    /// <summary>How many metric exports arrived.</summary>
    public int MetricExports => Volatile.Read(ref _metricExports);

    /// <summary>Starts the receiver.</summary>
    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            if (context.Request.Path == "/v1/traces")
            {
                foreach (var span in DecodeTraces(body.ToArray()))
                {
                    receiver._spans.Enqueue(span);
                }
            }
            else if (context.Request.Path == "/v1/metrics")
            {
                Interlocked.Increment(ref receiver._metricExports);
            }
            else
            {
                context.Response.StatusCode = 404;
                return;
            }

            // An empty Export*ServiceResponse: everything accepted.
            context.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync();
        receiver.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return receiver;
    }

    /// <summary>Waits until <paramref name="done"/> holds for the spans received (or the time is up).</summary>
    public async Task<IReadOnlyList<ReceivedSpan>> WaitAsync(Func<IReadOnlyList<ReceivedSpan>, bool> done, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!done(Spans) && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }

        return Spans;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _app.DisposeAsync();

    // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
    private static IEnumerable<ReceivedSpan> DecodeTraces(byte[] request)
    {
        foreach (var resourceSpans in Repeated(request, 1))
        {
            // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
            foreach (var scopeSpans in Repeated(resourceSpans, 2))
            {
                // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }; scope { string name = 1; }
                var scope = Repeated(scopeSpans, 1).Select(s => Text(Repeated(s, 1).FirstOrDefault())).FirstOrDefault() ?? "";
                foreach (var span in Repeated(scopeSpans, 2))
                {
                    yield return DecodeSpan(span, scope);
                }
            }
        }
    }

    // Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; SpanKind kind = 6;
    //        repeated KeyValue attributes = 9; Status status = 15 { StatusCode code = 3; } }
    private static ReceivedSpan DecodeSpan(byte[] span, string scope)
    {
        string? traceId = null, spanId = null, parent = null, name = "";
        var kind = 0;
        var status = 0;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, value, number) in Fields(span))
        {
            switch (field)
            {
                case 1: traceId = Convert.ToHexStringLower(value!); break;
                case 2: spanId = Convert.ToHexStringLower(value!); break;
                case 4: parent = value!.Length == 0 ? null : Convert.ToHexStringLower(value); break;
                case 5: name = Text(value); break;
                case 6: kind = (int)number; break;
                case 9:
                    var (key, text) = KeyValue(value!);
                    attributes[key] = text;
                    break;
                case 15: status = (int)Fields(value!).Where(f => f.Field == 3).Select(f => f.Number).FirstOrDefault(); break;
            }
        }

        return new ReceivedSpan(traceId ?? "", spanId ?? "", parent, name, kind, attributes, status, scope);
    }

    // KeyValue { string key = 1; AnyValue value = 2; }
    private static (string Key, string Value) KeyValue(byte[] kv)
    {
        var key = "";
        var value = "";
        foreach (var (field, bytes, _) in Fields(kv))
        {
            if (field == 1)
            {
                key = Text(bytes);
            }
            else if (field == 2)
            {
                value = AnyValue(bytes!);
            }
        }

        return (key, value);
    }

    // AnyValue { oneof { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4;
    //            ArrayValue array_value = 5 { repeated AnyValue values = 1; }; KeyValueList kvlist_value = 6; bytes bytes_value = 7; } }
    private static string AnyValue(byte[] any)
    {
        foreach (var (field, bytes, number) in Fields(any))
        {
            return field switch
            {
                1 => Text(bytes),
                2 => number != 0 ? "true" : "false",
                3 => ((long)number).ToString(CultureInfo.InvariantCulture),
                4 => BitConverter.Int64BitsToDouble((long)number).ToString(CultureInfo.InvariantCulture),
                5 => string.Join(",", Repeated(bytes!, 1).Select(AnyValue)),
                7 => Convert.ToHexStringLower(bytes!),
                _ => "",
            };
        }

        return "";
    }

    private static IEnumerable<byte[]> Repeated(byte[] message, int field) =>
        Fields(message).Where(f => f.Field == field && f.Bytes is not null).Select(f => f.Bytes!);

    private static string Text(byte[]? bytes) => bytes is null ? "" : System.Text.Encoding.UTF8.GetString(bytes);

    // Every field of a message: length-delimited ones as bytes, the others as their number.
    private static List<(int Field, byte[]? Bytes, ulong Number)> Fields(byte[] message)
    {
        var fields = new List<(int, byte[]?, ulong)>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var field = WireFormat.GetTagFieldNumber(tag);
            switch (WireFormat.GetTagWireType(tag))
            {
                case WireFormat.WireType.Varint: fields.Add((field, null, input.ReadUInt64())); break;
                case WireFormat.WireType.Fixed64: fields.Add((field, null, input.ReadFixed64())); break;
                case WireFormat.WireType.Fixed32: fields.Add((field, null, input.ReadFixed32())); break;
                case WireFormat.WireType.LengthDelimited: fields.Add((field, input.ReadBytes().ToByteArray(), 0)); break;
                default: input.SkipLastField(); break;
            }
        }

        return fields;
    }
}

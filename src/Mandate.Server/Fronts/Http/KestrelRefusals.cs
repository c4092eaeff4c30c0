using System.Diagnostics;
using System.Reflection;
using System.Text;
using Mandate.Core.Decisions;
using Mandate.Core.Errors;
using Mandate.Server.Flow;
using Mandate.Server.Snapshots;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Fronts.Http;

/// <summary>
/// Records the requests Kestrel refuses itself (400, 431, 414, …) before any middleware runs: a malformed request
/// line, duplicate <c>Host</c>, forbidden characters, oversized headers. Kestrel reports each through its
/// <c>Microsoft.AspNetCore.Server.Kestrel.BadRequest</c> diagnostic event, whose payload is the connection's features
/// (<see cref="IHttpConnectionFeature"/>, <see cref="IBadRequestExceptionFeature"/>); this observer turns it into a
/// refusal of the HTTP front through the flow's journal, so it lands in the same hash chain as every other refusal:
/// code <c>server.*</c> by status, the client address and port, the connection id, and Kestrel's reason (its rule's
/// name, never the offending bytes).
/// </summary>
public sealed class KestrelRefusals : IObserver<KeyValuePair<string, object?>>
{
    /// <summary>The diagnostic event Kestrel raises for a request it refuses.</summary>
    public const string EventName = "Microsoft.AspNetCore.Server.Kestrel.BadRequest";

    private readonly DecisionFlow _flow;
    private readonly SnapshotHolder _snapshots;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the observer.</summary>
    public KestrelRefusals(DecisionFlow flow, SnapshotHolder snapshots, TimeProvider time, ILogger logger)
    {
        _flow = flow;
        _snapshots = snapshots;
        _time = time;
        _logger = logger;
    }

    /// <summary>Subscribes to Kestrel's diagnostic events of one host (only the bad-request event is enabled).</summary>
    public IDisposable Subscribe(DiagnosticListener listener) => listener.Subscribe(this, name => name == EventName);

    /// <inheritdoc />
    public void OnNext(KeyValuePair<string, object?> value)
    {
        // Runs on Kestrel's connection loop: nothing here may throw or wait.
        try
        {
            if (value.Key != EventName || value.Value is not IFeatureCollection features
                || features.Get<IBadRequestExceptionFeature>()?.Error is not { } error
                || features.Get<HttpRequestState>() is not null)
            {
                // A request that reached Mandate's own steps is recorded by them.
                return;
            }

            var status = error is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status400BadRequest;
            var connection = features.Get<IHttpConnectionFeature>();
            var request = features.Get<IHttpRequestFeature>();
            var ip = connection?.RemoteIpAddress is { } address ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString() : "";
            var facts = new RequestFacts(Printable(request?.Method, 32), Printable(request?.RawTarget, 512), ip, "");
            var flowRequest = new FlowRequest(Front.Http, DecisionIds.New(), _snapshots.Current, facts, _time.GetUtcNow())
            {
                Connection = $"{ip}:{connection?.RemotePort ?? 0} {connection?.ConnectionId ?? ""}".Trim(),
            };
            var reason = Reason(error);
            _ = RecordAsync(flowRequest, ErrorCatalogue.ForServerStatus(status), $"kestrel refused the request ({reason}) with {status}");
        }
        catch (Exception e)
        {
            HttpLog.KestrelRefusalNotRecorded(_logger, e);
        }
    }

    /// <inheritdoc />
    public void OnError(Exception error)
    {
    }

    /// <inheritdoc />
    public void OnCompleted()
    {
    }

    private async Task RecordAsync(FlowRequest request, ErrorCode code, string detail)
    {
        try
        {
            await _flow.RefuseAsync(request, CallSubject.None, code, detail);
        }
        catch (Exception e)
        {
            HttpLog.KestrelRefusalNotRecorded(_logger, e);
        }
    }

    /// <summary>
    /// Kestrel's rule, as a stable snake_case name (<c>invalid_request_line</c>, <c>multiple_host_headers</c>,
    /// <c>headers_exceed_max_total_size</c>, …): the name of the exception's <c>Reason</c> when Kestrel's own exception
    /// type carries one, else <c>unknown</c>. Kestrel's message is not used: it can hold the offending bytes.
    /// </summary>
    internal static string Reason(Exception error)
    {
        var property = error.GetType().GetProperty("Reason", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        if (property?.GetValue(error) is not Enum reason)
        {
            return "unknown";
        }

        var name = reason.ToString();
        var snake = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0 && !char.IsUpper(name[i - 1]))
            {
                snake.Append('_');
            }

            snake.Append(char.ToLowerInvariant(name[i]));
        }

        return snake.ToString();
    }

    // The recorded target and method are what Kestrel parsed before it refused (often nothing): printable ASCII only.
    private static string Printable(string? value, int max)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var text = new StringBuilder(Math.Min(value.Length, max));
        foreach (var c in value.AsSpan(0, Math.Min(value.Length, max)))
        {
            text.Append(c is >= ' ' and < (char)0x7F ? c : '?');
        }

        return text.ToString();
    }
}

using System.Diagnostics;
using Mandate.Core.Decisions;
using Mandate.Server.Forwarding;
using Mandate.Server.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Mandate.Server.Pipeline;

/// <summary>
/// Act: attaches the upstream credential from the vault (only now, after a durable allow), forwards
/// with YARP's <see cref="IHttpForwarder"/> to exactly the canonical path, and records the outcome
/// (status, bytes, upstream latency). Terminal step.
/// </summary>
public sealed class ForwardMiddleware
{
    private readonly IHttpForwarder _forwarder;
    private readonly UpstreamClient _client;
    private readonly IUpstreamSecrets _secrets;
    private readonly IDecisionRecorder _recorder;
    private readonly TimeProvider _time;
    private readonly ILogger<ForwardMiddleware> _logger;
    private readonly TokenServices? _tokens;
    private readonly Action<string, string> _outcomeFailed;

    /// <summary>Creates the step; downstream tokens are minted when <see cref="TokenServices"/> is registered.</summary>
    public ForwardMiddleware(RequestDelegate next, IHttpForwarder forwarder, UpstreamClient client, IUpstreamSecrets secrets, IDecisionRecorder recorder, TimeProvider time, ILogger<ForwardMiddleware> logger, IServiceProvider services)
    {
        _tokens = services.GetService<TokenServices>();
        _ = next;
        _forwarder = forwarder;
        _client = client;
        _secrets = secrets;
        _recorder = recorder;
        _time = time;
        _logger = logger;
        _outcomeFailed = (decisionId, error) => GatewayLog.AuditFailed(_logger, decisionId, error);
    }

    /// <summary>Runs the step.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var exchange = context.Features.GetRequiredFeature<GatewayExchange>();
        var route = exchange.Match!.Route;
        var upstream = exchange.Snapshot.Config.Upstreams[route.Upstream];
        KeyValuePair<string, string>? credential = null;
        if (upstream.Credential is { Mint: { } mint })
        {
            // A fresh downstream token (audience = this upstream, narrowed scopes, short expiry) replaces the agent's;
            // it exists only for task-token callers, so for any other caller nothing is forwarded.
            if (exchange.TaskToken is not { } task || _tokens is null)
            {
                await ProblemResponse.WriteAsync(context, StatusCodes.Status403Forbidden, "upstream.credential_unavailable", "forbidden", "this upstream takes a minted downstream token, which needs a task token; nothing was forwarded", exchange.DecisionId);
                await RecordOutcomeAsync(exchange, 403, 0, TimeSpan.Zero, "upstream.credential_unavailable");
                return;
            }

            var minted = _tokens.Service.MintDownstream(task, mint.Audience, mint.Scopes, mint.Lifetime, _time.GetUtcNow());
            credential = new("Authorization", "Bearer " + minted.AccessToken);
        }
        else if (upstream.Credential is { } c)
        {
            SecretLookup secret;
            try
            {
                secret = await _secrets.GetAsync(c.VaultName, context.RequestAborted);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                secret = SecretLookup.Failed(e.GetType().Name);
            }

            if (secret.Value is null)
            {
                GatewayLog.CredentialUnavailable(_logger, c.VaultName, exchange.DecisionId, secret.Error ?? "unknown");
                await ProblemResponse.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "upstream.credential_unavailable", "service unavailable", "the upstream credential is unavailable; nothing was forwarded", exchange.DecisionId);
                await RecordOutcomeAsync(exchange, 503, 0, TimeSpan.Zero, "upstream.credential_unavailable");
                return;
            }

            credential = new(c.Header, c.Format.Replace("{secret}", secret.Value, StringComparison.Ordinal));
        }

        var destination = GatewayTransformer.Destination(upstream.Url, exchange.Path!.Value, exchange.Path.Query);
        var transformer = new GatewayTransformer(destination, exchange.ClientIp, credential);
        var counting = new CountingStream(context.Response.Body);
        context.Response.Body = counting;
        var config = new ForwarderRequestConfig { ActivityTimeout = upstream.Timeout };
        var started = Stopwatch.GetTimestamp();
        var error = await _forwarder.SendAsync(context, upstream.Url.GetLeftPart(UriPartial.Authority), _client.Invoker, config, transformer);
        var latency = Stopwatch.GetElapsedTime(started);
        string? errorCode = null;
        if (error != ForwarderError.None)
        {
            errorCode = "upstream." + error.ToString().ToLowerInvariant();
            GatewayLog.ForwardFailed(_logger, exchange.DecisionId, route.Upstream, error.ToString());
        }

        // The response is complete: the outcome record joins the next group commit without holding the connection or
        // a thread (the decision record, the one that gates forwarding, was durable before SendAsync).
        var outcome = new OutcomeRecord(exchange.DecisionId, _time.GetUtcNow(), context.Response.StatusCode, counting.BytesWritten, latency, errorCode, exchange.Caller);
        if (_recorder.PostOutcome(outcome, _outcomeFailed) is { } notQueued)
        {
            GatewayLog.AuditFailed(_logger, exchange.DecisionId, notQueued);
        }
    }

    private async Task RecordOutcomeAsync(GatewayExchange exchange, int status, long bytes, TimeSpan latency, string? error)
    {
        try
        {
            var result = await _recorder.RecordOutcomeAsync(new OutcomeRecord(exchange.DecisionId, _time.GetUtcNow(), status, bytes, latency, error, exchange.Caller), CancellationToken.None);
            if (!result.IsDurable)
            {
                GatewayLog.AuditFailed(_logger, exchange.DecisionId, result.Error ?? "unknown");
            }
        }
        catch (Exception e)
        {
            // The response is already sent; an outcome record that fails is logged, not retried here.
            GatewayLog.AuditFailed(_logger, exchange.DecisionId, e.Message);
        }
    }
}
